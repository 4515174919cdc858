// The routes of docs/api-foundation.md and docs/api-projects.md, one
// function per call, named after the route.
import { api, download, downloadPost, request, type Query, type RequestOptions } from './client'
import type {
  BulkVerified, VerifyInput,
  Annual, Cockpit, GateSetting, HistoryRow, PipelineRow, ScreeningSummary, Scheme, Approval, ApprovalInput, BaselineSet, Evaluation, EvaluationInputs, EvaluationStep, EvaluationStepAction, NegativeItem, Attachment, AttachmentKind, AuditEntry, AuditVerify, Credit, DictItem, DictType,
  DuplicateItem, EnterpriseRequest, ImportMode, ImportResult, Industry, List, MonthlyReport, Parcel, ParcelAction,
  Period, Permission, Project, ProjectInput, Ranking, Role, Session, SigninEntry, StatsRulesAnswer, TargetItem,
  Targets, TimelineItem, Token, TokenCreated, TrackingRecord, TransitionInput, Unit, UnitHistoryRow, User, Warning,
  WarningSettings,
} from './types'

export * from './types'
export * from './enterprise'
export { ApiError, showError, type Query } from './client'

type Items<T> = { items: T[] }

export const authApi = {
  login: (username: string, password: string) =>
    api.post<Session>('auth/login', { username, password }, { quiet: true, no401Redirect: true }),
  logout: () => api.post<void>('auth/logout', undefined, { quiet: true, no401Redirect: true }),
  me: () => api.get<Session>('auth/me', undefined, { quiet: true, no401Redirect: true }),
  changePassword: (old_password: string, new_password: string) =>
    api.put<void>('me/password', { old_password, new_password }, { quiet: true }),
  tokens: () => api.get<Items<Token>>('me/tokens'),
  createToken: (name: string, expires_on: string | null) =>
    api.post<TokenCreated>('me/tokens', expires_on ? { name, expires_on } : { name }, { quiet: true }),
  revokeToken: (id: number) => api.del<void>(`me/tokens/${id}`),
}

// With as_of the server answers the unit *states* of that day (unit_id,
// no version); the UI treats both shapes as Unit.
type UnitLike = Partial<Unit> & { unit_id?: number }
function toUnit(u: UnitLike): Unit {
  return {
    id: (u.id ?? u.unit_id)!,
    code: u.code ?? '',
    name: u.name ?? '',
    short_name: u.short_name ?? '',
    kind: u.kind!,
    parent_id: u.parent_id ?? null,
    status: u.status ?? 'active',
    effective_from: u.effective_from ?? '',
    closed_on: u.closed_on ?? null,
    sort: u.sort ?? 0,
    version: u.version ?? 0,
  }
}

export const unitApi = {
  list: async (q: { as_of?: string; include_closed?: boolean }): Promise<List<Unit>> => {
    const res = await api.get<List<UnitLike>>('units', { as_of: q.as_of, include_closed: q.include_closed ? 1 : undefined })
    return { items: res.items.map(toUnit), total: res.total }
  },
  get: (id: number) => api.get<Unit>(`units/${id}`),
  history: (id: number) => api.get<Items<UnitHistoryRow>>(`units/${id}/history`),
  create: (body: {
    code: string; name: string; short_name?: string; kind: string
    parent_id: number | null; effective_on: string; sort?: number
  }) => api.post<Unit>('units', body, { quiet: true }),
  update: (id: number, body: {
    code: string; name: string; short_name: string; sort: number; effective_on: string; reason?: string; version: number
  }) => api.put<Unit>(`units/${id}`, body, { quiet: true }),
  move: (id: number, body: { parent_id: number; effective_on: string; reason?: string; version: number }) =>
    api.post<Unit>(`units/${id}/move`, body, { quiet: true }),
  close: (id: number, body: { effective_on: string; reason: string; version: number }) =>
    api.post<Unit>(`units/${id}/close`, body, { quiet: true }),
}

