// The dictionaries (channel, source region, project tags …): loaded once per
// page load, enabled items only, in their order.
import { ref, type Ref } from 'vue'
import { dictApi, type DictItem } from '@/api'
import { pick } from '@/i18n'

const dictCache = new Map<string, Promise<DictItem[]>>()

function loadDict(type: string): Promise<DictItem[]> {
  let p = dictCache.get(type)
  if (!p) {
    p = dictApi
      .items(type)
      .then((r) => r.items.filter((i) => i.enabled).sort((a, b) => a.sort - b.sort))
      .catch(() => {
        dictCache.delete(type)
        return []
      })
    dictCache.set(type, p)
  }
  return p
}

/** The enabled items of a dictionary, and their label in the UI language. */
export function useDict(type: string) {
  const items: Ref<DictItem[]> = ref([])
  loadDict(type).then((list) => {
    items.value = list
  })
  const label = (code: string | null | undefined) => {
    if (!code) return ''
    const it = items.value.find((i) => i.code === code)
    return it ? pick(it.label_zh, it.label_en) : code
  }
  return { items, label }
}
