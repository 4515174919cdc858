// Types of the foundation API (docs/api-foundation.md). Field names follow
// the server's JSON exactly.

export type Scope = 'all' | 'unit_and_below' | 'unit' | 'self'

export const SCOPES: Scope[] = ['all', 'unit_and_below', 'unit', 'self']

export interface Me {
  id: number
  username: string
  display_name: string
  unit_id: number | null
  unit_name: string
  roles: string[]
  permissions: string[]
  scope: Scope
  must_change_password: boolean
}

export interface Session {
  csrf_token: string
  user: Me
}

export interface List<T> {
  items: T[]
  total: number
}

export type UnitKind =
  | 'commission_office'
  | 'working_group'
  | 'locality'
  | 'park'
  | 'department'
  | 'office_away'

export const UNIT_KINDS: UnitKind[] = [
  'commission_office',
  'working_group',
  'locality',
  'park',
  'department',
  'office_away',
]

export interface Unit {
  id: number
  code: string
  name: string
  short_name: string
  kind: UnitKind
  parent_id: number | null
  status: 'active' | 'closed'
  effective_from: string
  closed_on: string | null
  sort: number
  version: number
}

export interface UnitHistoryRow {
  effective_from: string
  effective_to: string | null
  code: string
  name: string
  parent_id: number | null
  parent_name: string
  kind: UnitKind
  status: 'active' | 'closed'
  change: 'create' | 'rename' | 'move' | 'close' | string
  reason: string
}

export interface RoleRef {
  id: number
  code: string
  name: string
}

export interface User {
  id: number
  username: string
  display_name: string
  unit_id: number
  unit_name: string
  phone: string
  email: string
  status: 'active' | 'disabled'
  locked_until: string | null
  roles: RoleRef[]
  version: number
  created_at: string
}

export interface Role {
  id: number
  code: string
  name_zh: string
  name_en: string
  scope: Scope
  permissions: string[]
  builtin: boolean
  version: number
}

export interface Permission {
  code: string
  group: string
  name_zh: string
  name_en: string
}

export interface DictType {
  type: string
  name_zh: string
  name_en: string
}

export interface DictItem {
  id: number
  type: string
  code: string
  label_zh: string
  label_en: string
  sort: number
  enabled: boolean
  version: number
}

export interface AuditEntry {
  id: number
  at: string
  user_id: number | null
  username: string
  unit_id: number | null
  unit_name: string
  client_addr: string
  action: string
  object_type: string
  object_id: string | number
  before: unknown
  after: unknown
}

export interface AuditVerify {
  ok: boolean
  checked: number
  first_bad_id: number | null
  message: string
}

export interface SigninEntry {
  id: number
  at: string
  username: string
  user_id: number | null
  client_addr: string
  user_agent: string
  result: 'success' | 'failure'
  reason: string
}

export interface Token {
  id: number
  name: string
  prefix: string
  created_at: string
  last_used_at: string | null
  expires_on: string | null
  revoked_at: string | null
}

export interface TokenCreated {
  token: string
  item: Token
}

// --- projects (docs/api-projects.md) ---

export type Stage = 'lead' | 'negotiating' | 'signed' | 'registered' | 'construction' | 'production'

export const STAGES: Stage[] = ['lead', 'negotiating', 'signed', 'registered', 'construction', 'production']

export type ProjectStatus = 'active' | 'on_hold' | 'terminated'

export const PROJECT_STATUSES: ProjectStatus[] = ['active', 'on_hold', 'terminated']

export type ChainRole = 'build' | 'fill' | 'strengthen' | ''

export const CHAIN_ROLES: Exclude<ChainRole, ''>[] = ['build', 'fill', 'strengthen']

export interface Introducer {
  unit_id: number
  unit_name: string
  share: number
}

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

