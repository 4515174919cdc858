// escapeHtml makes a name safe inside the HTML an ECharts tooltip formatter
// returns: ECharts inserts a formatter's string as HTML, and names (chains,
// links, units, dictionary labels) are typed by users.
export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
}
