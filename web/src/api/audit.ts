// The audit log and the sign-in log (docs/api-foundation.md).
import { api, download, type Query, type List } from './client'

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

export const auditApi = {
  list: (q: Query) => api.get<List<AuditEntry>>('audit', q),
  export: (q: Query, fallbackName: string) => download('/api/v1/audit/export', q, fallbackName),
  verify: () => api.get<AuditVerify>('audit/verify'),
  signins: (q: Query) => api.get<List<SigninEntry>>('signins', q),
}
