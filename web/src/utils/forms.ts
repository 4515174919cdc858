// Shared handling of a failed save: field messages go next to the fields,
// a stale version (409 with the current record) reloads, anything else is
// shown as a message.
import { reactive } from 'vue'
import { ApiError, showError } from '@/api'

export type FieldErrors = Record<string, string>

export function useFieldErrors() {
  const errors = reactive<FieldErrors>({})
  function clear() {
    for (const k of Object.keys(errors)) delete errors[k]
  }
  /**
   * Handles a failed save. Returns true when the record was stale (the
   * caller has reloaded and should close its dialog).
   */
  async function fail(e: unknown, reload?: () => unknown): Promise<boolean> {
    clear()
    showError(e)
    if (e instanceof ApiError) {
      if (e.stale) {
        await reload?.()
        return true
      }
      Object.assign(errors, e.fields)
    }
    return false
  }
  return { errors, clear, fail }
}
