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
