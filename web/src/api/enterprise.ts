// The target-enterprise library and the industry chains (docs/api-enterprises.md):
// types and one function per route.
import { api, download, request, type Query, type RequestOptions, type List } from './client'
import type { Project } from './project'

type Items<T> = { items: T[]; total?: number }

export const ENTERPRISE_STATUSES = ['not_contacted', 'contacted', 'negotiating', 'signed', 'settled'] as const
export type EnterpriseStatus = (typeof ENTERPRISE_STATUSES)[number]
export const ENTERPRISE_SORTS = ['capital', 'revenue', 'staff', 'name'] as const
export type EnterpriseSort = (typeof ENTERPRISE_SORTS)[number]
export const TOP_MEASURES = ['revenue', 'capital', 'staff'] as const
export type TopMeasure = (typeof TOP_MEASURES)[number]

export interface Enterprise {
  id: number
  credit_code: string
  name: string
  former_names: string[] | null
  industry_code: string
  industry_name: string
  region_code: string
  region_name: string
  /** 万元 */
  registered_capital: number
  founded_on: string | null
  revenue: number | null
  staff: number | null
  listing_code: string
  tags: string[] | null
  is_target: boolean
  owner_unit_id: number | null
  owner_unit_name: string
  status: EnterpriseStatus
  expanded_on: string | null
  archived: boolean
  version: number
  created_at?: string
  updated_at?: string
}

export interface EnterpriseInput {
  credit_code: string
  name: string
  former_names: string[]
  industry_code: string
  region_code: string
  registered_capital: number
  founded_on: string | null
  revenue: number | null
  staff: number | null
  listing_code: string
  tags: string[]
  is_target: boolean | null
  owner_unit_id: number | null
  status: EnterpriseStatus
  expanded_on: string | null
  version: number
}

export interface Intention {
  id: number
  enterprise_id: number
  content: string
  place: string
  amount: number
  heard_on: string
  source: string
  created_by: string
  created_at: string
}

export interface IntentionInput {
  content: string
  place: string
  amount: number
  heard_on: string
  source: string
}

export interface Visit {
  id: number
  enterprise_id: number
  visited_on: string
  visitors: string
  unit_id: number | null
  unit_name: string
  outcome: string
  next_step: string
  next_on: string | null
  created_by: string
  created_at: string
}

export interface VisitInput {
  visited_on: string
  visitors: string
  outcome: string
  next_step: string
  next_on: string | null
}

export interface EnterpriseProject {
  id: number
  code: string
  name: string
  stage: string
  status: string
  contract_investment: number
  owner_unit_name: string
}

export interface LeadInput {
  name?: string
  channel: string
  source_region?: string
  contract_investment?: number
  confirm_distinct?: boolean
  distinct_reason?: string
}

export interface Ranked extends Enterprise {
  rank: number
  contacted: boolean
}

export interface EnterpriseImportError {
  row: number
  column: string
  message: string
  message_en: string
}

export interface EnterpriseRecord {
  credit_code: string
  name: string
  former_names: string
  industry_code: string
  region_code: string
  /** 万元 (0: keep the stored value) */
  registered_capital: number
  founded_on: string
  revenue: number | null
  staff: number | null
  listing_code: string
  tags: string
  expanded_on: string
  is_target: boolean
}

export interface EnterpriseImportResult {
  total: number
  valid: number
  failed: number
  inserted: number
  updated: number
  errors: EnterpriseImportError[] | null
  truncated: boolean
  preview: EnterpriseRecord[] | null
  dry_run: boolean
  seconds?: number
}

export interface ImportJob {
  id: number
  kind: string
  filename: string
  status: 'running' | 'done' | 'failed' | 'interrupted'
  phase: '' | 'read' | 'write' | 'index'
  total: number
  processed: number
  /** valid rows committed (counted in the same transaction as they land) */
  committed: number
  failed: number
  /** the server running the job */
  owner: string
  started_at: string | null
  heartbeat_at: string | null
  result: EnterpriseImportResult | null
  message: string
  created_at: string
  finished_at: string | null
}

export interface Region {
  code: string
  name: string
  level: number | string
  parent: string
}

// --- chains ---

export const CHAIN_STAGES = ['upstream', 'midstream', 'downstream'] as const
export type ChainStage = (typeof CHAIN_STAGES)[number]

export interface ChainNode {
  id: number
  chain_id: number
  parent_id: number | null
  kind: 'segment' | 'link'
  stage: ChainStage | ''
  name: string
  industry_codes: string[] | null
  keywords: string[] | null
  sort: number
}

export interface Chain {
  id: number
  code: string
  name: string
  description: string
  sort: number
  version: number
  links: number
  nodes?: ChainNode[]
  updated_at?: string
}

export interface ChainInput {
  code: string
  name: string
  description: string
  sort: number
  version: number
}

export interface NodeInput {
  parent_id: number | null
  kind: 'segment' | 'link'
  stage: string
  name: string
  industry_codes: string[]
  keywords: string[]
  sort: number
}

export type Strength = 'gap' | 'weak' | 'strong'

