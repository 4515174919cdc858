// Statistics: targets, the monthly report, ranking, the cockpit and the
// annual evaluation (docs/api-stats.md).
import { api, download, request, type List } from './client'
import type { UnitKind } from './org'
import type { Stage, Warning } from './project'
import type { Schema } from './schema'

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

export type Forecast = Schema<'assess.Forecast'>

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
