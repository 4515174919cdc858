// Issue 6, first slice: the commission sets a target, opens the monthly
// statistics of the month after the last closed one, looks at the rows behind
// a figure and the counting rules, downloads the XLSX, closes the month and
// sees it closed; the quarterly ranking; a locality reads targets only.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  $, DEMO_PASSWORD, SKIP, apiGet, fill, launch, newPage, problems, shot, signInOk, signOut, step,
} from './helpers.mjs'

/** The month after "YYYY-MM". */
function nextMonth(p) {
  const [y, m] = p.split('-').map(Number)
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
}

describe('statistics in the browser', { skip: SKIP }, () => {
  let browser
  let page
  const year = String(new Date().getFullYear())
  const cityCount = 30 + (Date.now() % 50)

  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('lets the commission set a target', async () => {
    page = await newPage(browser, { acceptDownloads: true })
    await step(page, 'targets', async () => {
      await signInOk(page, 'zsb_staff', DEMO_PASSWORD)
      await $(page, 'menu-stats-targets').click()
      await page.waitForURL('**/stats/targets')
      await $(page, 'target-city-contract_investment').waitFor()
      assert.equal(await $(page, 'targets-save').isDisabled(), true, 'nothing to save yet')
      await fill(page, 'target-city-count', String(cityCount))
      await $(page, 'targets-row-WG-NEV').click() // leave the cell
      await $(page, 'targets-dirty').waitFor()
      await shot(page, 'targets-edited')
      const [saved] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/targets') && r.request().method() === 'PUT'),
        $(page, 'targets-save').click(),
      ])
      assert.equal(saved.status(), 200)
      await $(page, 'targets-dirty').waitFor({ state: 'detached' })
      const res = await apiGet(page, `/api/v1/targets?year=${year}`)
      const city = res.body.items.filter((i) => i.unit_id === null)
      assert.equal(city.find((i) => i.metric === 'count')?.value, cityCount)
      assert.ok(city.find((i) => i.metric === 'contract_investment')?.value > 0, 'the other targets are kept')
      await page.reload()
      await page.waitForFunction((v) => document.querySelector('[data-test="target-city-count"] input')?.value === v, String(cityCount))
    })
  })

  it('shows a month, the rows behind a figure and the rules, downloads it and closes it', async () => {
    const periods = await apiGet(page, '/api/v1/periods')
    const closed = periods.body.items.filter((p) => p.closed_at && !p.reopened_at).map((p) => p.period).sort()
    assert.ok(closed.length, 'the demo has closed months')
    const month = nextMonth(closed[closed.length - 1])

    await step(page, 'monthly-open', async () => {
      await $(page, 'menu-stats-monthly').click()
      await page.waitForURL('**/stats/monthly**')
      await $(page, 'monthly-table').waitFor()
      await fill(page, 'monthly-month', month)
      await page.keyboard.press('Enter')
      await page.waitForURL(`**/stats/monthly?period=${month}`)
      await page.locator('[data-test="monthly-status"][data-closed="false"]').waitFor()
      assert.equal(await $(page, 'monthly-last-closed').getAttribute('data-period'), closed[closed.length - 1])
      await $(page, 'monthly-row-city').waitFor()
      // counts are decimals under shared credit: "1.5" and the like
      const counts = await page.locator('[data-test^="monthly-ytd-count-"]').evaluateAll((els) => els.map((e) => e.textContent.trim()))
      assert.ok(counts.every((c) => /^\d+(\.\d+)?$/.test(c)), `counts ${counts}`)
      await shot(page, 'monthly-open')
    })

    await step(page, 'monthly-rows', async () => {
      await $(page, 'monthly-ytd-count-city').click()
      await $(page, 'monthly-rows').locator('[data-test^="monthly-credit-"]').first().waitFor()
      // the rows add up to the figure
      const rows = (await apiGet(page, `/api/v1/stats/monthly/${month}/rows?unit_id=0&ytd=1`)).body.items
      assert.equal(await $(page, 'monthly-rows').locator('[data-test^="monthly-credit-"]').count(), rows.length)
      const sum = rows.reduce((s, r) => s + r.count_bp, 0) / 10000
      assert.equal(String(sum), await $(page, 'monthly-ytd-count-city').getAttribute('data-value'))
      await shot(page, 'monthly-rows')
      await page.keyboard.press('Escape')
      await $(page, 'monthly-rules-toggle').click()
      await $(page, 'monthly-rule-notes').locator('li').first().waitFor({ state: 'visible' })
      assert.match(await $(page, 'monthly-rule-notes').innerText(), /签约日期/)
    })

    await step(page, 'monthly-xlsx', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), $(page, 'monthly-download').click()])
      assert.match(download.suggestedFilename(), /\.xlsx$/)
      const bytes = readFileSync(await download.path())
      assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file')
    })

    await step(page, 'monthly-print', async () => {
      await page.emulateMedia({ media: 'print' })
      assert.equal(await $(page, 'monthly-download').isVisible(), false, 'the toolbar is not printed')
      await shot(page, 'monthly-print')
      await page.emulateMedia({ media: 'screen' })
    })

    await step(page, 'monthly-close', async () => {
      await $(page, 'monthly-close').click()
      assert.match(await $(page, 'monthly-close-confirm-message').innerText(), new RegExp(month))
      await $(page, 'monthly-close-confirm-ok').click()
      await page.locator('[data-test="monthly-status"][data-closed="true"]').waitFor()
      assert.match(await $(page, 'monthly-status').innerText(), /已关账/)
      await page.locator(`[data-test="monthly-last-closed"][data-period="${month}"]`).waitFor()
      assert.equal(await $(page, 'monthly-close').count(), 0)
      await shot(page, 'monthly-closed')
      const after = await apiGet(page, `/api/v1/stats/monthly/${month}`)
      assert.equal(after.body.closed, true)
    })
  })

  it('ranks working groups and localities by quarter', async () => {
    await step(page, 'ranking', async () => {
      await $(page, 'menu-stats-ranking').click()
      await page.waitForURL('**/stats/ranking')
      await $(page, 'ranking-table-working_group').locator('[data-test^="ranking-rank-"]').first().waitFor()
      await $(page, 'ranking-table-locality').locator('[data-test^="ranking-move-"]').first().waitFor()
      const moves = await page.locator('[data-test^="ranking-move-"]').evaluateAll((els) => els.map((e) => e.textContent.trim()))
      assert.ok(moves.every((m) => /^(▲\d+|▼\d+|–)$/.test(m)), `movements ${moves}`)
      await shot(page, 'ranking')
      await signOut(page)
    })
    await page.context().close()
  })

  it('shows targets read-only to a locality', async () => {
    page = await newPage(browser)
    await step(page, 'targets-readonly', async () => {
      await signInOk(page, 'dz_staff', DEMO_PASSWORD)
      await page.goto('/stats/targets')
      await $(page, 'targets-readonly').waitFor()
      assert.equal(await $(page, 'targets-save').count(), 0)
      await $(page, 'target-city-contract_investment').waitFor()
      assert.equal(await $(page, 'target-city-contract_investment').locator('input').count(), 0)
      await signOut(page)
    })
    await page.context().close()
  })

  it('raised no script errors', () => {
    assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), [])
  })
})
