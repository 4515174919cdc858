// Issue 6, documents and the annual evaluation: the commission opens last
// year's evaluation (both tables, the three lists, the scheme; saves the
// scheme unchanged: its version moves on) and downloads the quarterly
// bulletin as DOCX from the ranking page; a locality sees no bulletin button.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  $, DEMO_PASSWORD, SKIP, apiGet, apiSession, launch, newPage, problems, shot, signInOk, signOut, step,
} from './helpers.mjs'

describe('annual evaluation and bulletin in the browser', { skip: SKIP }, () => {
  let browser
  let page
  const lastYear = new Date().getFullYear() - 1

  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('shows last year\'s evaluation with both tables, the lists and the scheme', async () => {
    page = await newPage(browser, { acceptDownloads: true })
    await step(page, 'annual', async () => {
      await signInOk(page, 'zsb_staff', DEMO_PASSWORD)
      await $(page, 'menu-stats-annual').click()
      await page.waitForURL('**/stats/annual')
      const data = (await apiGet(page, `/api/v1/stats/annual?year=${lastYear}`)).body
      for (const g of ['working_group', 'locality']) {
        await $(page, `annual-table-${g}`).locator('[data-test^="annual-total-"]').first().waitFor()
        const scores = data.groups.find((x) => x.group === g).scores
        assert.equal(await $(page, `annual-table-${g}`).locator('[data-test^="annual-total-"]').count(), scores.length)
        const first = scores[0]
        assert.equal((await $(page, `annual-total-${first.unit_id}`).innerText()).trim(), first.total)
        for (const item of data.scheme.items) {
          assert.equal((await $(page, `annual-item-${item.code}-${first.unit_id}`).innerText()).trim(), String(first.items[item.code]))
        }
      }
      for (const k of ['commended', 'explanation_required', 'major_reward']) {
        await $(page, `annual-list-${k}`).waitFor()
        assert.equal(Number(await $(page, `annual-list-${k}`).getAttribute('data-count')), (data[k] ?? []).length)
      }
      assert.ok((data.commended ?? []).length > 0, 'the demo has commended units')
      assert.equal((await $(page, 'annual-basis').innerText()).trim(), data.basis_zh)
      assert.equal(await page.locator('[data-test^="annual-commended-"]').count(), data.commended.length)
      await $(page, 'annual-scheme-toggle').click()
      await $(page, 'annual-scheme-table').waitFor({ state: 'visible' })
      await shot(page, 'annual')
    })

    await step(page, 'annual-scheme-save', async () => {
      const before = (await apiGet(page, `/api/v1/stats/scheme?year=${lastYear}`)).body
      await $(page, 'annual-scheme-edit').click()
      await $(page, 'annual-scheme-save').waitFor({ state: 'visible' })
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/stats/scheme') && r.request().method() === 'PUT'),
        $(page, 'annual-scheme-save').click(),
      ])
      assert.equal(res.status(), 200)
      const after = (await apiGet(page, `/api/v1/stats/scheme?year=${lastYear}`)).body
      assert.ok(after.version > before.version, 'the version moved on')
      assert.deepEqual(after.items.map((i) => [i.code, i.weight, i.cap, i.points]), before.items.map((i) => [i.code, i.weight, i.cap, i.points]))
    })

    await step(page, 'annual-docx', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), $(page, 'annual-docx').click()])
      assert.match(download.suggestedFilename(), /\.docx$/)
      const path = await download.path()
      assert.ok(path, 'the document arrived')
    })

    await step(page, 'annual-publish', async () => {
      // publish last year's evaluation (its December is closed in the demo data)
      await $(page, 'annual-not-published').waitFor()
      const before = (await apiGet(page, `/api/v1/stats/annual?year=${lastYear}`)).body
      await $(page, 'annual-publish').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await $(page, 'annual-published').waitFor()
      assert.equal(await $(page, 'annual-publish').count(), 0)
      assert.equal(await $(page, 'annual-scheme-edit').isDisabled(), true, 'a published year\'s scheme is frozen')
      const docBefore = await page.request.get(`/api/v1/stats/annual/docx?year=${lastYear}`)
      // next year's scheme changes: completion worth 30 points instead of 60
      const zsb = await apiSession('zsb_staff')
      try {
        const next = await zsb.get(`/api/v1/stats/scheme?year=${lastYear + 1}`)
        next.items = next.items.map((i) => (i.method === 'completion' ? { ...i, weight: 30 } : i))
        await zsb.put('/api/v1/stats/scheme', next)
      } finally {
        await zsb.close()
      }
      await page.reload()
      await $(page, 'annual-published').waitFor()
      const after = (await apiGet(page, `/api/v1/stats/annual?year=${lastYear}`)).body
      const totals = (d) => d.groups.flatMap((g) => g.scores.map((sc) => `${sc.unit_id}:${sc.total}`))
      assert.deepEqual(totals(after), totals(before), 'the published scores did not move')
      const first = before.groups[0].scores[0]
      assert.equal((await $(page, `annual-total-${first.unit_id}`).innerText()).trim(), first.total)
      const docAfter = await page.request.get(`/api/v1/stats/annual/docx?year=${lastYear}`)
      assert.ok(Buffer.compare(await docBefore.body(), await docAfter.body()) === 0, 'the published document is byte-identical')
      await shot(page, 'annual-published')
    })

    await step(page, 'annual-print', async () => {
      await page.emulateMedia({ media: 'print' })
      assert.equal(await $(page, 'annual-print').isVisible(), false, 'the toolbar is not printed')
      await shot(page, 'annual-print')
      await page.emulateMedia({ media: 'screen' })
    })
  })

  it('downloads the quarterly bulletin as DOCX', async () => {
    await step(page, 'bulletin', async () => {
      await $(page, 'menu-stats-ranking').click()
      await page.waitForURL('**/stats/ranking')
      await $(page, 'ranking-table-locality').locator('[data-test^="ranking-rank-"]').first().waitFor()
      // the lists as the year stands, with their basis in words
      assert.match(await $(page, 'ranking-basis').innerText(), /年度考评办法/)
      await $(page, 'ranking-lists-locality').waitFor()
      const [download] = await Promise.all([page.waitForEvent('download'), $(page, 'ranking-bulletin').click()])
      assert.match(download.suggestedFilename(), /\.docx$/)
      const bytes = readFileSync(await download.path())
      assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a DOCX (zip) file')
      await signOut(page)
    })
    await page.context().close()
  })

  it('hides the bulletin from a locality', async () => {
    page = await newPage(browser)
    await step(page, 'bulletin-hidden', async () => {
      await signInOk(page, 'dz_staff', DEMO_PASSWORD)
      await page.goto('/stats/ranking')
      await $(page, 'ranking-table-locality').waitFor()
      assert.equal(await $(page, 'ranking-bulletin').count(), 0)
      await signOut(page)
    })
    await page.context().close()
  })

  it('raised no script errors', () => {
    assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), [])
  })
})
