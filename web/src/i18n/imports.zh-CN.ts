// UI text of the import jobs whose state lives in the database (a job cut
// short by a stopped server); the same keys as imports.en.ts.
const importsZh = {
  entImport: {
    status: { interrupted: '已中断' },
    committed: '已提交 {n} 行',
  },
}

export default importsZh
