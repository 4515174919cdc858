// Pieces the enterprise pages share: colours of statuses and of a chain link's strength.
import type { EnterpriseStatus, Strength } from '@/api'
import type { TagType } from '@/utils/tags'

export const ENT_STATUS_TAG: Record<EnterpriseStatus, TagType> = {
  not_contacted: 'info',
  contacted: 'primary',
  negotiating: 'warning',
  signed: 'success',
  settled: 'success',
}

/** Colours of a link's strength on the chain map. */
export const STRENGTH_COLOR: Record<Strength, string> = {
  gap: '#e5484d',
  weak: '#f59e0b',
  strong: '#22a06b',
}

export const STRENGTH_TAG: Record<Strength, TagType> = {
  gap: 'danger',
  weak: 'warning',
  strong: 'success',
}
