// Issue 7 (campaigns, channels, notices): the commission office registers a
// themed trip, records two leads met there (one through the project form,
// the other attached on the campaign's page),
// one of them signs, and the campaign's results and the channel report
// change; a notice is sent to 端州区, read there, and the sender sees the
// read receipt.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  $, DEMO_PASSWORD, SKIP, apiSession, choose, fill, launch, newPage, problems, shot, signInOk, signOut, signThroughApi, step,
} from './helpers.mjs'

const stamp = Date.now().toString(36).slice(-6).toUpperCase()
const tripName = `丹麦荷兰主题招商${stamp}`
const formLead = `丹麦风电装备项目${stamp}`
const apiLead = `荷兰智能温室项目${stamp}`
const noticeTitle = `关于报送招商线索的通知${stamp}`

async function closeDrawer(page) {
  await page.locator('.el-drawer__close-btn:visible').click()
  await $(page, 'notice-drawer').waitFor({ state: 'hidden' })
}

async function funnelCount(page, stage) {
  return Number(await $(page, `campaign-funnel-${stage}`).getAttribute('data-count'))
}

async function reportRow(page, by, key) {
  await page.goto('/campaigns/report')
  await $(page, `report-by-${by}`).click()
  const cell = $(page, `report-row-${key}`)
  await cell.waitFor()
  return { leads: Number(await cell.getAttribute('data-leads')), signed: Number(await cell.getAttribute('data-signed')) }
}

