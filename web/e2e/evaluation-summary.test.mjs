// Issue 5/6 follow-ups: the commission opens the screening summary (the demo
// has approved screenings, so the totals are not zero), sees the signing gate
// on the baselines page, and downloads the year's targets as an XLSX sheet.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { $, DEMO_PASSWORD, SKIP, launch, newPage, problems, shot, signInOk, step } from './helpers.mjs'

describe('screening summary and the targets sheet in the browser', { skip: SKIP }, () => {
  let browser
  let page

  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('shows the screening summary with non-zero totals', async () => {
    page = await newPage(browser, { acceptDownloads: true })
    await step(page, 'summary', async () => {
      await signInOk(page, 'zsb_staff', DEMO_PASSWORD)
      await $(page, 'menu-evaluation-summary').click()
      await page.waitForURL('**/evaluation/summary')
      await page.locator('[data-test="eval-summary"][data-ready="true"]').waitFor()
      const screened = Number(await $(page, 'eval-summary-total-screened').getAttribute('data-value'))
      assert.ok(screened > 0, `screened ${screened}`)
      const verdicts = await Promise.all(['pass', 'conditional', 'fail'].map(async (v) =>
        Number(await $(page, `eval-summary-total-${v}`).getAttribute('data-value'))))
      assert.equal(verdicts.reduce((a, b) => a + b, 0), screened, 'the verdicts add up')
      assert.ok(await $(page, 'eval-summary-park').locator('tbody tr').count() > 0, 'rows by park')
      assert.ok(await $(page, 'eval-summary-industry').locator('tbody tr').count() > 0, 'rows by industry')
      await shot(page, 'evaluation-summary')
    })
  })

  it('shows the signing gate read-only without setting:write', async () => {
    await step(page, 'gate', async () => {
      await $(page, 'menu-baselines').click()
      await page.waitForURL('**/evaluation/baselines')
      await $(page, 'gate-card').waitFor()
      assert.match(await $(page, 'gate-card').getAttribute('data-mode'), /^(require|warn)$/)
      await $(page, 'gate-readonly').waitFor()
      assert.equal(await $(page, 'gate-save').count(), 0)
    })
  })

  it('downloads the targets sheet', async () => {
    await step(page, 'targets-xlsx', async () => {
      await $(page, 'menu-stats-targets').click()
      await page.waitForURL('**/stats/targets')
      await $(page, 'target-city-contract_investment').waitFor()
      await $(page, 'targets-import-button').waitFor()
      const [download] = await Promise.all([page.waitForEvent('download'), $(page, 'targets-export').click()])
      assert.match(download.suggestedFilename(), /\.xlsx$/)
      const bytes = readFileSync(await download.path())
      assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file')
      await shot(page, 'targets-xlsx')
    })
    await page.context().close()
  })

  it('raised no script errors', () => {
    assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), [])
  })
})
