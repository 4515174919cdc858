// A small fetch client for /api/v1. It sends the session cookie, the UI
// language and the CSRF token; it turns the server's error shape
// {error:{code,message,fields}} into an ApiError and shows its message.
import { ElMessage } from 'element-plus'
import { currentLocale, i18n } from '@/i18n'
import { saveBlob } from '@/utils/csv'

export interface ErrorBody {
  code: string
  message: string
  fields?: Record<string, string>
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: Record<string, string>
  /** The record as stored, sent with a 409 on a stale version. */
  readonly current: unknown
  /** The whole error body, for answers that carry more than the error (409 duplicates). */
  readonly data: Record<string, unknown>

  constructor(status: number, body: ErrorBody, current?: unknown, data: Record<string, unknown> = {}) {
    super(body.message || `HTTP ${status}`)
    this.status = status
    this.code = body.code || 'internal'
    this.fields = body.fields ?? {}
    this.current = current
    this.data = data
  }

  /** A 409 because someone else changed the record since we read it. */
  get stale(): boolean {
    return this.status === 409 && this.current !== undefined
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** A multipart body (file upload); sent as is, without a JSON content type. */
  form?: FormData
  /** Do not show the error message; the caller does. */
  quiet?: boolean
  /** Do not go to the sign-in page on 401 (used by the session probe). */
  no401Redirect?: boolean
}

let csrfToken = ''
let onUnauthorized: (() => void) | null = null

export function setCsrfToken(token: string): void {
  csrfToken = token
}

export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn
}

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/') ? path : `/api/v1/${path}`
  if (!query) return url
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    params.set(k, String(v))
  }
  const qs = params.toString()
  return qs ? `${url}?${qs}` : url
}

function headers(method: string, hasBody: boolean): Record<string, string> {
  const h: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLocale(),
  }
  if (hasBody) h['Content-Type'] = 'application/json'
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) h['X-CSRF-Token'] = csrfToken
  return h
}

async function toError(res: Response): Promise<ApiError> {
  let body: ErrorBody = { code: 'internal', message: '' }
  let current: unknown
  let whole: Record<string, unknown> = {}
  try {
    const data = await res.json()
    if (data && typeof data === 'object') whole = data
    if (data && data.error) body = data.error
    if (data && 'current' in data) current = data.current
    else if (data?.error && 'current' in data.error) current = data.error.current
  } catch {
    // not JSON (a proxy's page, an empty body): keep the generic message
  }
  if (!body.message) body.message = i18n.global.t('errors.http', { status: res.status })
  return new ApiError(res.status, body, current, whole)
}

export function showError(e: unknown): void {
  if (e instanceof ApiError) {
    if (e.stale) ElMessage.warning(i18n.global.t('errors.stale'))
    else ElMessage.error(e.message)
  } else {
    ElMessage.error(i18n.global.t('errors.network'))
  }
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const hasBody = opts.body !== undefined && !opts.form
  let res: Response
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      credentials: 'same-origin',
      headers: headers(method, hasBody),
      body: opts.form ?? (hasBody ? JSON.stringify(opts.body) : undefined),
    })
  } catch (e) {
    if (!opts.quiet) showError(e)
    throw e
  }
  if (res.ok) return res
  const err = await toError(res)
  if (res.status === 401 && !opts.no401Redirect) {
    csrfToken = ''
    onUnauthorized?.()
    throw err
  }
  if (!opts.quiet) showError(err)
  throw err
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, opts)
  if (res.status === 204) return undefined as T
  const text = await res.text()
  return (text ? JSON.parse(text) : undefined) as T
}

export const api = {
  get: <T>(path: string, query?: Query, opts: RequestOptions = {}) =>
    request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    request<T>('PUT', path, { ...opts, body: body ?? {} }),
  del: <T>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts),
  /** POSTs a multipart form (a file upload). */
  upload: <T>(path: string, form: FormData, opts: RequestOptions = {}) =>
    request<T>('POST', path, { ...opts, form }),
}

/** Downloads a file (an export) with the session, then saves it. */
export async function download(path: string, query: Query, fallbackName: string): Promise<void> {
  save(await send('GET', path, { query }), fallbackName)
}

/** POSTs a form (an upload) whose answer is a file, then saves it. */
export async function downloadPost(path: string, form: FormData, query: Query, fallbackName: string): Promise<void> {
  save(await send('POST', path, { form, query }), fallbackName)
}

async function save(res: Response, fallbackName: string): Promise<void> {
  const blob = await res.blob()
  saveBlob(blob, fileName(res.headers.get('Content-Disposition')) || fallbackName)
}

function fileName(disposition: string | null): string {
  if (!disposition) return ''
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1])
    } catch {
      return star[1]
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition)
  return plain ? plain[1] : ''
}

/** A page of a list: its rows and how many there are in all. */
export interface List<T> {
  items: T[]
  total: number
}

/** A list answered whole. */
export type Items<T> = { items: T[] }
