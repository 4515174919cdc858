// Stored XSS: hostile text written through the API into every user-written
// text field the browser renders (FIELDS below, read off the Go request
// types), then every page that shows them visited — lists, detail pages,
// dialogs and tooltips, the cockpit's and the chain map's ECharts tooltips
// hovered until they show the hostile names. No payload may run
// (window.__xss stays undefined, no dialog opens) and each shows as text.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  $, apiGet, fill, BIG_SCREEN, DEMO_PASSWORD, SKIP, apiSession, signThroughApi, launch, newPage, signInOk, step,
  waitCockpitRendered,
} from './helpers.mjs'

const stamp = Date.now().toString(36).slice(-5)
const RUN = 'window.__xss=1'
// What an assessor types: markup with handlers, a tag breaking out of an
// attribute, a template expression (Vue must not evaluate it) and a dialog.
const PAYLOADS = [
  (m) => `<img src=x onerror="${RUN}">${m}`,
  (m) => `<svg onload="${RUN}">${m}`,
  (m) => `"><script>${RUN}</script>${m}`,
  (m) => `{{7*7}}<b onmouseover="alert(1)">${m}</b>`,
  (m) => `'><iframe src="javascript:alert(1)">${m}`,
]

// Every user-written text field of the request types the UI renders, by
// capability (Go request type: fields). Codes, dates, amounts and
// dictionary codes are validated against fixed sets and are not free text.
const FIELDS = [
  ['dictionary.Input', ['label_zh', 'label_en']],
  ['org.CreateUser', ['display_name']],
  ['org.CreateUnit', ['name', 'short_name']],
  ['org.RoleInput', ['name_zh', 'name_en']],
  ['webhook.Input', ['name']],
  ['project.Input', ['name', 'investor_name', 'referrer']], // tags are dictionary codes
  ['project.TrackingInput', ['summary', 'next_step']],
  ['project.RequestInput', ['title', 'detail']],
  ['enterprise.Input', ['name', 'former_names']], // tags are dictionary codes
  ['enterprise.IntentionInput', ['content', 'place', 'source']],
  ['enterprise.VisitInput', ['visitors', 'outcome', 'next_step']],
  ['chain.ChainInput', ['name', 'description']],
  ['chain.NodeInput', ['name', 'keywords']],
  ['campaign.Input', ['name', 'place', 'participants', 'target_enterprises', 'summary']],
  ['network.AdvisorInput', ['name', 'organisation', 'title', 'note']],
  ['network.PartnerInput', ['name', 'note']],
  ['network.ItemInput', ['title', 'source', 'summary']],
  ['notice.Input', ['title', 'body']],
]

// Fields of at most 30 characters get a short payload.
const SHORT = new Set(['org.CreateUnit.short_name'])

// evil(type, field): the field's payload, marked so each can be found.
const evil = (() => {
  const all = new Map()
  let i = 0
  for (const [type, fields] of FIELDS) {
    for (const f of fields) {
      const m = `X${stamp}${i}`
      all.set(`${type}.${f}`, SHORT.has(`${type}.${f}`) ? `<svg onload=alert(1)>${m}` : PAYLOADS[i % PAYLOADS.length](m))
      i += 1
    }
  }
  return (type, field) => {
    const v = all.get(`${type}.${field}`)
    if (!v) throw new Error(`no field ${type}.${field} in FIELDS`)
    return v
  }
})()

const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })

const ids = {}

