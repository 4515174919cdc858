// Issue 3 (projects): a locality registers a lead and carries it to signed
// with the agreement attached; the city leader sees it; a working group
// hands a project over and the locality accepts it; another locality cannot
// see the first project (404). The detail page, a tracking record and the
// warning list are also used on a phone-sized screen.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  $, DEMO_PASSWORD, PHONE, SKIP, apiGet, approveScreening, choose, fill, launch, newPage, problems, shot, signInOk, signOut, step,
} from './helpers.mjs'

const stamp = Date.now().toString(36).slice(-6).toUpperCase()
const leadName = `端州智能装备产业园项目${stamp}`
const leadInvestor = `广东粤科智能装备有限公司${stamp}`
const wgName = `新能源汽车零部件项目${stamp}`
const wgInvestor = `深圳新能动力科技有限公司${stamp}`

/** A small, valid PDF (the signed agreement). */
function makePdf(dir) {
  const body = [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
    '',
  ].join('\n')
  const file = join(dir, `投资协议-${stamp}.pdf`)
  writeFileSync(file, body)
  return file
}

/** The page's project, as the API answers it. */
async function projectState(page, id) {
  const res = await apiGet(page, `/api/v1/projects/${id}`)
  assert.equal(res.status, 200, `GET /api/v1/projects/${id}`)
  return res.body
}

/** Waits until the detail page shows the given stage. */
async function waitStage(page, stage) {
  await page.locator(`[data-test="project-stage"][data-stage="${stage}"]`).waitFor()
}

/** Opens the project form from the list, fills what every project needs, saves, and lands on the detail page. */
async function registerProject(page, { name, investor, amount, locality }) {
  await $(page, 'menu-projects').click()
  await page.waitForURL('**/projects')
  await $(page, 'project-table').waitFor()
  await $(page, 'project-create').click()
  await $(page, 'project-form-name').waitFor()
  await fill(page, 'project-form-name', name)
  await fill(page, 'project-form-investor', investor)
  await choose(page, 'project-form-channel', 'project-form-channel-opt-team')
  await choose(page, 'project-form-source-region', 'project-form-source-region-opt-shenzhen')
  await $(page, 'project-form-tag-high_tech').click()
  if (amount) await fill(page, 'project-form-contract-investment', String(amount))
  if (locality) await choose(page, 'project-form-locality', `project-form-locality-picker-opt-${locality}`)
  assert.equal(await $(page, 'project-form-share-sum').getAttribute('data-ok'), 'true', 'the default introducer holds 100%')
  await shot(page, `project-form-${locality || 'wg'}`)
  await $(page, 'project-form-submit').click()
  await page.waitForURL(/\/projects\/\d+$/)
  await $(page, 'project-name').waitFor()
  assert.equal((await $(page, 'project-name').innerText()).trim(), name)
  return Number(new URL(page.url()).pathname.split('/').pop())
}

