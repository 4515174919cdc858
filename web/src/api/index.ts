// The foundation routes, one function per call, named after the route.
import { api, download, type Query } from './client'
import type {
  AuditEntry, AuditVerify, DictItem, DictType, List, Permission, Role, Session,
  SigninEntry, Token, TokenCreated, Unit, UnitHistoryRow, User,
} from './types'

export * from './types'
export { ApiError, showError, type Query } from './client'

type Items<T> = { items: T[] }

export const authApi = {
  login: (username: string, password: string) =>
    api.post<Session>('auth/login', { username, password }, { quiet: true, no401Redirect: true }),
  logout: () => api.post<void>('auth/logout', undefined, { quiet: true, no401Redirect: true }),
  me: () => api.get<Session>('auth/me', undefined, { quiet: true, no401Redirect: true }),
  changePassword: (old_password: string, new_password: string) =>
    api.put<void>('me/password', { old_password, new_password }, { quiet: true }),
  tokens: () => api.get<Items<Token>>('me/tokens'),
  createToken: (name: string, expires_on: string | null) =>
    api.post<TokenCreated>('me/tokens', expires_on ? { name, expires_on } : { name }, { quiet: true }),
  revokeToken: (id: number) => api.del<void>(`me/tokens/${id}`),
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

export const dictApi = {
  types: () => api.get<Items<DictType>>('dictionary/types'),
  items: (type: string) => api.get<List<DictItem>>('dictionary', { type }),
  create: (body: { type: string; code: string; label_zh: string; label_en: string; sort: number; enabled: boolean }) =>
    api.post<DictItem>('dictionary', body, { quiet: true }),
  update: (id: number, body: { label_zh: string; label_en: string; sort: number; enabled: boolean; version: number }) =>
    api.put<DictItem>(`dictionary/${id}`, body, { quiet: true }),
}

export const auditApi = {
  list: (q: Query) => api.get<List<AuditEntry>>('audit', q),
  export: (q: Query, fallbackName: string) => download('/api/v1/audit/export', q, fallbackName),
  verify: () => api.get<AuditVerify>('audit/verify'),
  signins: (q: Query) => api.get<List<SigninEntry>>('signins', q),
}
