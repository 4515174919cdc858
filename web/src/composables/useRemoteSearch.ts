// The options of a select that searches the server as one types: the last
// answer asked for wins (one types fast; answers come back out of order),
// a failed search shows none.
import { ref, type Ref } from 'vue'

export function useRemoteSearch<T>(fetch: (q: string) => Promise<T[]>) {
  const found = ref([]) as Ref<T[]>
  const loading = ref(false)
  let seq = 0
  async function search(q: string) {
    const mine = ++seq
    loading.value = true
    try {
      const items = await fetch(q.trim())
      if (mine === seq) found.value = items
    } catch {
      if (mine === seq) found.value = []
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  return { found, loading, search }
}