/** Writes every payload through the API, as the users allowed to. */
async function seed() {
  const sys = await apiSession('sysadmin', DEMO_PASSWORD)
  const sec = await apiSession('secadmin', DEMO_PASSWORD)
  const zsb = await apiSession('zsb_staff')
  try {
    const units = (await zsb.get('/api/v1/units')).items
    const dz = units.find((u) => u.code === '441202')
    const root = units.find((u) => u.code === '441200')
    const channel = `xss_${stamp}`
    await sys.post('/api/v1/dictionary', {
      type: 'channel', code: channel, label_zh: evil('dictionary.Input', 'label_zh'), label_en: evil('dictionary.Input', 'label_en'),
    })
    const unit = await sys.post('/api/v1/units', {
      code: `X${stamp}`, name: evil('org.CreateUnit', 'name'), short_name: evil('org.CreateUnit', 'short_name'), kind: 'department',
      parent_id: root.id, effective_on: '2024-01-01',
    })
    ids.unit = unit.id
    ids.user = (await sys.post('/api/v1/users', {
      username: `xss${stamp}`, display_name: evil('org.CreateUser', 'display_name'), unit_id: dz.id, password: 'Xss-pass-2026!',
    })).id
    ids.role = (await sec.post('/api/v1/roles', {
      code: `xss_${stamp}`, name_zh: evil('org.RoleInput', 'name_zh'), name_en: evil('org.RoleInput', 'name_en'), permissions: ['project:read'], scope: 'unit',
    })).id
    // a javascript: URL is no webhook address
    await assert.rejects(sys.post('/api/v1/webhooks', { name: 'x', url: 'javascript:alert(1)', format: 'generic', secret: 'xss-secret-2026', events: ['project.signed'] }), /HTTP 400.*url/)
    ids.webhook = (await sys.post('/api/v1/webhooks', {
      name: evil('webhook.Input', 'name'), url: 'http://127.0.0.1:9/hook', format: 'generic', secret: 'xss-secret-2026', events: ['project.signed'],
    })).id

    const campaign = await zsb.post('/api/v1/campaigns', {
      name: evil('campaign.Input', 'name'), kind: 'fair', starts_on: '2025-09-20', ends_on: '2025-09-22', place: evil('campaign.Input', 'place'),
      participants: evil('campaign.Input', 'participants'), target_enterprises: evil('campaign.Input', 'target_enterprises'),
      summary: evil('campaign.Input', 'summary'), budget: 10, spend: 5,
    })
    ids.campaign = campaign.id
    const p = await zsb.post('/api/v1/projects', {
      name: evil('project.Input', 'name'), investor_name: evil('project.Input', 'investor_name'), referrer: evil('project.Input', 'referrer'),
      channel, source_region: 'shenzhen', contract_investment: 50000, locality_unit_id: dz.id,
      campaign_id: campaign.id,
    })
    ids.project = p.id
    await zsb.post(`/api/v1/projects/${p.id}/tracking-records`, {
      kind: 'visit', on: today, summary: evil('project.TrackingInput', 'summary'), next_step: evil('project.TrackingInput', 'next_step'),
    })
    await zsb.post(`/api/v1/projects/${p.id}/requests`, { title: evil('project.RequestInput', 'title'), detail: evil('project.RequestInput', 'detail'), deadline: '2030-01-01' })

    const e = await zsb.post('/api/v1/enterprises', {
      credit_code: uscc(`91440300${String(Date.now()).slice(-9)}`), name: evil('enterprise.Input', 'name'),
      former_names: [evil('enterprise.Input', 'former_names')], tags: [], industry_code: '3841',
      region_code: '440300', registered_capital: 20000, is_target: true,
    })
    ids.enterprise = e.id
    await zsb.post(`/api/v1/enterprises/${e.id}/intentions`, {
      heard_on: today, content: evil('enterprise.IntentionInput', 'content'), place: evil('enterprise.IntentionInput', 'place'),
      source: evil('enterprise.IntentionInput', 'source'),
    })
    await zsb.post(`/api/v1/enterprises/${e.id}/visits`, {
      visited_on: today, visitors: evil('enterprise.VisitInput', 'visitors'), outcome: evil('enterprise.VisitInput', 'outcome'),
      next_step: evil('enterprise.VisitInput', 'next_step'),
    })

    const chain = await zsb.post('/api/v1/chains', {
      code: `xss${stamp}`, name: evil('chain.ChainInput', 'name'), description: evil('chain.ChainInput', 'description'),
    })
    ids.chain = chain.id
    const seg = await zsb.post(`/api/v1/chains/${chain.id}/nodes`, { kind: 'segment', stage: 'upstream', name: evil('chain.NodeInput', 'name') })
    await zsb.post(`/api/v1/chains/${chain.id}/nodes`, {
      kind: 'link', parent_id: seg.id, name: evil('chain.NodeInput', 'name'), industry_codes: ['3841'], keywords: [evil('chain.NodeInput', 'keywords')],
    })

    await zsb.post('/api/v1/advisors', {
      name: evil('network.AdvisorInput', 'name'), kind: 'expert', organisation: evil('network.AdvisorInput', 'organisation'),
      title: evil('network.AdvisorInput', 'title'), note: evil('network.AdvisorInput', 'note'), appointed_on: '2025-01-01', term_ends_on: '2028-01-01',
    })
    await zsb.post('/api/v1/partners', { name: evil('network.PartnerInput', 'name'), kind: 'chamber', note: evil('network.PartnerInput', 'note') })
    await zsb.post('/api/v1/intelligence', {
      title: evil('network.ItemInput', 'title'), source: evil('network.ItemInput', 'source'), summary: evil('network.ItemInput', 'summary'),
      published_on: today,
    })
    ids.notice = (await zsb.post('/api/v1/notices', { title: evil('notice.Input', 'title'), body: evil('notice.Input', 'body'), unit_ids: [dz.id] })).id
  } finally {
    await Promise.all([sys.close(), sec.close(), zsb.close()])
  }
  // the cockpit's shares count signed projects
  await signThroughApi(ids.project, 'zsb_staff')
}

