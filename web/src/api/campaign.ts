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

// --- notices and feedback reports (R10) ---

export interface Notice {
  id: number
  title: string
  body: string
  from_unit_id: number
  from_unit_name: string
  sent_by_name: string
  sent_at: string
  units: { id: number; name: string }[]
  read_at: string | null
  read_count: number
}

export interface NoticeReceipt {
  unit_id: number
  unit_name: string
  read: boolean
  readers: { user_name: string; unit_name: string; read_at: string }[]
}

export interface FeedbackReport {
  id: number
  unit_id: number
  unit_name: string
  period: string
  situation: string
  problems: string
  help_needed: string
  submitted_by_name: string
  submitted_on: string
  due_on: string
  late: boolean
  version: number
}

export interface FeedbackInput {
  unit_id?: number
  period: string
  situation: string
  problems: string
  help_needed: string
  version?: number
}

export type FeedbackState = 'on_time' | 'late' | 'missing' | 'pending'

export interface FeedbackStatus {
  period: string
  due_on: string
  late: number
  units: { unit_id: number; unit_name: string; unit_kind: string; state: FeedbackState; report_id: number | null; submitted_on: string | null }[]
}

export interface FeedbackSchedule {
  due_day: number
  unit_kinds: string[]
  version: number
}

export const noticeApi = {
  list: (q: Query) => api.get<List<Notice>>('notices', q),
  get: (id: number) => api.get<Notice>(`notices/${id}`),
  send: (body: { title: string; body: string; unit_ids: number[] }) => api.post<Notice>('notices', body, { quiet: true }),
  read: (id: number) => api.post<Notice>(`notices/${id}/read`),
  receipts: (id: number) => api.get<List<NoticeReceipt>>(`notices/${id}/receipts`),
}

export const feedbackApi = {
  list: (q: Query) => api.get<List<FeedbackReport>>('feedback-reports', q),
  submit: (body: FeedbackInput) => api.post<FeedbackReport>('feedback-reports', body, { quiet: true }),
  revise: (id: number, body: FeedbackInput) => api.put<FeedbackReport>(`feedback-reports/${id}`, body, { quiet: true }),
  status: (period: string) => api.get<FeedbackStatus>('feedback-reports/status', { period }),
  schedule: () => api.get<FeedbackSchedule>('settings/feedback'),
  setSchedule: (body: FeedbackSchedule) => api.put<FeedbackSchedule>('settings/feedback', body, { quiet: true }),
}
