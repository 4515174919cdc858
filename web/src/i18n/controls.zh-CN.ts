// 管控规则的界面文字（待核实项目、论证评估职责分离等）。
// index.ts 将其并入 zh-CN.ts；controls.en.ts 须有相同的键。
const controlsZh = {
  nav: { pending: '待核实项目' },
  roleName: { director: '招商办主任' },
  auditAction: { project: { verify: '核实导入项目' } },
  evaluation: { approveHint: '填报提交人、审核人、审定人须为三个不同的人；项目的跟踪服务专员不审核、不审定本项目。' },
  negative: { classes: '行业小类', classesHint: '国民经济行业分类 4 位小类代码，空格分隔，如 0932 0933' },
  project: { search: '关键字', dupReason: '确认不是同一项目的理由（必填，记入操作日志并通知对方单位）' },
  verify: {
    tag: '待核实',
    verifiedTag: '已核实',
    listTitle: '待核实项目（台账导入的已签约及以后阶段项目）',
    listHint: '台账导入的签约及以后阶段项目，在招商办核实前不计入任何统计、排名、驾驶舱和导出合计。导入单位请在项目页上传签约协议。',
    banner: '本项目由台账导入，待核实：核实前不计入任何统计、排名和驾驶舱。',
    bannerVerified: '已核实：{by}，{note}',
    action: '核实',
    title: '核实导入项目',
    rule: '签约日期在未关账月份的项目须附签约协议，并通过签约关口（论证评估审定等）；首个未关账月份之前签约的历史项目，可填写核实依据代替协议。导入单位不能核实本单位导入的项目。',
    agreement: '签约协议',
    noAgreement: '不附协议（仅限历史项目）',
    uploadHint: '本项目尚无签约协议附件，请导入单位在项目页「附件」中上传。',
    reason: '核实依据',
    reasonHint: '例如：据 2023 年台账及签约仪式记录核对属实',
    submit: '确认核实',
    done: '已核实 {code}，已计入统计',
    bulk: '批量核实（{n}）',
    bulkTitle: '批量核实',
    bulkRule: '将核实所选 {n} 个项目：有签约协议的附最新一份协议；无协议的历史项目以下面的核实依据核实。任一项不符合即全部不核实，并指出是哪一项。每个项目单独记入操作日志。',
    bulkDone: '已核实 {n} 个项目',
    unit: '单位',
    importedBy: '导入单位',
    exportName: '待核实项目.xlsx',
    importPending: '其中待核实',
    importPendingHint: '{n} 行为签约及以后阶段，导入后进入「待核实项目」，经招商办核实前不计入统计。',
  },
}

export default controlsZh
