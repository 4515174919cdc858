// Issue 5 (screening, 论证评估): a locality's project fails on investment
// intensity and cannot be signed; it is submitted, returned by the
// commission, revised until it passes, reviewed by one commission user and
// approved by the director (the office's staff do not approve, and nobody
// approves a screening of his own), and can then be signed;
// the printed report shows each rule. Baselines and the negative list are
// shown as data, the defaults marked as awaiting the city's confirmation.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  $, DEMO_PASSWORD, PASSING_INPUTS, SKIP, apiGet, apiSession, fill, launch, newPage, problems, shot, signInOk, signOut, step,
} from './helpers.mjs'

const stamp = Date.now().toString(36).slice(-6).toUpperCase()
const name = `肇庆高新精密制造项目${stamp}`

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

/** Sets a number box of the screening form. */
async function setInput(page, field, value) {
  await fill(page, `evaluation-input-${field}`, String(value))
}

/** Opens the project's screening tab, signed in as a user, on a fresh page. */
async function openScreening(browser, user, projectId) {
  const page = await newPage(browser)
  await signInOk(page, user, DEMO_PASSWORD)
  await page.goto(`/projects/${projectId}`)
  await $(page, 'project-name').waitFor()
  await $(page, 'project-tab-evaluations').click()
  await $(page, 'evaluations-pane').waitFor()
  return page
}

async function waitPanel(page, status) {
  await page.locator(`[data-test="evaluation-panel"][data-status="${status}"]`).waitFor()
}

/** Runs a workflow step through its dialog. */
async function runStep(page, action, comment = '') {
  await $(page, `evaluation-${action}`).click()
  await $(page, 'evaluation-step-comment').waitFor()
  if (comment) await fill(page, 'evaluation-step-comment', comment)
  await $(page, 'evaluation-step-submit').click()
}