export interface ProjectInput {
  name: string
  investor_name: string
  investor_uscc: string
  industry_code: string
  chain_role: ChainRole
  contract_investment: number
  fixed_asset_investment: number
  foreign_capital: number
  funds_in_place: number
  is_foreign: boolean
  source_region: string
  channel: string
  referrer: string
  tags: string[]
  land_area_mu: number
  expected_output: number
  expected_tax: number
  expected_jobs: number
  locality_unit_id: number | null
  introducers: { unit_id: number; share: number }[]
  leader_user_id: number | null
  intro_officer_user_id: number | null
  locality_officer_user_id: number | null
  is_key: boolean
  campaign_id?: number | null
  referrer_advisor_id?: number | null
  referrer_partner_id?: number | null
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

export interface TimelineItem {
  at: string
  on: string | null
  kind: 'transition' | 'tracking' | 'request' | 'audit' | string
  title: string
  detail: string
  by: string
}

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

export interface Industry {
  code: string
  name: string
  level: number | string
  parent: string
}

// --- ledger import, approval steps, land parcels, merge (docs/api-projects.md) ---

export type ImportMode = 'all_or_nothing' | 'valid_only'

export const IMPORT_MODES: ImportMode[] = ['all_or_nothing', 'valid_only']

export interface ImportError {
  /** The spreadsheet's row number (the header is row 1). */
  row: number
  /** The column's Chinese header. */
  column: string
  message: string
  message_en: string
}

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

// --- statistics (docs/api-stats.md) ---

export interface Band {
  code: string
  label_zh: string
  label_en: string
  op: '>=' | '>'
  threshold: number
}

export interface StatsRules {
  bands: Band[]
  introducer_credit: 'share' | 'full'
  terminated: 'exclude' | 'include'
  rank_metric: 'contract_investment' | 'count'
  version: number
}

export interface StatsRulesAnswer {
  rules: StatsRules
  notes: string[]
  metrics: string[]
}

export interface TargetItem {
  unit_id: number | null
  unit_name?: string
  metric: string
  value: number
}

export interface Targets {
  year: number
  items: TargetItem[] | null
}

/** Sums of a figure: exact integers (basis points) and display strings. */
export interface Sums {
  count_bp: number
  amount_e4: number
  foreign_e4: number
  bands_bp: Record<string, number> | null
  /** "1.5" */
  count: string
  /** "12345.60" 万元 */
  amount: string
  foreign_capital: string
  bands: Record<string, string> | null
}

export interface Figure {
  unit_id: number
  unit_name: string
  /** the year's band targets, hundredths of a project, by band code */
  band_targets?: Record<string, number> | null
  kind: UnitKind | 'city'
  month: Sums
  ytd: Sums
  /** hundredths of 万元 */
  target: number
  /** "87.35" or "" */
  completion: string
  completed: boolean
  registered_bp: number
  construction_bp: number
  production_bp: number
}

export interface MonthlyReport {
  period: string
  /** progress at a day: the year's projects signed up to and including it */
  as_of?: string
  closed: boolean
  closed_at: string
  rules: StatsRules
  rule_notes: string[] | null
  city: Figure | null
  units: Figure[] | null
}

export interface Credit {
  project_id: number
  code: string
  name: string
  signed_on: string
  investment: number
  unit_id: number
  role: 'city' | 'locality' | 'introducer' | string
  count_bp: number
  amount_e4: number
  foreign_e4: number
  bands: Record<string, number> | string[] | null
  stage: Stage
  note: string
}

export interface Period {
  id: number
  period: string
  closed_at: string | null
  closed_by: string
  reopened_at: string | null
  reason: string
}

export interface RankItem {
  unit_id: number
  unit_name: string
  ytd: Sums
  target: number
  completion: string
  completed: boolean
  rank: number | null
  previous_rank: number | null
  movement: number | null
}

export interface Ranking {
  year: number
  quarter: number
  period: string
  metric: string
  groups: { group: 'working_group' | 'locality'; items: RankItem[] | null }[] | null
}

// --- screening (论证评估) ---

export type EvaluationStatus = 'draft' | 'submitted' | 'reviewed' | 'approved' | 'returned'
export type Verdict = 'pass' | 'conditional' | 'fail'

export interface EvaluationInputs {
  land_area_mu: number
  fixed_asset_investment: number
  building_investment: number
  equipment_investment: number
  land_investment: number
  total_investment: number
  expected_output: number
  expected_tax: number
  jobs: number
  energy_tce: number
  water_tonnes: number
  emissions_category: string
  eia_category: string
  floor_area_ratio: number
  building_coverage: number
  admin_facility_share: number
  park_unit_id: number | null
  residential_land: boolean
  non_industrial_facilities: boolean
}

export interface BaselineRule {
  indicator: string
  op: 'min' | 'max'
  value: number
  note: string
}

export interface BaselineSet {
  id: number
  name: string
  park_unit_id: number | null
  park_name: string
  industry_prefixes: string[] | null
  effective_from: string
  is_default: boolean
  note: string
  rules: BaselineRule[] | null
  created_at?: string
}

export interface IndicatorResult {
  code: string
  name_zh: string
  name_en: string
  unit: string
  formula_zh: string
  formula_en: string
  /** two decimals; '' when it cannot be computed */
  value: string
  missing: boolean
}

export interface RuleResult extends BaselineRule {
  name_zh: string
  name_en: string
  unit: string
  actual: string
  result: 'pass' | 'fail' | 'missing'
  reason_zh: string
  reason_en: string
}

export interface CheckItem {
  code: string
  name_zh: string
  name_en: string
  source: 'system' | 'reviewer'
  status: 'pass' | 'fail' | 'flag' | 'pending'
  detail_zh: string
  detail_en: string
}

export interface Confirmation {
  answer: 'ok' | 'not_ok'
  comment: string
}

export interface EvaluationResults {
  set: BaselineSet | null
  indicators: IndicatorResult[] | null
  rules: RuleResult[] | null
  checklist: CheckItem[] | null
  verdict: Verdict | ''
  reasons_zh: string[] | null
  reasons_en: string[] | null
}

export interface EvaluationReview {
  action: 'create' | 'revise' | 'submit' | 'review' | 'approve' | 'return' | string
  comment: string
  by_name: string
  by_user_id?: number | null
  at: string
}

export interface Evaluation {
  id: number
  project_id: number
  project_name: string
  project_code: string
  status: EvaluationStatus
  evaluated_on: string
  inputs: EvaluationInputs
  confirmations: Record<string, Confirmation> | null
  results: EvaluationResults
  verdict: Verdict | ''
  conditions: string
  reviews: EvaluationReview[] | null
  version: number
  updated_at?: string
}

export type EvaluationStepAction = 'submit' | 'review' | 'approve' | 'return'

export interface EvaluationStep {
  comment: string
  conditions?: string
  confirmations?: Record<string, Confirmation>
  version: number
}

/** Screenings counted by verdict (GET /api/v1/evaluations/summary). */
export interface ScreeningTally {
  key: string
  name: string
  screened: number
  pass: number
  conditional: number
  fail: number
}

/** A project in production whose funds in place fell short of its screened investment (万元). */
export interface ScreeningShortfall {
  project_id: number
  project_name: string
  project_code: string
  screened_fixed_asset_investment: number
  funds_in_place: number
}

export interface ScreeningSummary {
  total: ScreeningTally
  by_park: ScreeningTally[] | null
  by_industry: ScreeningTally[] | null
  failed_rules: ScreeningTally[] | null
  shortfalls: ScreeningShortfall[] | null
}

/** The signing gate: require an approved screening, or only warn. */
export interface GateSetting {
  mode: 'require' | 'warn'
  version: number
}

export interface NegativeItem {
  id: number
  edition: string
  no: number
  sector: string
  measure: string
  section: string
  kind: string
  verification: string
  /** GB/T 4754 classes (4 digits) the item covers: projects are matched on these */
  classes?: string[]
  enabled: boolean
  version: number
}

// --- cockpit, annual evaluation (docs/api-stats.md, second slice) ---

export interface CockpitBand {
  code: string
  label: string
  /** counts as decimal strings ("1.5") */
  actual: string
  target: string
}

export interface CockpitMapItem {
  /** the county/district or zone the projects land in; 0 for "other" */
  unit_id: number
  /** county (on the map), zone (city-level zone, listed beside it) or other */
  kind: 'county' | 'zone' | 'other'

