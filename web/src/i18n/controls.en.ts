// UI text of the controls (pending verification, screening duties …);
// the same keys as controls.zh-CN.ts.
const controlsEn = {
  nav: { pending: 'Pending verification' },
  roleName: { director: 'Commission office director' },
  auditAction: { project: { verify: 'Verify an imported project' } },
  evaluation: { approveHint: 'Whoever prepared, reviewed and approves a screening are three different people; the project\'s service officers neither review nor approve it.' },
  negative: { classes: 'Classes', classesHint: 'GB/T 4754 4-digit classes, space-separated, e.g. 0932 0933' },
  project: { search: 'Keyword', dupReason: 'Why it is not the same project (required; audited, and the other unit is told)' },
  verify: {
    tag: 'Pending',
    verifiedTag: 'Verified',
    listTitle: 'Pending verification (ledger-imported projects at signed or later)',
    listHint: 'Ledger-imported projects at signed or later count in no statistic, ranking, cockpit or export total until the commission office verifies them. The importing unit attaches the signed agreement on the project page.',
    banner: 'Imported from a ledger and pending verification: counted in no statistic, ranking or cockpit until verified.',
    bannerVerified: 'Verified: {by}, {note}',
    action: 'Verify',
    title: 'Verify an imported project',
    rule: 'A project signed in an open month needs its signed agreement and passes the signing gate (approved screening …); one signed before the first open month may be verified with a recorded reason instead. The importing unit cannot verify its own imports.',
    agreement: 'Signed agreement',
    noAgreement: 'No agreement (history only)',
    uploadHint: 'The project has no agreement attached yet: the importing unit uploads it under Attachments.',
    reason: 'Reason',
    reasonHint: 'e.g. checked against the 2023 ledger and the signing ceremony records',
    submit: 'Verify',
    done: '{code} verified and counted',
    bulk: 'Verify selected ({n})',
    bulkTitle: 'Verify in bulk',
    bulkRule: 'Verifies the {n} selected projects: each with its latest signed agreement where it has one, history without one with the reason below. If any fails, none is verified and the failing one is named. Each project is audited on its own.',
    bulkDone: '{n} projects verified',
    unit: 'Unit',
    importedBy: 'Imported by',
    exportName: 'pending-verification.xlsx',
    importPending: 'of which pending',
    importPendingHint: '{n} rows are at signed or later: they go to "Pending verification" and count nowhere until the commission office verifies them.',
  },
}

export default controlsEn