describe('campaigns in the browser', { skip: SKIP }, () => {
  let browser
  let page
  let campaignId
  let fairBefore

  before(async () => {
    browser = await launch()
    page = await newPage(browser)
  })
  after(async () => {
    await browser?.close()
    assert.deepEqual(problems.filter((p) => !/status of 4\d\d/.test(p)), [], 'no script errors')
  })

  it('registers a themed trip, attaches two leads, signs one and shows the results', async () => {
    await step(page, 'campaign-create', async () => {
      await signInOk(page, 'zsb_staff', DEMO_PASSWORD)
      await $(page, 'menu-campaigns').click()
      await page.waitForURL('**/campaigns')
      await $(page, 'campaign-table').waitFor()
      await $(page, 'campaign-create').click()
      await fill(page, 'campaign-form-name', tripName)
      await choose(page, 'campaign-form-kind', 'campaign-form-kind-opt-themed_trip')
      await choose(page, 'campaign-form-region', 'campaign-form-region-opt-europe_america')
      await fill(page, 'campaign-form-place', '哥本哈根、鹿特丹')
      await fill(page, 'campaign-form-budget', '120')
      await fill(page, 'campaign-form-spend', '90')
      await fill(page, 'campaign-form-targets', '维斯塔斯、丹佛斯、飞利浦')
      await shot(page, 'campaign-form')
      await $(page, 'campaign-form-submit').click()
      await page.waitForURL(/\/campaigns\/\d+$/)
      campaignId = Number(new URL(page.url()).pathname.split('/').pop())
      assert.equal((await $(page, 'campaign-name').innerText()).trim(), tripName)
      assert.equal(await funnelCount(page, 'leads'), 0)
    })

    await step(page, 'report-before', async () => {
      fairBefore = await reportRow(page, 'channel', 'fair')
      const row = await reportRow(page, 'campaign', String(campaignId))
      assert.deepEqual(row, { leads: 0, signed: 0 })
    })

    let apiLeadId
    await step(page, 'lead-through-form', async () => {
      await page.goto('/projects')
      await $(page, 'project-table').waitFor()
      await $(page, 'project-create').click()
      await fill(page, 'project-form-name', formLead)
      await fill(page, 'project-form-investor', `维斯塔斯风力技术（中国）有限公司${stamp}`)
      await choose(page, 'project-form-channel', 'project-form-channel-opt-fair')
      await choose(page, 'project-form-campaign', `project-form-campaign-opt-${campaignId}`)
      await fill(page, 'project-form-contract-investment', '30000')
      await choose(page, 'project-form-locality', 'project-form-locality-picker-opt-441202')
      await shot(page, 'project-form-with-campaign')
      await $(page, 'project-form-submit').click()
      await page.waitForURL(/\/projects\/\d+$/)
      assert.equal((await $(page, 'project-campaign').innerText()).trim(), tripName)
    })

    await step(page, 'lead-attached-on-campaign-page', async () => {
      let code
      const s = await apiSession('zsb_staff')
      try {
        const units = await s.get('/api/v1/units')
        const dz = units.items.find((u) => u.code === '441202')
        const p = await s.post('/api/v1/projects', {
          name: apiLead, investor_name: `荷兰温室科技有限公司${stamp}`, channel: 'fair', source_region: 'europe_america',
          contract_investment: 50000, locality_unit_id: dz.id,
        })
        apiLeadId = p.id
        code = p.code
      } finally {
        await s.close()
      }
      await page.goto(`/campaigns/${campaignId}`)
      await $(page, 'campaign-link-open').click()
      await $(page, 'campaign-link-project').locator('input').fill(code)
      await page.locator(`[data-test="campaign-link-project-opt-${code}"]:visible`).click()
      await $(page, 'campaign-link-submit').click()
      await $(page, `campaign-project-${apiLeadId}`).waitFor()
      const signed = await signThroughApi(apiLeadId, 'zsb_staff')
      assert.equal(signed.stage, 'signed')
      assert.equal(signed.campaign_id, campaignId)
    })

    await step(page, 'campaign-results', async () => {
      await page.goto(`/campaigns/${campaignId}`)
      await $(page, 'campaign-funnel').waitFor()
      assert.equal(await funnelCount(page, 'leads'), 2)
      assert.equal(await funnelCount(page, 'negotiating'), 1)
      assert.equal(await funnelCount(page, 'signed'), 1)
      assert.equal(await funnelCount(page, 'landed'), 0)
      await $(page, `campaign-project-${apiLeadId}`).waitFor()
      // 90 万元 for 5 亿元 signed: 18 万元 per 亿元
      assert.match(await $(page, 'campaign-cost-per-yi').innerText(), /18\.00/)
      await shot(page, 'campaign-results')
    })

    await step(page, 'report-after', async () => {
      assert.deepEqual(await reportRow(page, 'campaign', String(campaignId)), { leads: 2, signed: 1 })
      const fair = await reportRow(page, 'channel', 'fair')
      assert.equal(fair.leads, fairBefore.leads + 2)
      assert.equal(fair.signed, fairBefore.signed + 1)
      await shot(page, 'channel-report')
      const [file] = await Promise.all([page.waitForEvent('download'), $(page, 'report-export').click()])
      assert.match(file.suggestedFilename(), /\.xlsx$/)
      await signOut(page)
    })
  })

  it('sends a notice to 端州区, which reads it, and the sender sees the receipt', async () => {
    let noticeId
    let dzId
    await step(page, 'notice-send', async () => {
      await signInOk(page, 'zsb_staff', DEMO_PASSWORD)
      await $(page, 'menu-notices').click()
      await page.waitForURL('**/notices')
      await $(page, 'notice-create').click()
      await fill(page, 'notice-form-title', noticeTitle)
      await choose(page, 'notice-form-units', 'notice-form-units-opt-441202')
      await page.keyboard.press('Escape')
      await fill(page, 'notice-form-body', '各县（市、区）：请于本月 25 日前报送在谈项目进展及需协调事项。')
      await shot(page, 'notice-form')
      await $(page, 'notice-form-submit').click()
      const s = await apiSession('zsb_staff')
      try {
        const sent = await s.get('/api/v1/notices?box=sent')
        noticeId = sent.items.find((n) => n.title === noticeTitle).id
        dzId = sent.items.find((n) => n.title === noticeTitle).units[0].id
      } finally {
        await s.close()
      }
      await $(page, `notice-read-count-${noticeId}`).waitFor()
      assert.equal((await $(page, `notice-read-count-${noticeId}`).innerText()).trim(), '0')
      await signOut(page)
    })

    await step(page, 'notice-read', async () => {
      await signInOk(page, 'dz_staff', DEMO_PASSWORD)
      await $(page, 'menu-notices').click()
      const link = $(page, `notice-open-${noticeId}`)
      await link.waitFor()
      assert.equal(await link.getAttribute('data-read'), 'false')
      await link.click()
      await $(page, 'notice-my-receipt').waitFor()
      await page.locator(`[data-test="notice-open-${noticeId}"][data-read="true"]`).waitFor()
      await shot(page, 'notice-read')
      await closeDrawer(page)
      await signOut(page)
    })

    await step(page, 'notice-receipt', async () => {
      await signInOk(page, 'zsb_staff', DEMO_PASSWORD)
      await $(page, 'menu-notices').click()
      await $(page, 'notice-box-sent').click()
      await page.locator(`[data-test="notice-read-count-${noticeId}"]`, { hasText: '1' }).waitFor()
      await $(page, `notice-open-${noticeId}`).click()
      const receipt = page.locator(`[data-test="notice-receipt-${dzId}"][data-read="true"]`)
      await receipt.waitFor()
      assert.match(await receipt.innerText(), /周慧琳/)
      await shot(page, 'notice-receipts')
      await closeDrawer(page)
      await signOut(page)
    })
  })
})