describe('projects in the browser', { skip: SKIP }, () => {
  let browser
  let page
  let tmp
  let pdf
  let leadId
  let leadCode
  let wgId

  before(async () => {
    browser = await launch()
    tmp = mkdtempSync(join(tmpdir(), 'attract-e2e-'))
    pdf = makePdf(tmp)
  })
  after(async () => {
    await browser?.close()
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  it('lets a locality user register a lead and carry it to signed with the agreement', async () => {
    page = await newPage(browser)
    await step(page, 'dz-register-lead', async () => {
      await signInOk(page, 'dz_staff', DEMO_PASSWORD)
      assert.match(await $(page, 'menu-projects').innerText(), /项目台账/)
      // the home page counts the warnings in 端州区's scope
      await $(page, 'home-warnings').waitFor()
      await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-test="home-warning-count"]')?.textContent?.trim() ?? ''))
      await shot(page, 'dz-home-warnings')
      leadId = await registerProject(page, { name: leadName, investor: leadInvestor, amount: 52000, locality: '441202' })
      await waitStage(page, 'lead')
      assert.match(await $(page, 'project-locality').innerText(), /端州区/)
      leadCode = (await $(page, 'project-code').innerText()).trim()
      assert.match(leadCode, /^XM-\d{4}-\d+$/)
      await shot(page, 'project-lead-created')
    })

    await step(page, 'dz-to-negotiating', async () => {
      await $(page, 'project-advance').click()
      await $(page, 'transition-submit').waitFor()
      await shot(page, 'project-advance-negotiating')
      await $(page, 'transition-submit').click()
      await waitStage(page, 'negotiating')
    })

    await step(page, 'dz-screening-approved', async () => {
      // signing needs an approved screening (issue 5); e2e/screening.test.mjs
      // does one in the browser, here it is set up through the API
      await approveScreening(leadId, 'dz_staff')
      await page.reload()
      await waitStage(page, 'negotiating')
    })

    await step(page, 'dz-signing-needs-agreement', async () => {
      await $(page, 'project-advance').click()
      await $(page, 'transition-submit').waitFor()
      // no agreement yet: the form says so before the server is asked
      await $(page, 'transition-submit').click()
      await page.locator('[data-test="transition-attachment"][data-invalid="true"]').waitFor()
      // upload the agreement in the dialog; it is picked at once
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        $(page, 'transition-upload-button').click(),
      ])
      await chooser.setFiles(pdf)
      await page.locator('[data-test="transition-attachment"]:not([data-selected=""])').waitFor()
      assert.equal(await $(page, 'transition-attachment').getAttribute('data-invalid'), 'false')
      await shot(page, 'project-advance-signed-with-agreement')
      await $(page, 'transition-submit').click()
      await waitStage(page, 'signed')
      const p = await projectState(page, leadId)
      assert.equal(p.stage, 'signed')
      assert.ok(p.signed_on, 'the signing day is recorded')
      await shot(page, 'project-signed')
    })

    await step(page, 'dz-attachment-and-timeline', async () => {
      await $(page, 'project-tab-attachments').click()
      const link = $(page, 'attachments-pane').locator('a[data-test^="attachment-download-"]').first()
      await link.waitFor()
      assert.match(await link.innerText(), /\.pdf$/)
      const href = await link.getAttribute('href')
      const file = await page.request.get(href)
      assert.equal(file.status(), 200, 'the agreement downloads')
      await shot(page, 'project-attachments')
      await $(page, 'project-tab-timeline').click()
      await page.locator('[data-test="timeline-item-transition"]').first().waitFor()
      assert.ok(await page.locator('[data-test="timeline-item-transition"]').count() >= 2)
      await shot(page, 'project-timeline')
      await signOut(page)
    })
    await page.context().close()
  })

  it('shows the project to the city leader', async () => {
    page = await newPage(browser)
    await step(page, 'leader-list', async () => {
      await signInOk(page, 'leader', DEMO_PASSWORD)
      await $(page, 'menu-projects').click()
      await page.waitForURL('**/projects')
      await fill(page, 'project-search', stamp)
      await $(page, 'project-search-submit').click()
      await $(page, `project-row-${leadCode}`).waitFor()
      assert.equal(await $(page, 'project-create').count(), 0, 'the leader reads only')
      await shot(page, 'leader-project-list')
      await $(page, `project-row-${leadCode}`).click()
      await page.waitForURL(`**/projects/${leadId}`)
      await waitStage(page, 'signed')
      assert.equal(await $(page, 'project-advance').count(), 0, 'no stage actions for the leader')
      await shot(page, 'leader-project-detail')
      await page.goto('/projects/board')
      await $(page, `board-card-${leadCode}`).waitFor()
      await shot(page, 'leader-project-board')
      await signOut(page)
    })
    await page.context().close()
  })

  it('lets a working group hand a project over to 端州区', async () => {
    page = await newPage(browser)
    await step(page, 'wg-handover', async () => {
      await signInOk(page, 'wg_nev', DEMO_PASSWORD)
      wgId = await registerProject(page, { name: wgName, investor: wgInvestor, amount: 30000 })
      await $(page, 'project-tab-handover').click()
      await page.locator('[data-test="handover-status"][data-status="none"]').waitFor()
      await $(page, 'handover-send').click()
      await choose(page, 'handover-to-unit', 'handover-to-picker-opt-441202')
      await shot(page, 'wg-handover-dialog')
      await $(page, 'handover-send-submit').click()
      await page.locator('[data-test="handover-status"][data-status="pending"]').waitFor()
      assert.match(await $(page, 'handover-to').innerText(), /端州区/)
      await shot(page, 'wg-handover-pending')
      await signOut(page)
    })
    await page.context().close()
  })

  it('lets 端州区 accept the hand-over', async () => {
    page = await newPage(browser)
    await step(page, 'dz-accept', async () => {
      await signInOk(page, 'dz_staff', DEMO_PASSWORD)
      await page.goto(`/projects/${wgId}`)
      await $(page, 'project-name').waitFor()
      await $(page, 'project-tab-handover').click()
      await page.locator('[data-test="handover-status"][data-status="pending"]').waitFor()
      await $(page, 'handover-accept').click()
      await $(page, 'handover-accept-submit').click()
      await page.locator('[data-test="handover-status"][data-status="accepted"]').waitFor()
      const p = await projectState(page, wgId)
      assert.equal(p.handover.status, 'accepted')
      await shot(page, 'dz-handover-accepted')
      await signOut(page)
    })
    await page.context().close()
  })

  it('keeps the project from another locality (404)', async () => {
    page = await newPage(browser)
    await step(page, 'gy-not-found', async () => {
      await signInOk(page, 'gy_staff', DEMO_PASSWORD)
      await page.goto(`/projects/${leadId}`)
      await $(page, 'not-found').waitFor()
      assert.equal(await $(page, 'project-name').count(), 0)
      await shot(page, 'gy-project-not-found')
      const res = await page.request.get(`/api/v1/projects/${leadId}`, { headers: { Accept: 'application/json' } })
      assert.equal(res.status(), 404, 'a 端州区 project answers 404 to 高要区 staff')
      await page.goto('/projects')
      await fill(page, 'project-search', stamp)
      const [list] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/projects?') && r.url().includes(`q=${stamp}`)),
        $(page, 'project-search-submit').click(),
      ])
      const found = await list.json()
      assert.equal(found.items.filter((p) => p.id === leadId).length, 0, 'not listed either')
      assert.equal(await $(page, `project-row-${leadCode}`).count(), 0)
      await signOut(page)
    })
    await page.context().close()
  })

  it('works on a phone-sized screen: detail, a tracking record, warnings', async () => {
    page = await newPage(browser, PHONE)
    await step(page, 'phone', async () => {
      await signInOk(page, 'dz_staff', DEMO_PASSWORD)
      assert.equal(await $(page, 'menu-projects').count(), 0, 'the menu is folded away')
      await $(page, 'menu-toggle').click()
      await $(page, 'menu-projects').waitFor()
      await shot(page, 'phone-menu-drawer')
      await $(page, 'menu-warnings').click()
      await page.waitForURL('**/warnings')
      await $(page, 'warning-table').waitFor()
      await shot(page, 'phone-warnings')

      await page.goto(`/projects/${leadId}`)
      await waitStage(page, 'signed')
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(width <= 390, `the detail page fits the screen (scroll width ${width})`)
      await shot(page, 'phone-project-detail')

      await $(page, 'project-tab-tracking').click()
      await $(page, 'tracking-add').click()
      await $(page, 'tracking-kind-visit').click()
      await fill(page, 'tracking-summary', `现场走访${stamp}：企业已完成设备选型，计划下月报建。`)
      await fill(page, 'tracking-next-step', '协调办理用地手续')
      await shot(page, 'phone-tracking-form')
      await $(page, 'tracking-submit').click()
      await $(page, 'tracking-list').locator('[data-test="tracking-row-summary"]').filter({ hasText: stamp }).waitFor()
      await shot(page, 'phone-tracking-added')
      await signOut(page)
    })
    await page.context().close()
  })

  it('raised no script errors', () => {
    // The 404 outside scope logs "status of 404" and is expected.
    assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), [])
  })
})
