// UI text of the import jobs whose state lives in the database (a job cut
// short by a stopped server); the same keys as imports.zh-CN.ts.
const importsEn = {
  entImport: {
    status: { interrupted: 'Interrupted' },
    committed: '{n} rows committed',
  },
}

export default importsEn
