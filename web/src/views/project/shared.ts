// Pieces of the project capability that other pages show too: colours of
// stages, statuses and parcels, the stage order, and texts made from codes
// (warnings, timeline entries). Amounts are in utils/format.ts, dictionaries
// and units in composables/.
import { STAGES, type Stage, type Warning } from '@/api'
import { i18n } from '@/i18n'
import type { TagType } from '@/utils/tags'

export const STAGE_TAG: Record<Stage, TagType> = {
  lead: 'info',
  negotiating: 'warning',
  signed: 'primary',
  registered: 'primary',
  construction: 'success',
  production: 'success',
}

export const STATUS_TAG: Record<string, TagType> = {
  active: 'success',
  on_hold: 'warning',
  terminated: 'danger',
}

/** The date field of a stage (lead → lead_on …). */
export const stageDateField = (s: Stage) => `${s}_on` as const

export function nextStage(s: Stage): Stage | null {
  const i = STAGES.indexOf(s)
  return i >= 0 && i < STAGES.length - 1 ? STAGES[i + 1] : null
}

export function prevStage(s: Stage): Stage | null {
  const i = STAGES.indexOf(s)
  return i > 0 ? STAGES[i - 1] : null
}

/**
 * A warning's explanation: the server's text (detail; the doc names it
 * message) or, when it sends none, one made from the rule, since and days.
 */
export function warningText(w: Warning): string {
  const text = w.message || w.detail
  if (text) return text
  const key = `warningDesc.${w.rule}`
  return i18n.global.te(key) ? i18n.global.t(key, { since: w.since, days: w.days }) : ''
}

/** A timeline entry's title in the UI language (the server sends codes). */
export function timelineTitle(kind: string, title: string): string {
  const { t, te } = i18n.global
  const tryKeys = (...keys: string[]) => {
    for (const k of keys) if (te(k)) return t(k)
    return title
  }
  switch (kind) {
    case 'transition':
      return (STAGES as string[]).includes(title)
        ? t('timeline.toStage', { stage: t(`stage.${title}`) })
        : tryKeys(`timeline.action.${title}`)
    case 'tracking':
      return tryKeys(`trackingKind.${title}`)
    case 'request':
      return tryKeys(`requestStatus.${title}`)
    case 'audit':
      return tryKeys(`auditAction.${title}`)
    default:
      return title
  }
}

/** Stage codes inside a text ("lead → negotiating") in the UI language. */
export function stageWords(text: string): string {
  return text.replace(/\b(lead|negotiating|signed|registered|construction|production)\b/g, (m) => i18n.global.t(`stage.${m}`))
}

/** Colours of a parcel's status. */
export const PARCEL_TAG: Record<string, TagType> = {
  available: 'success',
  reserved: 'warning',
  supplied: 'info',
}
