// Shared handling of a failed save: field messages go next to the fields,
// a stale version (409 with the current record) reloads, anything else is
// shown as a message.
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { ApiError, showError } from '@/api'
import { i18n } from '@/i18n'

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

/** A dialog's state: open (or visible) and busy while its form is sent. */
export interface DialogState {
  open?: boolean
  visible?: boolean
  busy: boolean
}

export interface SaveOptions {
  /** The fields' messages: cleared first, filled from a 400's fields. */
  errors?: FieldErrors
  /** Runs once saved (the dialog closed, "saved" shown): reload the list … */
  then?: () => unknown
  /** Given, a stale record (409) reloads through it and closes the dialog. */
  reload?: () => unknown
  /** Runs on a refusal (not a stale record): an error line above the form … */
  failed?: (e: ApiError) => void
}

function close(dlg: DialogState) {
  if ('visible' in dlg) dlg.visible = false
  else dlg.open = false
}

/**
 * Sends a dialog's form: busy while it goes; saved, the dialog closes,
 * "saved" is shown and then() runs; failed, the client's message is shown
 * and the field errors go next to the fields. Answers whether it saved.
 */
export async function saveDialog(dlg: DialogState, send: () => Promise<unknown>, opts: SaveOptions = {}): Promise<boolean> {
  const errors = opts.errors
  if (errors) for (const k of Object.keys(errors)) delete errors[k]
  dlg.busy = true
  try {
    await send()
    close(dlg)
    ElMessage.success(i18n.global.t('common.saved'))
    await opts.then?.()
    return true
  } catch (e) {
    showError(e)
    if (e instanceof ApiError) {
      if (e.stale && opts.reload) {
        await opts.reload()
        close(dlg)
        return false
      }
      if (errors) Object.assign(errors, e.fields)
      opts.failed?.(e)
    }
    return false
  } finally {
    dlg.busy = false
  }
}
