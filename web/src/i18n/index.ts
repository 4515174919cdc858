// UI language: zh-CN by default, en on request; the choice is kept in
// localStorage. Element Plus follows through elementLocale().
import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import zhCnEl from 'element-plus/es/locale/lang/zh-cn.mjs'
import enEl from 'element-plus/es/locale/lang/en.mjs'
import zhCN from './zh-CN'
import en from './en'
import projectZh from './project.zh-CN'
import projectEn from './project.en'
import enterpriseZh from './enterprise.zh-CN'
import enterpriseEn from './enterprise.en'
import evaluationZh from './evaluation.zh-CN'
import evaluationEn from './evaluation.en'
import statsZh from './stats.zh-CN'
import statsEn from './stats.en'
import campaignZh from './campaign.zh-CN'
import campaignEn from './campaign.en'
import controlsZh from './controls.zh-CN'
import controlsEn from './controls.en'
import importsZh from './imports.zh-CN'
import importsEn from './imports.en'
import webhookZh from './webhook.zh-CN'
import webhookEn from './webhook.en'
import securityZh from './security.zh-CN'
import securityEn from './security.en'

export type Locale = 'zh-CN' | 'en'
export const LOCALES: Locale[] = ['zh-CN', 'en']
const STORAGE_KEY = 'attract.locale'

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (saved === 'en' || saved === 'zh-CN') return saved
  } catch {
    // storage blocked: fall back to the default
  }
  return 'zh-CN'
}

type Tree = { [k: string]: string | Tree }

/** Adds a capability's messages (kept in files of their own) to a language's. */
function merge<T extends object>(base: T, more: object): T {
  const out: Tree = { ...(base as Tree) }
  for (const [k, v] of Object.entries(more as Tree)) {
    const cur = out[k]
    out[k] = typeof v === 'object' && typeof cur === 'object' ? merge(cur, v) : v
  }
  return out as T
}

// Each capability's messages in files of its own (<room>.zh-CN.ts and
// <room>.en.ts, each pair checked to have the same keys), joined here: one
// line in each list for a new room.
const ZH_ROOMS: object[] = [projectZh, enterpriseZh, evaluationZh, statsZh, campaignZh, controlsZh, importsZh, webhookZh, securityZh]
const EN_ROOMS: object[] = [projectEn, enterpriseEn, evaluationEn, statsEn, campaignEn, controlsEn, importsEn, webhookEn, securityEn]
const joined = <T extends object>(base: T, rooms: object[]): T => rooms.reduce<T>((all, room) => merge(all, room), base)

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': joined(zhCN, ZH_ROOMS), en: joined(en, EN_ROOMS) },
})

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  document.title = i18n.global.t('app.title')
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // not remembered; still switched
  }
}

export function toggleLocale(): void {
  setLocale(currentLocale() === 'zh-CN' ? 'en' : 'zh-CN')
}

export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? enEl : zhCnEl))

/** Picks the label for the current language from a zh/en pair. */
export function pick(zh: string | undefined, enText: string | undefined): string {
  return (currentLocale() === 'en' ? enText || zh : zh || enText) ?? ''
}
