// The units, for pickers.
import { ref, type Ref } from 'vue'
import { unitApi, type Unit } from '@/api'
import { can } from '@/stores/session'

/** All units (for pickers); empty without unit:read. */
export function useUnits() {
  const units: Ref<Unit[]> = ref([])
  if (can('unit:read')) {
    unitApi
      .list({})
      .then((r) => {
        units.value = r.items
      })
      .catch(() => {
        units.value = []
      })
  }
  return units
}

/** Units a project can land in: counties/districts and parks. */
export const isLandingUnit = (u: Unit) => u.kind === 'locality' || u.kind === 'park'
