// The one record a detail page shows: loading, the record, or "not found"
// (a 404, an id the server refuses with 400, or one the page sees is not an id).
import { ref, type Ref } from 'vue'
import { ApiError, showError } from '@/api'

export function useRecord<T>(fetch: () => Promise<T>, isId: () => boolean = () => true) {
  const record = ref(null) as Ref<T | null>
  const notFound = ref(false)
  const loading = ref(false)
  async function load() {
    if (!isId()) {
      notFound.value = true
      return
    }
    loading.value = true
    try {
      record.value = await fetch()
      notFound.value = false
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) notFound.value = true
      else showError(e)
    } finally {
      loading.value = false
    }
  }
  return { record, notFound, loading, load }
}

/** An id from the address: digits only. */
export const isDigits = (s: string) => /^\d+$/.test(s)
