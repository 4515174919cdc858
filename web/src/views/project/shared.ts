// Pieces the project pages share: labels and colours of stages, statuses
// and rules, amounts as 万元 with thousands separators, and the dictionaries
// (channel, source region, project tags) loaded once per page load.
import { ref, type Ref } from 'vue'
import { dictApi, STAGES, unitApi, type DictItem, type Stage, type Unit, type Warning } from '@/api'
import { i18n, pick } from '@/i18n'
import { can } from '@/stores/session'

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

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

const amountFmt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** 12345.6 → "12,345.60"; '' for none. */
export function formatAmount(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return ''
  return amountFmt.format(n)
}

export function formatInt(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return ''
  return intFmt.format(n)
}

/** File sizes as people read them. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

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
