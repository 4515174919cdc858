// Issue 6, the cockpit (驾驶舱): a leader opens it from the menu, every chart
// renders (the time from navigation to a complete render is printed, not
// asserted; bench-cockpit.mjs, run by `make bench`, reports it against the
// goal), a county clicks through to its projects; a locality user sees their
// own unit's cockpit.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  $, BIG_SCREEN, DEMO_PASSWORD, SKIP, apiGet, launch, newPage, problems, shot, signInOk, signOut, step,
  waitCockpitRendered,
} from './helpers.mjs'

describe('the cockpit in the browser', { skip: SKIP }, () => {
  let browser
  let page

  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('renders every panel for a leader and clicks a county through to its projects', async () => {
    page = await newPage(browser, BIG_SCREEN)
    await step(page, 'cockpit-open', async () => {
      await signInOk(page, 'leader', DEMO_PASSWORD)
      await $(page, 'menu-cockpit').waitFor()
      // the render time: from navigation to every chart drawn
      const started = Date.now()
      await page.goto('/cockpit')
      await waitCockpitRendered(page)
      const ms = Date.now() - started
      console.log(`cockpit: first complete render ${ms} ms (1920×1080, demo data)`)
      assert.equal(await $(page, 'cockpit').getAttribute('data-scope'), 'city')
      assert.match(await $(page, 'cockpit-title').innerText(), /驾驶舱/)
      // the headline matches the server's figures
      const year = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 4)
      const data = (await apiGet(page, `/api/v1/cockpit?year=${year}`)).body
      assert.equal(await $(page, 'cockpit-ytd-amount').getAttribute('data-value'), data.headline.ytd.amount)
      assert.equal(await page.locator('[data-test^="cockpit-county-"]').count(), data.map.length)
      // the map's parts (counties, zones, elsewhere) add up to the headline, in hundredths of 万元
      const cents = (s) => Math.round(Number(s) * 100)
      assert.equal(data.map.reduce((n, m) => n + cents(m.amount), 0), cents(data.headline.ytd.amount))
      // each funnel step counts exactly the rows its click opens
      for (const f of data.funnel) {
        const list = (await apiGet(page, `/api/v1/projects?${new URLSearchParams({ ...f.query, page_size: '1' })}`)).body
        assert.equal(list.total, f.count, `funnel ${f.stage}`)
      }
      assert.ok(await page.locator('[data-test^="cockpit-big-"]').count() > 0, 'big projects listed')
      assert.ok(await page.locator('[data-test^="cockpit-rank-wg-"]').count() > 0, 'working groups ranked')
      assert.ok(await page.locator('[data-test^="cockpit-rank-loc-"]').count() > 0, 'localities ranked')
      await $(page, 'cockpit-forecast-method').waitFor()
      // the forecast's pipeline opens exactly the projects it counts
      const pipe = (await apiGet(page, `/api/v1/cockpit/pipeline?year=${year}`)).body
      assert.equal(pipe.total, data.forecast.pipeline)
      await $(page, 'cockpit-forecast-pipeline').click()
      await $(page, 'cockpit-listing-pipeline').waitFor()
      if (pipe.total > 0) await page.locator('[data-test="cockpit-listing-pipeline"] .el-table__body tr').first().waitFor()
      assert.equal(await page.locator('[data-test="cockpit-listing-pipeline"] .el-table__body tr').count(), pipe.total)
      await page.keyboard.press('Escape')
      await $(page, 'cockpit-listing-pipeline').waitFor({ state: 'hidden' })
      await page.waitForTimeout(300)
      await page.screenshot({ path: new URL('./screenshots/cockpit.png', import.meta.url).pathname, fullPage: true })
    })

    await step(page, 'cockpit-county', async () => {
      // a county with projects signed this year
      const county = page.locator('[data-test^="cockpit-county-"]:not([data-count="0"])').first()
      const unitId = await county.getAttribute('data-unit-id')
      const amount = await county.getAttribute('data-amount')
      await county.click()
      await page.waitForURL(`**/stats/monthly?**area_id=${unitId}**`)
      const rows = page.locator('[data-test="monthly-rows"] .el-table__body tr')
      await rows.first().waitFor()
      // the rows the click opens are the county's part: their amounts add up to it
      const period = new URL(page.url()).searchParams.get('period')
      const api = (await apiGet(page, `/api/v1/stats/monthly/${period}/rows?unit_id=0&ytd=1&area_id=${unitId}`)).body
      assert.equal(await rows.count(), api.items.length)
      assert.equal(api.items.reduce((n, r) => n + r.amount_e4, 0), Math.round(Number(amount) * 100) * 10000)
      await shot(page, 'cockpit-county-projects')
      // back to the cockpit, then a stage of the funnel's neighbour: a big project opens its page
      await page.goto('/cockpit')
      await waitCockpitRendered(page)
      await page.locator('[data-test^="cockpit-big-"]').first().click()
      await page.waitForURL(/\/projects\/\d+$/)
      await $(page, 'project-stage').waitFor()
      await signOut(page)
    })
    await page.context().close()
  })

  it('shows a locality its own cockpit', async () => {
    page = await newPage(browser, BIG_SCREEN)
    await step(page, 'cockpit-locality', async () => {
      await signInOk(page, 'dz_staff', DEMO_PASSWORD)
      await $(page, 'menu-cockpit').click()
      await page.waitForURL('**/cockpit')
      await waitCockpitRendered(page)
      assert.equal(await $(page, 'cockpit').getAttribute('data-scope'), 'unit')
      assert.match(await $(page, 'cockpit-title').innerText(), /端州区/)
      assert.equal(await page.locator('[data-test^="cockpit-rank-wg-"]').count(), 0, 'no working groups for a locality')
      await shot(page, 'cockpit-locality')
      await $(page, 'cockpit-back').click()
      await $(page, 'current-user').waitFor()
      await signOut(page)
    })
    await page.context().close()
  })

  it('raised no script errors', () => {
    assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), [])
  })
})
