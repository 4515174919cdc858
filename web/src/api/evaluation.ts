// Screening (论证评估): evaluations, baselines, the negative list, the
// signing gate (docs/api-evaluation.md).
import { api, download, type List } from './client'

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
