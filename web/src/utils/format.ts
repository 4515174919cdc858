// Dates and times as a Chinese back office shows them.

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
