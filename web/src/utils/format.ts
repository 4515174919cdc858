// Dates, times, amounts and sizes as a Chinese back office shows them.

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** Today as a civil date (YYYY-MM-DD) in the browser's time zone. */
export function today(): string {
  const d = new Date()
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** An RFC 3339 timestamp shown as local "YYYY-MM-DD HH:mm:ss"; '' for none. */
export function formatTime(ts: string | null | undefined): string {
  if (!ts) return ''
  const d = new Date(ts)
  if (Number.isNaN(d.getTime())) return ts
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  )
}

export function isFuture(ts: string | null | undefined): boolean {
  if (!ts) return false
  const d = new Date(ts)
  return !Number.isNaN(d.getTime()) && d.getTime() > Date.now()
}

/** Pretty JSON for before/after views; '' for null. */
export function prettyJson(v: unknown): string {
  if (v === null || v === undefined || v === '') return ''
  if (typeof v === 'string') {
    try {
      return JSON.stringify(JSON.parse(v), null, 2)
    } catch {
      return v
    }
  }
  return JSON.stringify(v, null, 2)
}

const amountFmt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** 12345.6 → "12,345.60"; '' for none. */
export function formatAmount(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return ''
  return amountFmt.format(n)
}

export function formatInt(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return ''
  return intFmt.format(n)
}

/** File sizes as people read them. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
