// Who is signed in. Kept in memory only: the session itself is the
// HttpOnly cookie; the CSRF token lives here and in the API client.
import { reactive, readonly } from 'vue'
import { authApi, type Me, type Session } from '@/api'
import { setCsrfToken } from '@/api/client'

const state = reactive({
  user: null as Me | null,
  /** True once we asked the server who we are (signed in or not). */
  checked: false,
})

export const session = readonly(state)

/** Takes a new session (sign-in, or its second step). */
export function accept(s: Session): Me {
  setCsrfToken(s.csrf_token)
  state.user = s.user
  state.checked = true
  return s.user
}

export async function login(username: string, password: string): Promise<Me> {
  return accept(await authApi.login(username, password))
}

/** Asks the server for the current session; null when not signed in. */
export async function loadMe(): Promise<Me | null> {
  try {
    return accept(await authApi.me())
  } catch {
    clearSession()
    state.checked = true
    return null
  }
}

export async function logout(): Promise<void> {
  try {
    await authApi.logout()
  } finally {
    clearSession()
  }
}

export function clearSession(): void {
  setCsrfToken('')
  state.user = null
}

export function can(permission: string): boolean {
  return !!state.user?.permissions.includes(permission)
}

export function canAny(permissions: string[]): boolean {
  return permissions.some(can)
}
