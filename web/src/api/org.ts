// The organisation: units (dated states), users and roles (docs/api-foundation.md).
import { api, type Query, type Items, type List } from './client'

export type Scope = 'all' | 'unit_and_below' | 'unit' | 'self'

export const SCOPES: Scope[] = ['all', 'unit_and_below', 'unit', 'self']

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

// With as_of the server answers the unit *states* of that day (unit_id,
// no version); the UI treats both shapes as Unit.
type UnitLike = Partial<Unit> & { unit_id?: number }

function toUnit(u: UnitLike): Unit {
  return {
    id: (u.id ?? u.unit_id)!,
    code: u.code ?? '',
    name: u.name ?? '',
    short_name: u.short_name ?? '',
    kind: u.kind!,
    parent_id: u.parent_id ?? null,
    status: u.status ?? 'active',
    effective_from: u.effective_from ?? '',
    closed_on: u.closed_on ?? null,
    sort: u.sort ?? 0,
    version: u.version ?? 0,
  }
}

export const unitApi = {
  list: async (q: { as_of?: string; include_closed?: boolean }): Promise<List<Unit>> => {
    const res = await api.get<List<UnitLike>>('units', { as_of: q.as_of, include_closed: q.include_closed ? 1 : undefined })
    return { items: res.items.map(toUnit), total: res.total }
  },
  get: (id: number) => api.get<Unit>(`units/${id}`),
  history: (id: number) => api.get<Items<UnitHistoryRow>>(`units/${id}/history`),
  create: (body: {
    code: string; name: string; short_name?: string; kind: string
    parent_id: number | null; effective_on: string; sort?: number
  }) => api.post<Unit>('units', body, { quiet: true }),
  update: (id: number, body: {
    code: string; name: string; short_name: string; sort: number; effective_on: string; reason?: string; version: number
  }) => api.put<Unit>(`units/${id}`, body, { quiet: true }),
  move: (id: number, body: { parent_id: number; effective_on: string; reason?: string; version: number }) =>
    api.post<Unit>(`units/${id}/move`, body, { quiet: true }),
  close: (id: number, body: { effective_on: string; reason: string; version: number }) =>
    api.post<Unit>(`units/${id}/close`, body, { quiet: true }),
}

export const userApi = {
  list: (q: Query) => api.get<List<User>>('users', q),
  get: (id: number) => api.get<User>(`users/${id}`),
  create: (body: {
    username: string; display_name: string; unit_id: number; phone?: string
    email?: string; password: string; role_ids?: number[]
  }) => api.post<User>('users', body, { quiet: true }),
  update: (id: number, body: {
    display_name: string; unit_id: number; phone: string; email: string; version: number
  }) => api.put<User>(`users/${id}`, body, { quiet: true }),
  setRoles: (id: number, role_ids: number[], version: number) =>
    api.put<User>(`users/${id}/roles`, { role_ids, version }, { quiet: true }),
  disable: (id: number, version: number) => api.post<User>(`users/${id}/disable`, { version }, { quiet: true }),
  enable: (id: number, version: number) => api.post<User>(`users/${id}/enable`, { version }, { quiet: true }),
  unlock: (id: number) => api.post<User>(`users/${id}/unlock`),
  resetPassword: (id: number, new_password: string) =>
    api.post<void>(`users/${id}/password`, { new_password }, { quiet: true }),
}

export const roleApi = {
  list: (opts = {}) => api.get<List<Role>>('roles', undefined, opts),
  get: (id: number) => api.get<Role>(`roles/${id}`),
  create: (body: { code: string; name_zh: string; name_en: string; scope: string; permissions: string[] }) =>
    api.post<Role>('roles', body, { quiet: true }),
  update: (id: number, body: {
    name_zh: string; name_en: string; scope: string; permissions: string[]; version: number
  }) => api.put<Role>(`roles/${id}`, body, { quiet: true }),
  permissions: () => api.get<Items<Permission>>('permissions'),
}