function uscc(first17) {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += chars.indexOf(first17[i]) * w[i]
  return first17 + chars[(31 - (sum % 31)) % 31]
}

describe('stored XSS through every rendered text field', { skip: SKIP }, () => {
  let browser
  let page
  const dialogs = []

  before(async () => {
    await seed()
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  /** Nothing ran: no payload counted, no dialog, no element a payload would make. */
  async function assertInert(where) {
    assert.equal(await page.evaluate(() => window.__xss), undefined, `a payload ran on ${where}`)
    assert.deepEqual(dialogs, [], `a dialog opened on ${where}`)
    const made = await page.evaluate(() => document.querySelectorAll('img[onerror], svg[onload], b[onmouseover], iframe[src^="javascript"], script:not([src]):not([type])').length)
    assert.equal(made, 0, `markup from a payload on ${where}`)
  }

  /** The page shows each value as text (the template expression too, unevaluated). */
  async function assertShown(where, values) {
    const text = await page.locator('body').innerText()
    for (const v of values) assert.ok(text.includes(v), `${where} does not show ${JSON.stringify(v)} as text`)
  }

  /** Hovers every cell of the first rows whose text overflows (their tooltips). */
  async function hoverCells() {
    const cells = page.locator('.el-table__body tr:nth-child(-n+3) .cell.el-tooltip')
    const n = Math.min(await cells.count(), 12)
    for (let i = 0; i < n; i++) await cells.nth(i).hover({ timeout: 300 }).catch(() => {})
  }

  /**
   * Opens a page, hovers its table cells, checks it; then each of its tabs
   * ([pane name, values shown there]) in turn.
   */
  async function visit(path, where, values, { ready, tabs = [] } = {}) {
    await step(page, where, async () => {
      await page.goto(path)
      if (ready) await ready()
      else await page.waitForLoadState('networkidle')
      await hoverCells()
      await assertShown(where, values)
      await assertInert(where)
      for (const [tab, shown] of tabs) {
        await page.locator(`#tab-${tab}`).click()
        await page.waitForLoadState('networkidle')
        await page.waitForTimeout(300)
        await hoverCells()
        await assertShown(`${where} tab ${tab}`, shown)
        await assertInert(`${where} tab ${tab}`)
      }
    })
  }

  /**
   * Moves the mouse over points of a chart until its tooltip holds the
   * marker; answers the tooltip's text ('' when never shown).
   */
  async function hoverChart(box, points, marker) {
    const b = await box.boundingBox()
    for (const [fx, fy] of points) {
      await page.mouse.move(b.x + fx(b.width, b.height), b.y + fy(b.width, b.height))
      const tip = await box.evaluate((el) => [...el.children].slice(1).map((c) => c.textContent).join(''))
      if (tip.includes(marker)) return tip
    }
    return ''
  }

  it('runs none of the payloads on any page, shows each as text', async () => {
    page = await newPage(browser)
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      d.dismiss().catch(() => {})
    })
    await signInOk(page, 'zsb_staff', DEMO_PASSWORD)
    const P = (f) => evil('project.Input', f)
    await visit('/projects', 'projects', [P('name'), P('investor_name')])
    await visit(`/projects/${ids.project}`, 'project', [P('name'), P('investor_name'), P('referrer')], {
      tabs: [
        ['tracking', [evil('project.TrackingInput', 'summary'), evil('project.TrackingInput', 'next_step')]],
        ['requests', [evil('project.RequestInput', 'title')]],
        ['timeline', []],
      ],
    })
    await visit('/projects/board', 'board', [P('name')])
    await visit('/assignments', 'assignments', [])
    const E = (f) => evil('enterprise.Input', f)
    await visit('/enterprises', 'enterprises', [E('name')], { ready: async () => {
      await page.waitForLoadState('networkidle')
      await fill(page, 'enterprise-search', E('name').match(/X\w+/)[0])
      await page.locator(`[data-test="enterprise-total"][data-q^="X"][data-loading="false"]`).waitFor()
      await page.waitForLoadState('networkidle')
    } })
    await visit(`/enterprises/${ids.enterprise}`, 'enterprise', [E('name'), E('former_names')], {
      tabs: [
        ['intentions', ['content', 'place', 'source'].map((f) => evil('enterprise.IntentionInput', f))],
        ['visits', ['visitors', 'outcome', 'next_step'].map((f) => evil('enterprise.VisitInput', f))],
        ['projects', []],
      ],
    })
    await visit('/chains', 'chains', [evil('chain.ChainInput', 'name')])
    await visit('/campaigns', 'campaigns', [evil('campaign.Input', 'name')])
    await visit(`/campaigns/${ids.campaign}`, 'campaign', [evil('campaign.Input', 'name'), evil('campaign.Input', 'place'),
      evil('campaign.Input', 'summary'), P('name')])
    await visit('/campaigns/report', 'channel report', [])
    await visit('/network', 'network', [evil('network.AdvisorInput', 'name'), evil('network.AdvisorInput', 'organisation')], {
      tabs: [['partners', [evil('network.PartnerInput', 'name')]]],
    })
    await visit('/intelligence', 'intelligence', [evil('network.ItemInput', 'title')])
    await visit('/notices', 'notices', [evil('notice.Input', 'title'), evil('notice.Input', 'body')], { ready: async () => {
      await $(page, 'notice-box-sent').click()
      await $(page, `notice-open-${ids.notice}`).click()
      await $(page, 'notice-body').waitFor()
      await page.waitForLoadState('networkidle')
    } })
    await visit('/org/units', 'units', [evil('org.CreateUnit', 'name')])
    await visit('/warnings', 'warnings', [])

    await step(page, 'chain-map-tooltip', async () => {
      await page.goto(`/chains/${ids.chain}/map`)
      const chart = page.locator('[data-test="chain-map-chart"][data-rendered="true"]')
      await chart.waitFor()
      const box = chart.locator('[data-test="echart"]').first()
      const target = (await box.count()) ? box : chart
      const name = evil('chain.NodeInput', 'name')
      const marker = name.match(/X\w+/)[0]
      // the tree runs left to right: sweep down the columns of its levels
      const points = []
      for (const fx of [() => 110, (w) => 110 + (w - 370) / 2, (w) => w - 260]) {
        for (let y = 0.02; y < 1; y += 0.01) points.push([fx, (w, h) => h * y])
      }
      const tip = await hoverChart(target, points, marker)
      assert.ok(tip.includes(name), `the chain map's tooltip shows the link's name as text (got ${JSON.stringify(tip)})`)
      await assertInert('chain map')
    })

    await step(page, 'dictionary', async () => {
      await signOutTo('sysadmin')
      await visit('/system/dictionary', 'dictionary', [])
      const label = evil('dictionary.Input', 'label_zh')
      await $(page, 'dict-type-channel').click()
      await $(page, `dict-row-xss_${stamp}`).waitFor()
      await hoverCells()
      await assertShown('dictionary', [label])
      await assertInert('dictionary')
      await visit('/org/users', 'users', [evil('org.CreateUser', 'display_name')], { ready: async () => {
        await page.waitForLoadState('networkidle')
        await fill(page, 'user-search', `xss${stamp}`)
        await page.keyboard.press('Enter')
        await page.waitForTimeout(500)
        await page.waitForLoadState('networkidle')
      } })
      await visit('/system/webhooks', 'webhooks', [evil('webhook.Input', 'name')])
    })
    await step(page, 'roles', async () => {
      await signOutTo('secadmin')
      await visit('/system/roles', 'roles', [evil('org.RoleInput', 'name_zh')])
    })
  })

  async function signOutTo(user) {
    await page.context().clearCookies()
    await signInOk(page, user, DEMO_PASSWORD)
  }

  it('escapes the names in the cockpit\'s chart tooltips', async () => {
    page = await newPage(browser, BIG_SCREEN)
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      d.dismiss().catch(() => {})
    })
    await step(page, 'cockpit-tooltip', async () => {
      await signInOk(page, 'leader', DEMO_PASSWORD)
      await page.goto('/cockpit')
      await waitCockpitRendered(page)
      await assertInert('cockpit')
      const label = evil('dictionary.Input', 'label_zh')
      const marker = label.match(/X\w+/)[0]
      const box = page.locator('[data-test="cockpit-chart-channels"] [data-test="echart"]')
      // the pie (centre 50%/54%, radius 30–56%) starts at the top and runs
      // clockwise in the order of the data: aim at the middle of our slice
      const year = today.slice(0, 4)
      const shares = (await apiGet(page, `/api/v1/cockpit?year=${year}`)).body.channels
      const amounts = shares.map((c) => Number(c.amount))
      const total = amounts.reduce((a, b) => a + b, 0)
      const i = shares.findIndex((c) => c.code === `xss_${stamp}`)
      assert.ok(i >= 0, 'the signed project\'s channel is among the cockpit\'s shares')
      const before = amounts.slice(0, i).reduce((a, b) => a + b, 0)
      const points = []
      for (const f of [0.5, 0.3, 0.7, 0.1, 0.9]) {
        const deg = 90 - (360 * (before + amounts[i] * f)) / total
        const r = (deg * Math.PI) / 180
        for (const k of [0.43, 0.36, 0.5]) {
          const radius = (w, h) => (k * Math.min(w, h)) / 2
          points.push([(w, h) => w / 2 + Math.cos(r) * radius(w, h), (w, h) => h * 0.54 - Math.sin(r) * radius(w, h)])
        }
      }
      const tip = await hoverChart(box, points, marker)
      assert.ok(tip.includes(label), `the channels tooltip shows the label as text (got ${JSON.stringify(tip)})`)
      await assertInert('cockpit tooltips')
    })
  })
})
