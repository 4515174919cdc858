// Pieces the statistics pages share. The server sends exact integers
// (basis points of a project, hundredths of 万元 × basis points) and display
// strings ("1.5", "8030.00"); figures are shown from those without floating
// point rounding.
import { i18n } from '@/i18n'

/** "1234567.50" → "1,234,567.50" (any decimal string; '' stays ''). */
export function groupDigits(s: string | null | undefined): string {
  if (s === null || s === undefined || s === '') return ''
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(String(s).trim())
  if (!m) return String(s)
  return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`
}

/**
 * An integer scaled by 10^digits as an exact decimal string:
 * scaled(15000, 4) → "1.5", scaled(12345, 2, true) → "123.45".
 * With keep the decimals stay (amounts); otherwise trailing zeros go (counts).
 */
export function scaled(n: number | null | undefined, digits: number, keep = false): string {
  if (n === null || n === undefined || Number.isNaN(n)) return ''
  const neg = n < 0
  const s = String(Math.abs(Math.trunc(n))).padStart(digits + 1, '0')
  const int = s.slice(0, s.length - digits)
  let frac = s.slice(s.length - digits)
  if (!keep) frac = frac.replace(/0+$/, '')
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`
}

/** Basis points of a project → "1.5". */
export const bpCount = (bp: number | null | undefined) => scaled(bp ?? 0, 4)

/** Hundredths of 万元 (a target) → "1,100,000.00". */
export const hundredths = (n: number | null | undefined) => (n ? groupDigits(scaled(n, 2, true)) : '')

/** amount_e4 (hundredths of 万元 × basis points) → "8,030.00" 万元. */
export const amountE4 = (n: number | null | undefined) => groupDigits(scaled(Math.round((n ?? 0) / 10000), 2, true))

/** The previous month of today, "YYYY-MM". */
export function lastMonth(): string {
  const d = new Date()
  d.setDate(1)
  d.setMonth(d.getMonth() - 1)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
}

/** The last quarter that has ended: [year, quarter]. */
export function lastQuarter(): [number, number] {
  const d = new Date()
  const q = Math.floor(d.getMonth() / 3) // 0 = the first quarter is still running
  return q === 0 ? [d.getFullYear() - 1, 4] : [d.getFullYear(), q]
}

/** A metric code as an i18n key and a data-test part ("band:b10" → "band_b10" / "band-b10"). */
export const metricKey = (m: string) => m.replace(':', '_')
export const metricTest = (m: string) => m.replace(':', '-')

export function metricLabel(m: string): string {
  const key = `stats.metric.${metricKey(m)}`
  return i18n.global.te(key) ? i18n.global.t(key) : m
}
