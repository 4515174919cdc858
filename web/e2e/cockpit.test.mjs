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
      assert.ok(await page.locator('[data-test^="cockpit-big-"]').count() > 0, 'big projects listed')
      assert.ok(await page.locator('[data-test^="cockpit-rank-wg-"]').count() > 0, 'working groups ranked')
      assert.ok(await page.locator('[data-test^="cockpit-rank-loc-"]').count() > 0, 'localities ranked')
      await $(page, 'cockpit-forecast-method').waitFor()
      await page.waitForTimeout(300)
      await page.screenshot({ path: new URL('./screenshots/cockpit.png', import.meta.url).pathname, fullPage: true })
    })

    await step(page, 'cockpit-county', async () => {
      // a county with projects signed this year
      const county = page.locator('[data-test^="cockpit-county-"]:not([data-count="0"])').first()
      const unitId = await county.getAttribute('data-unit-id')
      await county.click()
      await page.waitForURL(`**/projects?**locality_unit_id=${unitId}**`)
      const row = page.locator('[data-test^="project-row-"]').first()
      await row.waitFor()
      assert.ok(await page.locator('[data-test^="project-row-"]').count() >= 1)
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