  /** the county's administrative code; the GeoJSON features' adcode */
  code: string
  name: string
  count: string
  /** 万元, "553590.00" */
  amount: string
}

export interface CockpitProject {
  id: number
  code: string
  name: string
  amount: string
  signed_on: string
  locality: string
  stage: Stage
}

export interface CockpitShare {
  code: string
  count: number
  amount: string
  /** the project-list filter whose rows this part is */
  query: Record<string, string>
}

export interface ForecastTarget {
  metric: string
  target: string
  actual: string
  /** percent, "87.50" */
  probability: string
}

export interface PipelineRow {
  id: number
  code: string
  name: string
  stage: string
  amount: string
  expected_sign_on: string
  overdue: boolean
  rate: string
}

export interface HistoryRow {
  id: number
  code: string
  name: string
  lead_on: string
  expected_sign_on: string
  signed_on: string
}

export interface Forecast {
  method_zh: string
  method_en: string
  /** percent */
  lead_rate: string
  negotiating_rate: string
  /** projects the rates were learnt from */
  history_basis: number
  /** leads and negotiations expected to sign in the year */
  pipeline: number
  /** of which the expected day has passed; they count at overdue_rate ("" : not at all) */
  overdue?: number
  overdue_rate?: string
  actual: string
  expected: string
  targets: ForecastTarget[] | null
  simulations: number
}

export interface Cockpit {
  year: number
  scope: 'city' | 'unit'
  unit_id: number
  unit_name: string
  headline: Figure
  bands: CockpitBand[] | null
  /** 12 × 万元 strings */
  trend: { this_year: string[] | null; last_year: string[] | null }
  /** query: the project-list filter whose rows the count is */
  funnel: { stage: Stage; count: number; query: Record<string, string> }[] | null
  map: CockpitMapItem[] | null
  ranking: Ranking | null
  big_projects: CockpitProject[] | null
  source_regions: CockpitShare[] | null
  channels: CockpitShare[] | null
  stalled: Warning[] | null
  forecast: Forecast | null
}

export type SchemeMethod = 'completion' | 'efficacy' | 'deduction'

export interface SchemeItem {
  code: string
  name_zh: string
  name_en?: string
  method: SchemeMethod
  metric: string
  weight: number
  cap: number
  points: number
  rule: string
}

export interface Scheme {
  items: SchemeItem[] | null
  /** the year this scheme governs (schemes are versioned by year) */
  year?: number
  /** the year whose version it is (earlier until the year gets its own; 0: the default) */
  from_year?: number
  version: number
}

export interface AnnualScore {
  unit_id: number
  unit_name: string
  /** item code → points, two decimals */
  items: Record<string, string | number> | null
  total: string
  rank: number | null
  completed: boolean
  completion: string
  commended: boolean
  explanation_required: boolean
  major_reward?: boolean
}

export interface AnnualListEntry {
  unit_id: number
  unit_name: string
  [key: string]: unknown
}

/** The three lists: the server sends unit names (the doc leaves the shape open). */
export type AnnualList = (string | AnnualListEntry)[] | null

export interface Annual {
  year: number
  period?: string
  scheme: Scheme
  /** the basis of the commend / explain lists, in words */
  basis_zh?: string
  basis_en?: string
  groups: { group: 'working_group' | 'locality'; scores: AnnualScore[] | null; untargeted?: { unit_id: number; unit_name: string }[] | null }[] | null
  /** set once the year's evaluation is published (frozen) */
  published?: { published_at: string; published_by: string } | null
  commended: AnnualList
  explanation_required: AnnualList
  major_reward: AnnualList
}

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

export interface LandUse {
  supplied_mu: number
  need_mu: number
  over_need: boolean
  investment_per_mu: number
  tax_per_mu: number
  warning_zh?: string
  warning_en?: string
}