export const userApi = {
  list: (q: Query) => api.get<List<User>>('users', q),
  get: (id: number) => api.get<User>(`users/${id}`),
  create: (body: {
    username: string; display_name: string; unit_id: number; phone?: string
    email?: string; password: string; role_ids?: number[]
  }) => api.post<User>('users', body, { quiet: true }),
  update: (id: number, body: {
    display_name: string; unit_id: number; phone: string; email: string; version: number
  }) => api.put<User>(`users/${id}`, body, { quiet: true }),
  setRoles: (id: number, role_ids: number[], version: number) =>
    api.put<User>(`users/${id}/roles`, { role_ids, version }, { quiet: true }),
  disable: (id: number, version: number) => api.post<User>(`users/${id}/disable`, { version }, { quiet: true }),
  enable: (id: number, version: number) => api.post<User>(`users/${id}/enable`, { version }, { quiet: true }),
  unlock: (id: number) => api.post<User>(`users/${id}/unlock`),
  resetPassword: (id: number, new_password: string) =>
    api.post<void>(`users/${id}/password`, { new_password }, { quiet: true }),
}

export const roleApi = {
  list: (opts = {}) => api.get<List<Role>>('roles', undefined, opts),
  get: (id: number) => api.get<Role>(`roles/${id}`),
  create: (body: { code: string; name_zh: string; name_en: string; scope: string; permissions: string[] }) =>
    api.post<Role>('roles', body, { quiet: true }),
  update: (id: number, body: {
    name_zh: string; name_en: string; scope: string; permissions: string[]; version: number
  }) => api.put<Role>(`roles/${id}`, body, { quiet: true }),
  permissions: () => api.get<Items<Permission>>('permissions'),
}

export const dictApi = {
  types: () => api.get<Items<DictType>>('dictionary/types'),
  items: (type: string) => api.get<List<DictItem>>('dictionary', { type }),
  create: (body: { type: string; code: string; label_zh: string; label_en: string; sort: number; enabled: boolean }) =>
    api.post<DictItem>('dictionary', body, { quiet: true }),
  update: (id: number, body: { label_zh: string; label_en: string; sort: number; enabled: boolean; version: number }) =>
    api.put<DictItem>(`dictionary/${id}`, body, { quiet: true }),
}

export const auditApi = {
  list: (q: Query) => api.get<List<AuditEntry>>('audit', q),
  export: (q: Query, fallbackName: string) => download('/api/v1/audit/export', q, fallbackName),
  verify: () => api.get<AuditVerify>('audit/verify'),
  signins: (q: Query) => api.get<List<SigninEntry>>('signins', q),
}

export const projectApi = {
  list: (q: Query, opts: RequestOptions = {}) => api.get<List<Project>>('projects', q, opts),
  export: (q: Query, fallbackName: string) => download('/api/v1/projects/export', q, fallbackName),
  duplicates: (body: { name: string; investor_name: string; investor_uscc: string }) =>
    api.post<Items<DuplicateItem>>('projects/duplicates', body, { quiet: true }),
  create: (body: ProjectInput) => api.post<Project>('projects', body, { quiet: true }),
  get: (id: number | string) => api.get<Project>(`projects/${id}`, undefined, { quiet: true }),
  update: (id: number, body: ProjectInput) => api.put<Project>(`projects/${id}`, body, { quiet: true }),
  transition: (id: number, body: TransitionInput) =>
    api.post<Project>(`projects/${id}/transitions`, body, { quiet: true }),
  timeline: (id: number) => api.get<Items<TimelineItem>>(`projects/${id}/timeline`),
  attachments: (id: number) => api.get<Items<Attachment>>(`projects/${id}/attachments`),
  upload: (id: number, file: File | Blob, kind: AttachmentKind, filename?: string) => {
    const form = new FormData()
    form.append('kind', kind)
    if (filename) form.append('file', file, filename)
    else form.append('file', file)
    return api.upload<Attachment>(`projects/${id}/attachments`, form, { quiet: true })
  },
  handover: (id: number, to_unit_id: number, version: number) =>
    api.post<Project>(`projects/${id}/handover`, { to_unit_id, version }, { quiet: true }),
  accept: (id: number, version: number) =>
    api.post<Project>(`projects/${id}/handover/accept`, { version }, { quiet: true }),
  decline: (id: number, reason: string, version: number) =>
    api.post<Project>(`projects/${id}/handover/decline`, { reason, version }, { quiet: true }),
  trackingRecords: (id: number) => api.get<Items<TrackingRecord>>(`projects/${id}/tracking-records`),
  addTrackingRecord: (id: number, body: {
    kind: string; on: string; summary: string; next_step: string; next_on: string | null
  }) => api.post<TrackingRecord>(`projects/${id}/tracking-records`, body, { quiet: true }),
  requests: (id: number) => api.get<Items<EnterpriseRequest>>(`projects/${id}/requests`),
  addRequest: (id: number, body: { title: string; detail: string; owner_unit_id: number | null; deadline: string | null }) =>
    api.post<EnterpriseRequest>(`projects/${id}/requests`, body, { quiet: true }),
  resolveRequest: (id: number, resolution: string, version: number) =>
    api.post<EnterpriseRequest>(`requests/${id}/resolve`, { resolution, version }, { quiet: true }),
  /** The ledger template (XLSX) as a download. */
  importTemplate: (fallbackName: string) => download('/api/v1/projects/import/template', {}, fallbackName),
  /** Imports a ledger file; dryRun only checks it (the preview). */
  importLedger: (file: File | Blob, mode: ImportMode, dryRun: boolean, filename?: string) => {
    const form = new FormData()
    if (filename) form.append('file', file, filename)
    else form.append('file', file)
    return request<ImportResult>('POST', 'projects/import', {
      form, query: { mode, dry_run: dryRun ? 1 : undefined }, quiet: true,
    })
  },
  /** Verifies a pending imported project (project:verify). */
  verify: (id: number, body: VerifyInput) => api.post<Project>(`projects/${id}/verify`, body, { quiet: true }),
  /** Verifies several at once: all or none, each audited. */
  verifyAll: (items: VerifyInput[]) => api.post<BulkVerified>('projects/verify', { items }, { quiet: true }),
  /** Every row error of a ledger file as the server's CSV (the JSON answer carries the first 1,000). */
  importErrors: (file: File | Blob, mode: ImportMode, filename: string, fallbackName: string) => {
    const form = new FormData()
    form.append('file', file, filename)
    return downloadPost('projects/import', form, { mode, errors: 'csv' }, fallbackName)
  },
  approvals: (id: number) => api.get<Items<Approval>>(`projects/${id}/approvals`),
  addApproval: (id: number, body: ApprovalInput) => api.post<Approval>(`projects/${id}/approvals`, body, { quiet: true }),
  updateApproval: (id: number, body: ApprovalInput) => api.put<Approval>(`approvals/${id}`, body, { quiet: true }),
  merge: (id: number, into_id: number, version: number) =>
    api.post<Project>(`projects/${id}/merge`, { into_id, version }, { quiet: true }),
}

