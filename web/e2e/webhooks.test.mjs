// 系统管理 › 消息推送 in the browser: the system administrator adds a
// WeCom-format subscription pointing at a receiver this test runs, sends a
// test message, sees it delivered in the log, changes the subscription,
// reads the page in English and deletes it. The screenshots illustrate the
// administrator's guide (docs/运维手册.md) and are written to docs/screenshots/.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { $, DEMO_PASSWORD, SKIP, fill, launch, newPage, signInOk, step } from './helpers.mjs'

const RECEIVER_PORT = Number(process.env.ATTRACT_E2E_HOOK_PORT || 18114)
const DOCS_SHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))

async function docShot(page, name) {
  await page.waitForTimeout(400)
  await page.screenshot({ path: `${DOCS_SHOTS}${name}.png`, fullPage: false })
}

describe('webhooks in the browser', { skip: SKIP }, () => {
  let browser
  let receiver
  const got = []

  before(async () => {
    mkdirSync(DOCS_SHOTS, { recursive: true })
    browser = await launch()
    receiver = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => { body += c })
      req.on('end', () => {
        got.push({ url: req.url, body: JSON.parse(body || '{}') })
        res.setHeader('Content-Type', 'application/json')
        res.end('{"errcode":0,"errmsg":"ok"}')
      })
    })
    await new Promise((resolve) => receiver.listen(RECEIVER_PORT, '127.0.0.1', resolve))
  })
  after(async () => {
    await browser?.close()
    receiver?.close()
  })

  it('adds, tests, changes and deletes a subscription', async () => {
    const page = await newPage(browser)
    const name = `企业微信招商群${Date.now().toString(36).slice(-4)}`
    await step(page, 'open', async () => {
      await signInOk(page, 'sysadmin', DEMO_PASSWORD)
      await $(page, 'menu-webhooks').click()
      await $(page, 'webhook-table').waitFor()
    })
    await step(page, 'add', async () => {
      await $(page, 'webhook-add').click()
      await fill(page, 'webhook-form-name', name)
      await $(page, 'webhook-format-wecom').click()
      await fill(page, 'webhook-form-url', `http://127.0.0.1:${RECEIVER_PORT}/cgi-bin/webhook/send?key=e2e`)
      await docShot(page, 'ops-webhook-form')
      await $(page, 'webhook-form-submit').click()
      await page.locator('.el-table__row', { hasText: name }).waitFor()
    })
    await step(page, 'send test', async () => {
      await page.locator('.el-table__row', { hasText: name }).locator('[data-test="webhook-test"]').click()
      await page.locator('[data-test="webhook-log"] .el-table__row', { hasText: name }).first().waitFor()
      const row = page.locator('[data-test="webhook-log"] .el-table__row', { hasText: name }).first()
      assert.match(await row.innerText(), /已送达/)
      const msg = got.at(-1)
      assert.equal(msg.url, '/cgi-bin/webhook/send?key=e2e')
      assert.equal(msg.body.msgtype, 'markdown')
      assert.match(msg.body.markdown.content, /测试消息/)
      await docShot(page, 'ops-webhooks')
    })
    await step(page, 'edit', async () => {
      await page.locator('.el-table__row', { hasText: name }).locator('[data-test="webhook-edit"]').click()
      await fill(page, 'webhook-form-name', `${name}（改）`)
      await $(page, 'webhook-form-submit').click()
      await page.locator('.el-table__row', { hasText: `${name}（改）` }).waitFor()
    })
    await step(page, 'english', async () => {
      await page.evaluate(() => localStorage.setItem('attract.locale', 'en'))
      await page.reload()
      await $(page, 'webhook-table').waitFor()
      const text = await page.locator('.webhook-page').innerText()
      assert.match(text, /Delivery log/)
      assert.match(text, /WeCom group robot/)
      assert.match(text, /Delivered/)
      await page.evaluate(() => localStorage.setItem('attract.locale', 'zh-CN'))
      await page.reload()
      await $(page, 'webhook-table').waitFor()
    })
    await step(page, 'delete', async () => {
      await page.locator('.el-table__row', { hasText: `${name}（改）` }).locator('[data-test="webhook-delete"]').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await page.locator('[data-test="webhook-table"] .el-table__row', { hasText: `${name}（改）` }).waitFor({ state: 'detached' })
    })
    await page.context().close()
  })
})