describe('screening in the browser', { skip: SKIP }, () => {
  let browser
  let tmp
  let pdf
  let projectId
  let evaluationId

  before(async () => {
    browser = await launch()
    tmp = mkdtempSync(join(tmpdir(), 'attract-e2e-'))
    pdf = makePdf(tmp)
    // a negotiating project of 端州区, set up through the API
    const dz = await apiSession('dz_staff')
    try {
      const units = await dz.get('/api/v1/units')
      const duanzhou = units.items.find((u) => u.code === '441202')
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
      let p = await dz.post('/api/v1/projects', {
        name, investor_name: `肇庆精密制造有限公司${stamp}`, channel: 'team', lead_on: today, contract_investment: 15000,
        fixed_asset_investment: 10000, land_area_mu: 50, expected_output: 20000, expected_tax: 1000, expected_jobs: 200,
        locality_unit_id: duanzhou.id, introducers: [{ unit_id: duanzhou.id, share: 100 }], confirm_distinct: true,
      })
      p = await dz.post(`/api/v1/projects/${p.id}/transitions`, { action: 'negotiating', on: today, version: p.version })
      projectId = p.id
    } finally {
      await dz.close()
    }
  })
  after(async () => {
    await browser?.close()
    if (tmp) rmSync(tmp, { recursive: true, force: true })
  })

  it('fails a project on investment intensity, and signing is refused', async () => {
    const page = await openScreening(browser, 'dz_staff', projectId)
    await step(page, 'screening-create', async () => {
      await $(page, 'evaluation-none').waitFor()
      await $(page, 'evaluation-create').click()
      await $(page, 'evaluation-form').waitFor()
      // the project's figures come in; the parts make the fixed-asset investment
      assert.equal(await $(page, 'evaluation-input-land_area_mu').locator('input').inputValue(), '50.00')
      await setInput(page, 'building_investment', 6000)
      await setInput(page, 'equipment_investment', 3000)
      await setInput(page, 'land_investment', 1000)
      await setInput(page, 'energy_tce', 3000)
      await setInput(page, 'water_tonnes', 10000)
      await setInput(page, 'floor_area_ratio', 1.2)
      await setInput(page, 'building_coverage', 40)
      await setInput(page, 'admin_facility_share', 5)
      await $(page, 'evaluation-form').locator('.el-divider').first().click()
      assert.equal(await $(page, 'evaluation-input-fixed_asset_investment').locator('input').inputValue(), '10000.00')
      await shot(page, 'screening-form')
      await $(page, 'evaluation-form-submit').click()
      await waitPanel(page, 'draft')
      await page.locator('[data-test="rule-investment_intensity"][data-result="fail"]').waitFor()
      assert.equal(await $(page, 'indicator-value-investment_intensity').innerText(), '200.00')
      assert.match(await $(page, 'indicator-formula-investment_intensity').innerText(), /固定资产投资.*÷ 用地面积/)
      await page.locator('[data-test="evaluation-verdict"][data-verdict="fail"]').waitFor()
      assert.match(await $(page, 'evaluation-verdict').innerText(), /不通过/)
      assert.match(await $(page, 'evaluation-reasons').innerText(), /投资强度/)
      // the shipped rules are defaults the city must confirm
      assert.match(await $(page, 'evaluation-default-notice').innerText(), /本规则为默认参考值，须经市政府确认/)
      evaluationId = Number(await $(page, 'evaluation-panel').getAttribute('data-id'))
      await shot(page, 'screening-failed')
    })

    await step(page, 'signing-refused', async () => {
      await $(page, 'project-advance').click() // to signed
      await $(page, 'transition-submit').waitFor()
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), $(page, 'transition-upload-button').click()])
      await chooser.setFiles(pdf)
      await page.locator('[data-test="transition-attachment"]:not([data-selected=""])').waitFor()
      await $(page, 'transition-submit').click()
      await $(page, 'transition-error').waitFor()
      assert.match(await $(page, 'transition-error').innerText(), /签约前须完成论证评估并经审定/)
      await shot(page, 'signing-refused')
      await $(page, 'transition-cancel').click()
    })

    await step(page, 'screening-submit', async () => {
      await runStep(page, 'submit', '请审核')
      await waitPanel(page, 'submitted')
      assert.equal(await $(page, 'evaluation-revise').count(), 0, 'a submitted screening is not revised')
      await signOut(page)
    })
    await page.context().close()
  })

  it('is returned by the commission', async () => {
    const page = await openScreening(browser, 'zsb_staff', projectId)
    await step(page, 'screening-return', async () => {
      await waitPanel(page, 'submitted')
      // a return needs its reason
      await $(page, 'evaluation-return').click()
      await $(page, 'evaluation-step-submit').click()
      await $(page, 'evaluation-step-error').waitFor()
      await fill(page, 'evaluation-step-comment', '投资强度低于底线，请核实固定资产投资')
      await $(page, 'evaluation-step-submit').click()
      await waitPanel(page, 'returned')
      await $(page, 'trail-return').waitFor()
      await shot(page, 'screening-returned')
      await signOut(page)
    })
    await page.context().close()
  })

  it('is revised until it passes and submitted again', async () => {
    const page = await openScreening(browser, 'dz_staff', projectId)
    await step(page, 'screening-revise', async () => {
      await waitPanel(page, 'returned')
      assert.match(await $(page, 'evaluation-trail').innerText(), /投资强度低于底线/)
      await $(page, 'evaluation-revise').click()
      await $(page, 'evaluation-form').waitFor()
      await setInput(page, 'building_investment', 9000)
      await $(page, 'evaluation-form').locator('.el-divider').first().click()
      await $(page, 'evaluation-form-submit').click()
      await page.locator('[data-test="rule-investment_intensity"][data-result="pass"]').waitFor()
      assert.equal(await $(page, 'indicator-value-investment_intensity').innerText(), '260.00')
      assert.equal(await page.locator('[data-test^="rule-"][data-result="fail"]').count(), 0)
      // the reviewer's items are still to confirm
      await page.locator('[data-test="check-fair_competition"][data-status="pending"]').waitFor()
      await shot(page, 'screening-revised')
      await runStep(page, 'submit')
      await waitPanel(page, 'submitted')
      await signOut(page)
    })
    await page.context().close()
  })

  it('is reviewed by one user and approved by another', async () => {
    let page = await openScreening(browser, 'zsb_staff', projectId)
    await step(page, 'screening-review', async () => {
      await waitPanel(page, 'submitted')
      const oks = page.locator('[data-test="evaluation-checklist"] [data-test^="check-answer-"][data-test$="-ok"]')
      const n = await oks.count()
      assert.ok(n >= 1, 'items for the reviewer')
      for (let i = 0; i < n; i++) await oks.nth(i).click()
      await fill(page, 'check-comment-fair_competition', '已审查协议，无税收返还条款')
      await shot(page, 'screening-review')
      await runStep(page, 'review', '指标符合底线')
      await waitPanel(page, 'reviewed')
      await page.locator('[data-test="evaluation-verdict"][data-verdict="pass"]').waitFor()
      // the office's staff review but do not approve (the director does)
      assert.equal(await $(page, 'evaluation-approve').count(), 0, 'no approve button for the reviewer')
      await signOut(page)
    })
    await page.context().close()

    page = await openScreening(browser, 'zsb_leader', projectId)
    await step(page, 'screening-approve', async () => {
      await waitPanel(page, 'reviewed')
      await runStep(page, 'approve', '同意')
      await waitPanel(page, 'approved')
      await $(page, 'trail-approve').waitFor()
      await shot(page, 'screening-approved')
    })

    await step(page, 'screening-print', async () => {
      await page.goto(`/evaluations/${evaluationId}/print`)
      await $(page, 'evaluation-report').waitFor()
      const ev = (await apiGet(page, `/api/v1/evaluations/${evaluationId}`)).body
      assert.ok(ev.results.rules.length >= 1)
      for (const r of ev.results.rules) {
        await page.locator(`[data-test="report-rule-${r.indicator}"][data-result="${r.result}"]`).waitFor()
      }
      assert.equal(await page.locator('[data-test^="report-rule-"]').count(), ev.results.rules.length, 'each rule once')
      assert.match(await $(page, 'report-rule-investment_intensity').innerText(), /260\.00/)
      await $(page, 'report-review-review').waitFor()
      await $(page, 'report-review-approve').waitFor()
      assert.match(await $(page, 'report-reviewers').innerText(), /林振华/)
      assert.match(await $(page, 'report-verdict').innerText(), /通过/)
      assert.equal(await $(page, 'menu-home').count(), 0, 'no menu on the print view')
      await page.emulateMedia({ media: 'print' })
      assert.equal(await $(page, 'print-now').isVisible(), false)
      await shot(page, 'screening-print')
      await page.emulateMedia({ media: 'screen' })
      await signOut(page).catch(() => {})
    })
    await page.context().close()
  })

  it('refuses to let the director approve a screening of his own', async () => {
    // zsb_leader prepares and submits a screening of another project, zsb_staff reviews it (API set-up)
    const dz = await apiSession('dz_staff')
    const lead = await apiSession('zsb_leader')
    const zsb = await apiSession('zsb_staff')
    let otherId
    try {
      const units = await dz.get('/api/v1/units')
      const duanzhou = units.items.find((u) => u.code === '441202')
      const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
      const p = await dz.post('/api/v1/projects', {
        name: `自审项目${stamp}`, investor_name: `自审测试有限公司${stamp}`, channel: 'team', lead_on: today, contract_investment: 15000,
        locality_unit_id: duanzhou.id, introducers: [{ unit_id: duanzhou.id, share: 100 }], confirm_distinct: true,
      })
      otherId = p.id
      let ev = await lead.post(`/api/v1/projects/${p.id}/evaluations`, { evaluated_on: today, inputs: PASSING_INPUTS })
      ev = await lead.post(`/api/v1/evaluations/${ev.id}/submit`, { comment: '', version: ev.version })
      const confirmations = {}
      for (const c of ev.results?.checklist ?? []) if (c.source === 'reviewer') confirmations[c.code] = { answer: 'ok', comment: '' }
      await zsb.post(`/api/v1/evaluations/${ev.id}/review`, { comment: '', conditions: '', confirmations, version: ev.version })
    } finally {
      await Promise.all([dz.close(), lead.close(), zsb.close()])
    }
    const page = await openScreening(browser, 'zsb_leader', otherId)
    await step(page, 'screening-own-approve', async () => {
      await waitPanel(page, 'reviewed')
      await runStep(page, 'approve', '同意')
      await $(page, 'evaluation-step-error').waitFor()
      assert.match(await $(page, 'evaluation-step-error').innerText(), /不能审定本人提交的论证评估/)
      await shot(page, 'screening-own-approve')
      await $(page, 'evaluation-step-cancel').click()
      await waitPanel(page, 'reviewed')
      await signOut(page)
    })
    await page.context().close()
  })

  it('can then be signed', async () => {
    const page = await openScreening(browser, 'dz_staff', projectId)
    await step(page, 'signed', async () => {
      await page.locator('[data-test="project-stage"][data-stage="negotiating"]').waitFor()
      await $(page, 'project-advance').click()
      await page.locator('[data-test="transition-attachment"]:not([data-selected=""])').waitFor()
      await $(page, 'transition-submit').click()
      await page.locator('[data-test="project-stage"][data-stage="signed"]').waitFor()
      await shot(page, 'screening-signed')
      await signOut(page)
    })
    await page.context().close()
  })

  it('keeps the baselines and the negative list as data', async () => {
    const page = await newPage(browser)
    await step(page, 'baselines', async () => {
      await signInOk(page, 'zsb_staff', DEMO_PASSWORD)
      await $(page, 'menu-baselines').click()
      await page.waitForURL('**/evaluation/baselines')
      await page.locator('[data-test^="baseline-set-"][data-default="true"]').first().waitFor()
      await $(page, 'baseline-default').first().waitFor()
      // a new version for a zone, from the default set, in force next year
      const before = await page.locator('[data-test^="baseline-set-"]').count()
      const defaultId = (await page.locator('[data-test^="baseline-set-"][data-default="true"]').first().getAttribute('data-test')).replace('baseline-set-', '')
      await $(page, `baseline-copy-${defaultId}`).click()
      await $(page, 'baseline-form').waitFor()
      await fill(page, 'baseline-form-name', `肇庆高新区工业项目投资效益底线${stamp}`)
      await $(page, 'baseline-form-park').locator('.el-select__wrapper').click()
      await page.locator('[data-test="baseline-form-park-picker-opt-ZONE-GX"]:visible').click()
      await fill(page, 'baseline-form-effective', `${new Date().getFullYear() + 1}-01-01`)
      await page.keyboard.press('Enter')
      await fill(page, 'baseline-rule-0-value', '300')
      await shot(page, 'baseline-form')
      await $(page, 'baseline-form-submit').click()
      await page.locator('[data-test^="baseline-set-"]').nth(before).waitFor()
      const sets = (await apiGet(page, '/api/v1/baselines')).body.items
      const mine = sets.find((x) => x.name.includes(stamp))
      assert.ok(mine, 'the new version is stored')
      assert.equal(mine.is_default, false)
      assert.equal(mine.park_name, '肇庆高新技术产业开发区')
      assert.equal(mine.rules.find((r) => r.indicator === 'investment_intensity').value, 300)
      assert.equal(await page.locator(`[data-test="baseline-set-${mine.id}"] [data-test="baseline-default"]`).count(), 0)
      await shot(page, 'baselines')

      await $(page, 'menu-negative-list').click()
      await page.waitForURL('**/evaluation/negative-list')
      await $(page, 'negative-table').waitFor()
      const first = page.locator('[data-test^="negative-row-"][data-verification="recall_unverified"]').first()
      await first.waitFor()
      const no = (await first.getAttribute('data-test')).replace('negative-row-', '')
      assert.match(await $(page, 'negative-unverified').first().innerText(), /待核对/)
      await shot(page, 'negative-list')
      // checked against the official text: the flag goes
      await $(page, `negative-edit-${no}`).click()
      await $(page, 'negative-form-verification').locator('.el-select__wrapper').click()
      await page.locator('[data-test="negative-form-verification-opt-verified"]:visible').click()
      await $(page, 'negative-form-submit').click()
      await page.locator(`[data-test="negative-row-${no}"][data-verification="verified"]`).waitFor()
      await signOut(page)
    })
    await page.context().close()
  })

  it('raised no script errors', () => {
    // the refused signing (422) and the refused approval (403) log their status
    assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), [])
  })
})
