// Whether the screen is phone-sized. Pages stack their columns and the
// layout turns the left menu into a drawer below this width.
import { onBeforeUnmount, onMounted, ref } from 'vue'

export const NARROW_QUERY = '(max-width: 768px)'

function matches(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia && window.matchMedia(NARROW_QUERY).matches
}

/** A ref that is true while the viewport is phone-sized. */
export function useNarrow() {
  const narrow = ref(matches())
  let mql: MediaQueryList | null = null
  const update = () => {
    narrow.value = matches()
  }
  onMounted(() => {
    if (!window.matchMedia) return
    mql = window.matchMedia(NARROW_QUERY)
    mql.addEventListener('change', update)
    update()
  })
  onBeforeUnmount(() => mql?.removeEventListener('change', update))
  return narrow
}
