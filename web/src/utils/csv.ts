// CSV made in the browser (e.g. the errors of a ledger import): UTF-8 with
// a byte-order mark so that Excel opens the Chinese text correctly, CRLF
// line ends, and every field quoted when it needs to be.

function field(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v)
  // Text with a leading = + - @ (or tab, CR) would be read as a formula by
  // spreadsheet programs: prefixed with an apostrophe, as the server's
  // tabular.SafeCell does. Numbers (-5) stay numbers.
  const formula = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^[+-]?[0-9]+(\.[0-9]+)?$/.test(s)
  const safe = formula ? `'${s}` : s
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function toCsv(rows: (string | number | null | undefined)[][]): string {
  return '\ufeff' + rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n'
}

/** Saves a Blob under a file name (the browser's download). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function saveCsv(rows: (string | number | null | undefined)[][], name: string): void {
  saveBlob(new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' }), name)
}
