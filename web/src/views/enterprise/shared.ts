// Pieces the enterprise pages share: status colours, tag labels, amounts.
import type { EnterpriseStatus, Strength } from '@/api'

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

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

export { formatAmount, formatInt, useDict, useUnits } from '@/views/project/shared'
