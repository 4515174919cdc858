// Which columns of a list show, remembered in localStorage under the page's
// key; all of them when nothing (readable) is remembered. ColumnChooser.vue
// is its control.
import { ref, watch, type Ref } from 'vue'

export function useColumns<C extends string>(storageKey: string, columns: readonly C[]) {
  function saved(): C[] {
    try {
      const raw = localStorage.getItem(storageKey)
      if (raw) {
        const list = (JSON.parse(raw) as string[]).filter((c): c is C => (columns as readonly string[]).includes(c))
        if (list.length) return list
      }
    } catch {
      // unreadable: all columns
    }
    return [...columns]
  }
  const shown = ref(saved()) as Ref<C[]>
  watch(
    () => shown.value,
    (v) => {
      try {
        localStorage.setItem(storageKey, JSON.stringify(v))
      } catch {
        // not remembered
      }
    },
  )
  const show = (c: C) => shown.value.includes(c)
  return { shown, show }
}
