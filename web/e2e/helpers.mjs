// Shared pieces of the browser tests (and of bench-cockpit.mjs): the browser
// (Debian's chromium via playwright-core, nothing downloaded), sign-in,
// screenshots, finding controls by their data-test attribute, and waiting
// for the cockpit's complete render.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium, request } from 'playwright-core'

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

/** The cockpit's big screen (1920×1080), for newPage(browser, BIG_SCREEN). */
export const BIG_SCREEN = { viewport: { width: 1920, height: 1080 } }

/** The cockpit's charts, by their data-test suffix (cockpit-chart-…). */
export const COCKPIT_CHARTS = ['headline', 'bands', 'trend', 'funnel', 'map', 'regions', 'channels']

/**
 * Waits until every chart of the cockpit has a canvas and ECharts has
 * finished drawing it, and the map has counties: the cockpit's complete
 * render (timed by cockpit.test.mjs and bench-cockpit.mjs).
 */
export async function waitCockpitRendered(page, timeout = 15_000) {
  await page.waitForFunction((charts) => {
    const root = document.querySelector('[data-test="cockpit"]')
    if (!root || root.getAttribute('data-ready') !== 'true') return false
    const drawn = charts.every((c) => {
      const box = document.querySelector(`[data-test="cockpit-chart-${c}"] [data-test="echart"]`)
      return box && box.querySelector('canvas') && box.getAttribute('data-rendered') === 'true'
    })
    const counties = document.querySelectorAll('[data-test^="cockpit-county-"]').length
    return drawn && counties > 0
  }, COCKPIT_CHARTS, { timeout })
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

/**
 * An API session of a user (no browser page): the session cookie and the
 * CSRF token, for setting up what a test needs but does not test.
 */
export async function apiSession(username, password = DEMO_PASSWORD) {
  const ctx = await request.newContext({ baseURL: BASE_URL, extraHTTPHeaders: { Accept: 'application/json' } })
  const res = await ctx.post('/api/v1/auth/login', { data: { username, password } })
  if (!res.ok()) throw new Error(`sign-in of ${username}: HTTP ${res.status()}`)
  const { csrf_token: csrf } = await res.json()
  const call = async (method, path, data) => {
    const r = await ctx.fetch(path, { method, data, headers: { 'X-CSRF-Token': csrf } })
    const text = await r.text()
    const body = text ? JSON.parse(text) : null
    if (!r.ok()) throw new Error(`${method} ${path} as ${username}: HTTP ${r.status()} ${text}`)
    return body
  }
  return {
    get: (path) => call('GET', path),
    post: (path, data = {}) => call('POST', path, data),
    put: (path, data = {}) => call('PUT', path, data),
    close: () => ctx.dispose(),
  }
}

/** Screening inputs that pass the default baseline (investment intensity 260 万元/亩). */
export const PASSING_INPUTS = {
  land_area_mu: 50, fixed_asset_investment: 13000, building_investment: 8000, equipment_investment: 4000,
  land_investment: 1000, total_investment: 15000, expected_output: 20000, expected_tax: 1000, jobs: 200,
  energy_tce: 3000, water_tonnes: 10000, emissions_category: '', eia_category: '', floor_area_ratio: 1.2,
  building_coverage: 40, admin_facility_share: 5, park_unit_id: null, residential_land: false, non_industrial_facilities: false,
}

/**
 * Gives a project an approved screening through the API (signing needs
 * one): the writer fills and submits it, zsb_staff reviews, zsb_leader approves.
 */
export async function approveScreening(projectId, writer) {
  const w = await apiSession(writer)
  const reviewer = await apiSession('zsb_staff')
  const approver = await apiSession('zsb_leader')
  try {
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    let ev = await w.post(`/api/v1/projects/${projectId}/evaluations`, { evaluated_on: today, inputs: PASSING_INPUTS })
    ev = await w.post(`/api/v1/evaluations/${ev.id}/submit`, { comment: '', version: ev.version })
    const confirmations = {}
    for (const c of ev.results?.checklist ?? []) {
      if (c.source === 'reviewer') confirmations[c.code] = { answer: 'ok', comment: '' }
    }
    ev = await reviewer.post(`/api/v1/evaluations/${ev.id}/review`, { comment: '', conditions: '', confirmations, version: ev.version })
    ev = await approver.post(`/api/v1/evaluations/${ev.id}/approve`, { comment: '', version: ev.version })
    return ev
  } finally {
    await Promise.all([w.close(), reviewer.close(), approver.close()])
  }
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

/** Carries a lead to signed through the API: negotiating, screening, agreement, signed. */
export async function signThroughApi(projectId, username) {
  const s = await apiSession(username)
  const ctx = await request.newContext({ baseURL: BASE_URL })
  try {
    let p = await s.get(`/api/v1/projects/${projectId}`)
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
    p = await s.post(`/api/v1/projects/${projectId}/transitions`, { action: 'negotiating', on: today, version: p.version })
    // the screening is prepared by the landing county (端州区): its preparer,
    // the office's reviewer and the director are three people
    await approveScreening(projectId, username === 'zsb_staff' ? 'dz_staff' : username)
    const login = await ctx.post('/api/v1/auth/login', { data: { username, password: DEMO_PASSWORD } })
    const { csrf_token: csrf } = await login.json()
    const up = await ctx.post(`/api/v1/projects/${projectId}/attachments`, {
      headers: { 'X-CSRF-Token': csrf },
      multipart: { kind: 'agreement', file: { name: '投资协议.pdf', mimeType: 'application/pdf', buffer: PDF } },
    })
    assert.equal(up.status(), 201, await up.text())
    const att = await up.json()
    p = await s.get(`/api/v1/projects/${projectId}`)
    return await s.post(`/api/v1/projects/${projectId}/transitions`, { action: 'signed', on: today, attachment_id: att.id, version: p.version })
  } finally {
    await s.close()
    await ctx.dispose()
  }
}