export const parcelApi = {
  list: (q: Query) => api.get<List<Parcel>>('parcels', q),
  create: (body: { park_unit_id: number | null; code: string; location: string; area_mu: number | null; land_use: string }) =>
    api.post<Parcel>('parcels', body, { quiet: true }),
  action: (id: number, body: { action: ParcelAction; project_id?: number | null; supplied_on?: string | null; reason?: string; version: number }) =>
    api.post<Parcel>(`parcels/${id}/actions`, body, { quiet: true }),
}

export const statsApi = {
  rules: () => api.get<StatsRulesAnswer>('stats/rules'),
  targets: (year: number) => api.get<Targets>('targets', { year }),
  saveTargets: (year: number, items: TargetItem[]) => api.put<Targets>('targets', { year, items }, { quiet: true }),
  /** The year's targets as the XLSX sheet to fill in. */
  targetsXlsx: (year: number, fallbackName: string) => download('/api/v1/targets/xlsx', { year }, fallbackName),
  /** Imports that sheet (all or nothing); a 400 carries `problems` on ApiError.data. */
  importTargets: (year: number, file: File | Blob, filename?: string) => {
    const form = new FormData()
    if (filename) form.append('file', file, filename)
    else form.append('file', file)
    return request<Targets>('POST', 'targets/import', { form, query: { year }, quiet: true })
  },
  monthly: (period: string) => api.get<MonthlyReport>(`stats/monthly/${period}`, undefined, { quiet: true }),
  monthlyXlsx: (period: string, fallbackName: string) => download(`/api/v1/stats/monthly/${period}/xlsx`, {}, fallbackName),
  progress: (asOf: string) => api.get<MonthlyReport>('stats/progress', { as_of: asOf }, { quiet: true }),
  progressXlsx: (asOf: string, fallbackName: string) => download('/api/v1/stats/progress/xlsx', { as_of: asOf }, fallbackName),
  rows: (period: string, unitId: number, ytd: boolean, areaId?: number) =>
    api.get<List<Credit>>(`stats/monthly/${period}/rows`, { unit_id: unitId, ytd: ytd ? 1 : undefined, area_id: areaId }),
  periods: () => api.get<List<Period>>('periods'),
  close: (period: string) => api.post<MonthlyReport>(`periods/${period}/close`, undefined, { quiet: true }),
  reopen: (period: string, reason: string) => api.post<void>(`periods/${period}/reopen`, { reason }, { quiet: true }),
  ranking: (year: number, quarter: number) => api.get<Ranking>('stats/ranking', { year, quarter }, { quiet: true }),
  /** The quarterly bulletin (DOCX); scope all only. */
  bulletinDocx: (year: number, quarter: number, fallbackName: string) =>
    download('/api/v1/stats/bulletin/docx', { year, quarter }, fallbackName),
  /** quarter 1–3: the evaluation as the year stands at the quarter's end */
  annual: (year: number, quarter?: number) => api.get<Annual>('stats/annual', { year, quarter }, { quiet: true }),
  annualDocx: (year: number, fallbackName: string) => download('/api/v1/stats/annual/docx', { year }, fallbackName),
  scheme: (year: number) => api.get<Scheme>('stats/scheme', { year }),
  publishAnnual: (year: number) => api.post<Annual>(`stats/annual/${year}/publish`, undefined, { quiet: true }),
  reopenAnnual: (year: number, reason: string) => api.post<void>(`stats/annual/${year}/reopen`, { reason }, { quiet: true }),
  saveScheme: (body: Scheme) => api.put<Scheme>('stats/scheme', body, { quiet: true }),
}

