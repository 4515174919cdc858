// The campaign routes (docs/api-campaigns.md): campaigns and the channel
// report; notices and feedback reports; advisors, partners, intelligence,
// staff and training. Kept apart from index.ts so that it merges cleanly.
import { api, type Query, type List } from './client'
import type { Schema } from './schema'

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

export type Campaign = Schema<'campaign.Campaign'>

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
  link: (id: number, project_id: number, version: number) => api.post<unknown>(`campaigns/${id}/projects`, { project_id, version }, { quiet: true }),
  report: (q: { by: ReportGrouping; from?: string; to?: string }) => api.get<ChannelReport>('campaigns/report', q),
}

// --- notices and feedback reports (R10) ---

export type Notice = Schema<'notice.Notice'>

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

// --- advisors, partners, rewards, intelligence, staff and training (R6, R11) ---

export const ADVISOR_KINDS = ['expert', 'enterprise_head', 'association_head'] as const
export const PARTNER_KINDS = ['chamber', 'consultancy', 'institute', 'intermediary'] as const

export interface Referrals {
  projects: number
  signed: number
}

export interface Advisor {
  id: number
  name: string
  kind: string
  organisation: string
  title: string
  region: string
  letter_no: string
  appointed_on: string
  term_ends_on: string
  contact: string
  note: string
  status: string
  referrals: Referrals
  version: number
}

export type AdvisorInput = Omit<Advisor, 'id' | 'referrals'>

export interface Partner {
  id: number
  name: string
  kind: string
  region: string
  agreement_no: string
  agreement_signed_on: string | null
  agreement_ends_on: string | null
  contact: string
  note: string
  status: string
  referrals: Referrals
  version: number
}

export type PartnerInput = Omit<Partner, 'id' | 'referrals'>

export interface RewardRule {
  basis: 'signed' | 'landed'
  share_bp: number
  cap: number
  version: number
}

export interface RewardReport {
  rule: RewardRule
  reward: number
  rows: {
    kind: 'advisor' | 'partner'
    id: number
    name: string
    amount: number
    reward: number
    lines: { project_id: number; project_code: string; project_name: string; stage: string; contract_investment: number; reward: number; capped: boolean }[]
  }[]
}

export interface IntelItem {
  id: number
  title: string
  published_on: string
  source: string
  summary: string
  region: string
  enterprises: string
  chain_links: string
  enterprise_ids: number[]
  created_by_name: string
  version: number
}

export type IntelInput = Omit<IntelItem, 'id' | 'created_by_name'>

export interface ImportOutcome {
  imported: number
  errors: { row: number; field: string; message: string }[]
}

export interface StaffMember {
  id: number
  unit_id: number
  unit_name: string
  name: string
  position: string
  kind: 'staff' | 'outsourced'
  provider: string
  contact: string
  status: string
  trainings: number
  version: number
}

export type StaffInput = Omit<StaffMember, 'id' | 'unit_name' | 'trainings'>

export interface Training {
  id: number
  title: string
  held_on: string
  place: string
  organiser_unit_id: number
  organiser_unit_name: string
  hours: number
  summary: string
  attendees: { staff_id: number; name: string; unit_name: string }[]
  version: number
}

export interface TrainingInput {
  title: string
  held_on: string
  place: string
  organiser_unit_id: number | null
  hours: number
  summary: string
  staff_ids: number[]
  version?: number
}

export const networkApi = {
  advisors: (q?: string) => api.get<List<Advisor>>('advisors', { q }),
  createAdvisor: (b: AdvisorInput) => api.post<Advisor>('advisors', b, { quiet: true }),
  updateAdvisor: (id: number, b: AdvisorInput) => api.put<Advisor>(`advisors/${id}`, b, { quiet: true }),
  partners: (q?: string) => api.get<List<Partner>>('partners', { q }),
  createPartner: (b: PartnerInput) => api.post<Partner>('partners', b, { quiet: true }),
  updatePartner: (id: number, b: PartnerInput) => api.put<Partner>(`partners/${id}`, b, { quiet: true }),
  rewards: (q: { from?: string; to?: string }) => api.get<RewardReport>('referral-rewards', q),
  rewardRule: () => api.get<RewardRule>('settings/referral-reward'),
  setRewardRule: (b: RewardRule) => api.put<RewardRule>('settings/referral-reward', b, { quiet: true }),
  items: (q: Query) => api.get<List<IntelItem>>('intelligence', q),
  createItem: (b: IntelInput) => api.post<IntelItem>('intelligence', b, { quiet: true }),
  updateItem: (id: number, b: IntelInput) => api.put<IntelItem>(`intelligence/${id}`, b, { quiet: true }),
  importItems: (file: File) => {
    const form = new FormData()
    form.append('file', file)
    return api.upload<ImportOutcome>('intelligence/import', form, { quiet: true })
  },
  staff: (q: Query = {}) => api.get<List<StaffMember>>('staff', q),
  createStaff: (b: StaffInput) => api.post<StaffMember>('staff', b, { quiet: true }),
  updateStaff: (id: number, b: StaffInput) => api.put<StaffMember>(`staff/${id}`, b, { quiet: true }),
  trainings: () => api.get<List<Training>>('trainings'),
  createTraining: (b: TrainingInput) => api.post<Training>('trainings', b, { quiet: true }),
  updateTraining: (id: number, b: TrainingInput) => api.put<Training>(`trainings/${id}`, b, { quiet: true }),
}
