// Outgoing webhooks (docs/operations.md, "Webhooks"): the system
// administrator's subscriptions and the delivery log. Kept apart from
// index.ts so that it merges cleanly.
import { api, type List } from './client'

export const WEBHOOK_FORMATS = ['generic', 'wecom', 'dingtalk'] as const
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number]
export const WEBHOOK_EVENTS = ['project.signed', 'project.stage_changed', 'warning.raised', 'handover.waiting', 'period.closed'] as const

export interface Webhook {
  id: number
  name: string
  url: string
  format: WebhookFormat
  has_secret: boolean
  events: string[]
  active: boolean
  version: number
  created_at: string
  updated_at: string
}

export interface WebhookInput {
  name: string
  url: string
  format: WebhookFormat
  secret: string
  clear_secret?: boolean
  events: string[]
  active: boolean
  version?: number
}

export interface Delivery {
  id: number
  subscription_id: number
  subscription: string
  event: string
  title: string
  created_at: string
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  next_at: string | null
  last_status: number
  last_error: string
  done_at: string | null
}

export const webhookApi = {
  list: () => api.get<List<Webhook>>('webhooks'),
  create: (body: WebhookInput) => api.post<Webhook>('webhooks', body),
  update: (id: number, body: WebhookInput) => api.put<Webhook>(`webhooks/${id}`, body),
  remove: (id: number) => api.del<void>(`webhooks/${id}`),
  test: (id: number) => api.post<Delivery>(`webhooks/${id}/test`),
  deliveries: (q: { subscription_id?: number; status?: string; page?: number; page_size?: number }) =>
    api.get<List<Delivery>>('webhooks/deliveries', q),
}
