// Signing in and out, the session, one's password and API tokens (docs/api-foundation.md).
import { api, type Items } from './client'
import type { Scope } from './org'

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
