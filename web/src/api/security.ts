// The security controls' routes (docs/security.md): the TOTP second factor,
// the security policy, ending a user's sessions, personal data in full.
// Kept apart from index.ts so that it merges cleanly.
import { api } from './client'
import type { Me, Session } from './auth'

/** What a session still waits for: the code, the enrolment, or nothing. */
export type Pending = '' | 'totp' | 'enrol'

export interface SecurityMe extends Me {
  pending: Pending
  password_expired: boolean
  totp_enabled: boolean
  totp_required: boolean
}

/** The signed-in user's security fields (the session store keeps Me read-only). */
export function securityOf(me: object | null | undefined): Readonly<SecurityMe> | null {
  return (me as SecurityMe | null | undefined) ?? null
}

export interface Enrolment {
  secret: string
  otpauth_url: string
  qr_png: string
}

export interface Policy {
  totp_for_all: boolean
  password_max_age_days: number
  max_sessions: number
  version: number
}

/** Whether the login page offers single sign-on (GET /auth/sso). */
export interface SSOInfo {
  enabled: boolean
  label: string
}

/** Where the single sign-on button sends the browser (a navigation, not a call). */
export const SSO_START = '/api/v1/auth/sso/start'

export const securityApi = {
  ssoInfo: () => api.get<SSOInfo>('auth/sso', undefined, { quiet: true, no401Redirect: true }),
  verify: (body: { code?: string; recovery_code?: string }) =>
    api.post<Session>('auth/totp', body, { quiet: true, no401Redirect: true }),
  startTotp: () => api.post<Enrolment>('me/totp'),
  confirmTotp: (code: string) => api.post<{ recovery_codes: string[] }>('me/totp/confirm', { code }, { quiet: true }),
  disableTotp: (code: string) => api.post<void>('me/totp/disable', { code }, { quiet: true }),
  policy: () => api.get<Policy>('settings/security'),
  setPolicy: (p: Policy) => api.put<Policy>('settings/security', p, { quiet: true }),
  endSessions: (userId: number) => api.post<{ ended: number }>(`users/${userId}/sessions/end`),
  resetTotp: (userId: number) => api.post<void>(`users/${userId}/totp/reset`),
  userPersonal: (userId: number) => api.get<{ phone: string; email: string }>(`users/${userId}/personal`),
  /** An advisor's, partner's or staff member's contact line in full. */
  contact: (kind: 'advisors' | 'partners' | 'staff', id: number) => api.get<{ contact: string }>(`${kind}/${id}/contact`),
}
