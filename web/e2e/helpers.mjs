// Shared pieces of the browser tests: the browser (Debian's chromium via
// playwright-core, nothing downloaded), sign-in, screenshots, and finding
// controls by their data-test attribute.
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const BASE_URL = (process.env.ATTRACT_E2E_URL || '').replace(/\/$/, '')
export const ADMIN_PASSWORD = process.env.ATTRACT_E2E_ADMIN_PASSWORD || ''
export const DEMO_PASSWORD = process.env.ATTRACT_DEMO_PASSWORD || 'Attract@2026'
export const SKIP = BASE_URL ? false : 'ATTRACT_E2E_URL is not set (the Makefile starts a server and sets it)'

const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url))

export async function launch() {
  mkdirSync(SHOTS, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  })
}

/** Script errors seen on any page (uncaught errors, CSP refusals, console errors). */
export const problems = []

/** A phone-sized screen (390×844), for newPage(browser, PHONE). */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

/** A fresh context (own cookies and localStorage) and page; options override the desktop defaults. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...options,
  })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`)
  })
  return page
}

let shotNo = 0
export async function shot(page, name) {
  shotNo += 1
  // let transitions (dialogs, tags, charts) settle
  await page.waitForTimeout(400)
  const file = `${SHOTS}${String(shotNo).padStart(2, '0')}-${name}.png`
  await page.screenshot({ path: file, fullPage: true }).catch(() => {})
  return file
}

/** Runs one step; on failure saves a screenshot named after it, then rethrows. */
export async function step(page, name, fn) {
  try {
    await fn()
  } catch (e) {
    const file = await shot(page, `FAILED-${name}`)
    e.message = `${e.message}\n(step "${name}", screenshot ${file})`
    throw e
  }
}

export const $ = (page, id) => page.locator(`[data-test="${id}"]`)

/** Fills the <input> behind a data-test (on the input itself or around it). */
export async function fill(page, id, value) {
  const el = $(page, id)
  const input = (await el.evaluate((n) => n.tagName === 'INPUT' || n.tagName === 'TEXTAREA'))
    ? el
    : el.locator('input, textarea').first()
  await input.fill(value)
}

/** Opens an el-select inside the data-test form item and picks an option. */
export async function choose(page, id, optionTestId) {
  await $(page, id).locator('.el-select__wrapper').first().click()
  await page.locator(`[data-test="${optionTestId}"]:visible`).first().click()
}

export async function signIn(page, username, password) {
  await page.goto('/login')
  await $(page, 'login-username').waitFor()
  await fill(page, 'login-username', username)
  await fill(page, 'login-password', password)
  await $(page, 'login-submit').click()
}

/** Signs in and waits for the main layout. */
export async function signInOk(page, username, password) {
  await signIn(page, username, password)
  await $(page, 'current-user').waitFor()
}

export async function signOut(page) {
  await $(page, 'logout').click()
  await $(page, 'login-username').waitFor()
}

/** GET an API path with the page's session cookie. */
export async function apiGet(page, path) {
  const res = await page.request.get(path, { headers: { Accept: 'application/json' } })
  return { status: res.status(), body: res.ok() ? await res.json() : null }
}
