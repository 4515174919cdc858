// UI language: zh-CN by default, en on request; the choice is kept in
// localStorage. Element Plus follows through elementLocale().
import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import zhCnEl from 'element-plus/es/locale/lang/zh-cn.mjs'
import enEl from 'element-plus/es/locale/lang/en.mjs'
import zhCN from './zh-CN'
import en from './en'

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

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
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
