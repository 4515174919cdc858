// Issue 7's routes (docs/api-campaigns.md): campaigns and the channel
// report; notices and feedback reports; advisors, partners, intelligence,
// staff and training. Kept apart from index.ts so that it merges cleanly.
import { api, type Query } from './client'
import type { List } from './types'

export const CAMPAIGN_KINDS = ['fair', 'themed_trip', 'signing_ceremony', 'online'] as const
export const REPORT_GROUPINGS = ['channel', 'campaign', 'source_region', 'office'] as const
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number]

export interface StageFigure {
  count: number
  amount: number
}

export interface Funnel {
  leads: StageFigure
  negotiating: StageFigure
  signed: StageFigure
  landed: StageFigure
}

export interface Campaign {
  id: number
  name: string
  kind: string
  starts_on: string
  ends_on: string
  place: string
  source_region: string
  organiser_unit_id: number
  organiser_unit_name: string
  units: { id: number; name: string }[]
  participants: string
  target_enterprises: string
  budget: number
  spend: number | null
  summary: string
  results?: Funnel
  version: number
}

export interface CampaignInput {
  name: string
  kind: string
  starts_on: string
  ends_on: string
  place: string
  source_region: string
  organiser_unit_id: number | null
  unit_ids: number[]
  participants: string
  target_enterprises: string
  budget: number
  spend: number | null
  summary: string
  version?: number
}

export interface CampaignProject {
  id: number
  code: string
  name: string
  investor_name: string
  stage: string
  status: string
  channel: string
  contract_investment: number
  lead_on: string
  signed_on: string | null
  locality_unit_name: string
}

export interface ReportRow extends Funnel {
  key: string
  name: string
  signing_rate: number
  landing_rate: number
  spend: number | null
  cost_per_yi: number | null
}

export interface ChannelReport {
  by: ReportGrouping
  rows: ReportRow[]
  total: ReportRow
}

export const campaignApi = {
  list: (q: Query) => api.get<List<Campaign>>('campaigns', q),
  get: (id: number) => api.get<Campaign>(`campaigns/${id}`),
  create: (body: CampaignInput) => api.post<Campaign>('campaigns', body, { quiet: true }),
  update: (id: number, body: CampaignInput) => api.put<Campaign>(`campaigns/${id}`, body, { quiet: true }),
  projects: (id: number) => api.get<List<CampaignProject>>(`campaigns/${id}/projects`),
  report: (q: { by: ReportGrouping; from?: string; to?: string }) => api.get<ChannelReport>('campaigns/report', q),
}