export const cockpitApi = {
  get: (year: number) => api.get<Cockpit>('cockpit', { year }, { quiet: true }),
  /** GeoJSON of the city's counties (served by our own server). */
  map: () => api.get<GeoJSONLike>('cockpit/map', undefined, { quiet: true }),
  /** the projects the forecast counts, each with its rate */
  pipeline: (year: number) => api.get<List<PipelineRow>>('cockpit/pipeline', { year }, { quiet: true }),
  /** the projects behind a forecast rate (in scope; outside: how many more the rate counts) */
  history: (basis: 'lead' | 'negotiating' | 'overdue') =>
    api.get<List<HistoryRow> & { outside: number; rate: string }>('cockpit/history', { basis }, { quiet: true }),
}

/** The GeoJSON the cockpit's map is drawn from (only what the UI reads). */
export interface GeoJSONLike {
  type: string
  features: { type: string; properties: { adcode?: number | string; name?: string; [k: string]: unknown }; geometry: unknown }[]
}

/** Where an attachment is downloaded from (a plain link: the session cookie goes along). */
export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}`

export const warningApi = {
  list: (q: Query, opts: RequestOptions = {}) => api.get<List<Warning>>('warnings', q, opts),
  settings: () => api.get<WarningSettings>('settings/warnings'),
  updateSettings: (body: WarningSettings) => api.put<WarningSettings>('settings/warnings', body, { quiet: true }),
}

export const industryApi = {
  search: (q: string) => api.get<Items<Industry>>('industries', { q }, { quiet: true }),
}

export const evaluationApi = {
  forProject: (projectId: number) => api.get<List<Evaluation>>(`projects/${projectId}/evaluations`),
  create: (projectId: number, body: { evaluated_on: string; inputs: EvaluationInputs }) =>
    api.post<Evaluation>(`projects/${projectId}/evaluations`, body, { quiet: true }),
  get: (id: number | string) => api.get<Evaluation>(`evaluations/${id}`, undefined, { quiet: true }),
  revise: (id: number, body: { evaluated_on: string; inputs: EvaluationInputs; version: number }) =>
    api.put<Evaluation>(`evaluations/${id}`, body, { quiet: true }),
  step: (id: number, action: EvaluationStepAction, body: EvaluationStep) =>
    api.post<Evaluation>(`evaluations/${id}/${action}`, body, { quiet: true }),
  docx: (id: number, fallbackName: string) => download(`/api/v1/evaluations/${id}/docx`, {}, fallbackName),
  baselines: () => api.get<List<BaselineSet>>('baselines'),
  createBaseline: (body: Omit<BaselineSet, 'id' | 'park_name' | 'created_at'>) =>
    api.post<BaselineSet>('baselines', body, { quiet: true }),
  summary: () => api.get<ScreeningSummary>('evaluations/summary'),
  gate: () => api.get<GateSetting>('settings/screening-gate'),
  saveGate: (body: GateSetting) => api.put<GateSetting>('settings/screening-gate', body, { quiet: true }),
  negativeList: () => api.get<List<NegativeItem>>('negative-list'),
  updateNegative: (id: number, body: NegativeItem) => api.put<NegativeItem>(`negative-list/${id}`, body, { quiet: true }),
}
