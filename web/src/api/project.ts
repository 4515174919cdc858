// Projects: the ledger, stages, attachments, tracking, requests, approvals,
// imports, land parcels, warnings (docs/api-projects.md).
import { api, download, downloadPost, request, type Query, type RequestOptions, type Items, type List } from './client'
import type { Schema } from './schema'

export type Stage = 'lead' | 'negotiating' | 'signed' | 'registered' | 'construction' | 'production'

export const STAGES: Stage[] = ['lead', 'negotiating', 'signed', 'registered', 'construction', 'production']

export type ProjectStatus = 'active' | 'on_hold' | 'terminated'

export const PROJECT_STATUSES: ProjectStatus[] = ['active', 'on_hold', 'terminated']

export type ChainRole = 'build' | 'fill' | 'strengthen' | ''

export const CHAIN_ROLES: Exclude<ChainRole, ''>[] = ['build', 'fill', 'strengthen']

export type Introducer = Schema<'project.Introducer'>

export type HandoverStatus = 'none' | 'pending' | 'accepted' | 'declined'

export interface Handover {
  status: HandoverStatus
  to_unit_id: number | null
  to_unit_name: string
  sent_on: string | null
  deadline: string | null
  decided_on: string | null
  reason: string
}

export type WarningRule =
  | 'signed_not_registered'
  | 'registered_no_construction'
  | 'no_tracking'
  | 'handover_overdue'
  | 'request_overdue'

export const WARNING_RULES: WarningRule[] = [
  'signed_not_registered',
  'registered_no_construction',
  'no_tracking',
  'handover_overdue',
  'request_overdue',
]

export interface Warning {
  rule: WarningRule
  project_id: number
  project_name: string
  project_code: string
  unit_name: string
  since: string
  days: number
  /** The doc names it message; the server sends detail. Both are read. */
  message?: string
  detail?: string
}

export interface Project {
  id: number
  code: string
  name: string
  investor_name: string
  investor_uscc: string
  industry_code: string
  industry_name: string
  chain_role: ChainRole
  contract_investment: number
  fixed_asset_investment: number
  foreign_capital: number
  funds_in_place: number
  is_foreign: boolean
  source_region: string
  channel: string
  referrer: string
  tags: string[] | null
  land_area_mu: number
  expected_output: number
  expected_tax: number
  expected_jobs: number
  stage: Stage
  status: ProjectStatus
  status_reason: string
  lead_on: string | null
  negotiating_on: string | null
  signed_on: string | null
  registered_on: string | null
  construction_on: string | null
  production_on: string | null
  owner_unit_id: number
  owner_unit_name: string
  locality_unit_id: number | null
  locality_unit_name: string
  introducers: Introducer[] | null
  handover: Handover | null
  leader_user_id: number | null
  leader_name: string
  intro_officer_user_id: number | null
  intro_officer_name: string
  locality_officer_user_id: number | null
  locality_officer_name: string
  is_key: boolean
  // the campaign the project came from and who referred it
  campaign_id?: number | null
  campaign_name?: string
  referrer_advisor_id?: number | null
  referrer_advisor_name?: string
  referrer_partner_id?: number | null
  referrer_partner_name?: string
  last_tracking_on?: string | null
  warnings?: Warning[] | null
  version: number
  created_at: string
  updated_at: string
  created_by_name: string
  /** Ledger-imported at signed or later: pending until verified (counted nowhere meanwhile). */
  verification?: Verification
  merged_into_id?: number | null
  /** land-use figures (a single project's page) */
  land?: LandUse
}

/** The fields a project's form sends as the project has them. */
type ProjectOwnFields =
  | 'name'
  | 'investor_name'
  | 'investor_uscc'
  | 'industry_code'
  | 'chain_role'
  | 'contract_investment'
  | 'fixed_asset_investment'
  | 'foreign_capital'
  | 'funds_in_place'
  | 'is_foreign'
  | 'source_region'
  | 'channel'
  | 'referrer'
  | 'land_area_mu'
  | 'expected_output'
  | 'expected_tax'
  | 'expected_jobs'
  | 'locality_unit_id'
  | 'leader_user_id'
  | 'intro_officer_user_id'
  | 'locality_officer_user_id'
  | 'is_key'
  | 'campaign_id'
  | 'referrer_advisor_id'
  | 'referrer_partner_id'

/** What the project form sends: the project's own fields, and what only the form says. */
export interface ProjectInput extends Pick<Project, ProjectOwnFields> {
  tags: string[]
  introducers: { unit_id: number; share: number }[]
  lead_on: string
  confirm_distinct?: boolean
  /** why it is not the look-alike (required with confirm_distinct when one is found) */
  distinct_reason?: string
  version?: number
}