export interface MapNode extends ChainNode {
  local_enterprises: number
  target_enterprises: number
  projects: number
  strength: Strength
}

export interface ChainMap {
  chain: Chain
  nodes: MapNode[]
  gaps: number
  rule: string
  rule_en: string
}

export interface ScoreParts {
  link_fit: number
  tags: number
  size: number
  intentions: number
  expansion: number
  region: number
}

export const SCORE_PARTS = ['link_fit', 'tags', 'size', 'intentions', 'expansion', 'region'] as const

export interface Recommendation {
  enterprise: Enterprise
  score: number
  parts: ScoreParts
  why: string[] | null
  why_en: string[] | null
}

export interface Recommendations {
  node: MapNode
  mode: 'fill' | 'strengthen'
  items: Recommendation[]
  total: number
  weights: ScoreParts
  method: string
  method_en: string
}

export const enterpriseApi = {
  list: (q: Query, opts: RequestOptions = {}) => api.get<List<Enterprise>>('enterprises', q, opts),
  get: (id: number | string) => api.get<Enterprise>(`enterprises/${id}`, undefined, { quiet: true }),
  create: (body: EnterpriseInput) => api.post<Enterprise>('enterprises', body, { quiet: true }),
  update: (id: number, body: EnterpriseInput) => api.put<Enterprise>(`enterprises/${id}`, body, { quiet: true }),
  archive: (id: number, version: number) => api.post<Enterprise>(`enterprises/${id}/archive`, { version }, { quiet: true }),
  restore: (id: number, version: number) => api.post<Enterprise>(`enterprises/${id}/restore`, { version }, { quiet: true }),
  intentions: (id: number) => api.get<Items<Intention>>(`enterprises/${id}/intentions`),
  addIntention: (id: number, body: IntentionInput) => api.post<Intention>(`enterprises/${id}/intentions`, body, { quiet: true }),
  visits: (id: number) => api.get<Items<Visit>>(`enterprises/${id}/visits`),
  addVisit: (id: number, body: VisitInput) => api.post<Visit>(`enterprises/${id}/visits`, body, { quiet: true }),
  projects: (id: number) => api.get<Items<EnterpriseProject>>(`enterprises/${id}/projects`, undefined, { quiet: true }),
  startLead: (id: number, body: LeadInput) => api.post<Project>(`enterprises/${id}/lead`, body, { quiet: true }),
  top: (q: { industry: string; measure: TopMeasure; limit?: number }) =>
    api.get<Items<Ranked>>('enterprises/top', q, { quiet: true }),
  template: (fallbackName: string) => download('/api/v1/enterprises/import/template', {}, fallbackName),
  /** A dry run: the whole check, answered at once. */
  importPreview: (file: File | Blob, filename?: string) => {
    const form = new FormData()
    if (filename) form.append('file', file, filename)
    else form.append('file', file)
    return request<EnterpriseImportResult>('POST', 'enterprises/import', { form, query: { dry_run: 1 }, quiet: true })
  },
  /** The real import: 202 with a job to poll. */
  importStart: (file: File | Blob, filename?: string) => {
    const form = new FormData()
    if (filename) form.append('file', file, filename)
    else form.append('file', file)
    return request<ImportJob>('POST', 'enterprises/import', { form, quiet: true })
  },
  job: (id: number) => api.get<ImportJob>(`enterprises/import/jobs/${id}`, undefined, { quiet: true }),
  jobErrors: (id: number, fallbackName: string) => download(`/api/v1/enterprises/import/jobs/${id}/errors`, {}, fallbackName),
}

export const regionApi = {
  search: (q: string) => api.get<Items<Region>>('regions', { q }, { quiet: true }),
}

export const chainApi = {
  list: () => api.get<Items<Chain>>('chains'),
  get: (id: number | string) => api.get<Chain>(`chains/${id}`, undefined, { quiet: true }),
  create: (body: ChainInput) => api.post<Chain>('chains', body, { quiet: true }),
  update: (id: number, body: ChainInput) => api.put<Chain>(`chains/${id}`, body, { quiet: true }),
  addNode: (chainId: number, body: NodeInput) => api.post<ChainNode>(`chains/${chainId}/nodes`, body, { quiet: true }),
  updateNode: (id: number, body: NodeInput) => api.put<ChainNode>(`chain-nodes/${id}`, body, { quiet: true }),
  deleteNode: (id: number) => api.del<void>(`chain-nodes/${id}`, { quiet: true }),
  map: (id: number | string) => api.get<ChainMap>(`chains/${id}/map`, undefined, { quiet: true }),
  recommendations: (nodeId: number, limit = 20) =>
    api.get<Recommendations>(`chain-nodes/${nodeId}/recommendations`, { limit }, { quiet: true }),
  projectLinks: (projectId: number) => api.get<Items<ChainNode>>(`projects/${projectId}/chain-links`, undefined, { quiet: true }),
  setProjectLinks: (projectId: number, node_ids: number[]) =>
    api.put<Items<ChainNode>>(`projects/${projectId}/chain-links`, { node_ids }, { quiet: true }),
}
