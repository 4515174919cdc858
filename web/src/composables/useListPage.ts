// The scaffold of a list page: a filter, a page of rows from the server,
// its total, and the three moves every list has — load this page, search
// (back to page 1) and reset (the blank filter, page 1). ListPager.vue and
// FilterActions.vue are its controls.
import { onMounted, reactive, ref, type Ref } from 'vue'

export interface PageQuery {
  page: number
  page_size: number
}

export interface ListPageOptions<T, F extends object> {
  /** The blank filter; reset() goes back to it. */
  filter?: () => F
  /** One page of rows for the filter. */
  fetch: (page: PageQuery, filter: F) => Promise<{ items: T[] | null; total?: number }>
  pageSize?: number
  /** Keep the rows shown when a load fails (the client has said why). */
  keepOnError?: boolean
  /** Load when the page is mounted (default true). */
  immediate?: boolean
}

export function useListPage<T, F extends object = Record<string, never>>(opts: ListPageOptions<T, F>) {
  const blank = opts.filter ?? (() => ({}) as F)
  const filter = reactive(blank()) as F
  const page = reactive<PageQuery>({ page: 1, page_size: opts.pageSize ?? 20 })
  const rows = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)
  /** Set once the first answer has come. */
  const loaded = ref(false)

  // Answers can come back out of order (one types, pages fast): only the
  // last asked for counts.
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const res = await opts.fetch({ page: page.page, page_size: page.page_size }, filter)
      if (mine !== seq) return
      rows.value = res.items ?? []
      total.value = res.total ?? rows.value.length
    } catch {
      if (mine !== seq || opts.keepOnError) return
      rows.value = []
      total.value = 0
    } finally {
      if (mine === seq) {
        loading.value = false
        loaded.value = true
      }
    }
  }

  function search() {
    page.page = 1
    return load()
  }

  function reset() {
    Object.assign(filter, blank())
    return search()
  }

  if (opts.immediate !== false) onMounted(load)
  return { filter, page, rows, total, loading, loaded, load, search, reset }
}

export type ListPage = Pick<ReturnType<typeof useListPage>, 'page' | 'total' | 'load' | 'search'>