export interface DuplicateItem {
  id: number | null
  name: string
  unit_name: string
  in_scope: boolean
  investor_name?: string
  stage?: Stage
}

export type TransitionAction = Exclude<Stage, 'lead'> | 'back' | 'hold' | 'resume' | 'terminate'

export interface TransitionInput {
  action: TransitionAction
  on?: string
  evidence?: string
  attachment_id?: number
  reason?: string
  version: number
}

export type TimelineItem = Schema<'project.TimelineItem'>

export type AttachmentKind = 'agreement' | 'registration' | 'land_contract' | 'production_proof' | 'photo' | 'other'

export const ATTACHMENT_KINDS: AttachmentKind[] = [
  'agreement', 'registration', 'land_contract', 'production_proof', 'photo', 'other',
]

export interface Attachment {
  id: number
  kind: AttachmentKind
  filename: string
  content_type: string
  size: number
  created_at: string
  created_by_name: string
}

export type TrackingKind = 'visit' | 'call' | 'meeting'

export const TRACKING_KINDS: TrackingKind[] = ['visit', 'call', 'meeting']

export interface TrackingRecord {
  id: number
  kind: TrackingKind
  on: string
  summary: string
  next_step: string
  next_on: string | null
  by_name: string
  created_at: string
}

/** An enterprise request (企业诉求); not the DOM's Request. */
export interface EnterpriseRequest {
  id: number
  project_id?: number
  title: string
  detail: string
  owner_unit_id: number | null
  owner_unit_name: string
  deadline: string | null
  status: 'open' | 'resolved'
  resolution: string
  resolved_on: string | null
  version: number
}

export interface WarningSettings {
  signed_not_registered_months: number
  registered_no_construction_months: number
  no_tracking_days: number
  handover_days: number
  version?: number
}

export type ImportMode = 'all_or_nothing' | 'valid_only'

export const IMPORT_MODES: ImportMode[] = ['all_or_nothing', 'valid_only']

export type ImportError = Schema<'tabular.RowError'>

/** One parsed row of the preview (the server sends the good rows). */
export interface ImportPreviewRow {
  row: number
  name: string
  investor_name: string
  stage: Stage
  contract_investment: number
  locality_unit_id: number | null
  signed_on: string | null
  /** enters pending verification (signed or later) */
  pending?: boolean
}

export interface ImportResult {
  dry_run: boolean
  mode: ImportMode
  rows: number
  valid: number
  imported: number
  /** good rows at signed or later: they enter pending verification */
  pending?: number
  errors: ImportError[] | null
  preview: ImportPreviewRow[] | null
  errors_total?: number // every row error; errors holds the first 1,000
  errors_truncated?: boolean
}

export type ApprovalStatus = 'pending' | 'in_progress' | 'approved' | 'rejected'

export const APPROVAL_STATUSES: ApprovalStatus[] = ['pending', 'in_progress', 'approved', 'rejected']

export interface Approval {
  id: number
  project_id: number
  kind: string
  status: ApprovalStatus
  submitted_on: string | null
  approved_on: string | null
  document_no: string
  note: string
  /** the unit handling the step; it sees the step among its assigned work */
  unit_id?: number | null
  unit_name?: string
  version: number
}

export interface ApprovalInput {
  kind: string
  status: ApprovalStatus
  submitted_on: string | null
  approved_on: string | null
  document_no: string
  note: string
  unit_id?: number | null
  version?: number
}

export type ParcelStatus = 'available' | 'reserved' | 'supplied'

export const PARCEL_STATUSES: ParcelStatus[] = ['available', 'reserved', 'supplied']

export interface Parcel {
  id: number
  park_unit_id: number
  park_name: string
  code: string
  location: string
  area_mu: number
  land_use: string
  status: ParcelStatus
  project_id: number | null
  project_name: string
  supplied_on: string | null
  version: number
  updated_at?: string
  /** why it went outside the landing locality, or was released */
  reason?: string
  land?: LandUse
}

export type ParcelAction = 'reserve' | 'supply' | 'release'

export interface Verification {
  status: '' | 'pending' | 'verified'
  by_user_id: number | null
  by_name: string
  at: string | null
  note: string
  attachment_id: number | null
}

export interface VerifyInput {
  id?: number
  version: number
  attachment_id?: number | null
  reason?: string
}

export interface BulkVerified {
  verified: number
  items: Project[]
}

export type LandUse = Schema<'project.LandUse'>

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

/** Where an attachment is downloaded from (a plain link: the session cookie goes along). */
export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}`

export const warningApi = {
  list: (q: Query, opts: RequestOptions = {}) => api.get<List<Warning>>('warnings', q, opts),
  settings: () => api.get<WarningSettings>('settings/warnings'),
  updateSettings: (body: WarningSettings) => api.put<WarningSettings>('settings/warnings', body, { quiet: true }),
}
