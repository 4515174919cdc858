// Personal data and sessions on the users screen: the security administrator
// ends a user's sessions (the user's API session is refused at once) and
// clears their second factor; the director, who holds pii:read, sees a
// user's phone masked in the list and in full after 查看完整; the security
// administrator, who does not, never sees the button.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { $, DEMO_PASSWORD, SKIP, apiSession, fill, launch, newPage, signInOk, step } from './helpers.mjs'

const PHONE = '13812345678'

async function findUser(page, username) {
  await $(page, 'menu-users').click()
  await $(page, 'user-table').waitFor()
  await fill(page, 'user-search', username)
  await $(page, 'user-search-submit').click()
  await $(page, `user-row-${username}`).waitFor()
}

async function rowAction(page, item) {
  await $(page, 'user-more').first().click()
  await page.locator(`[data-test="${item}"]:visible`).click()
  await page.locator('.el-message-box__btns .el-button--primary').click()
}

describe('personal data and sessions on the users screen', { skip: SKIP }, () => {
  let browser
  before(async () => {
    browser = await launch()
    const admin = await apiSession('sysadmin')
    const u = (await admin.get('/api/v1/users?q=dz_staff')).items.find((x) => x.username === 'dz_staff')
    await admin.put(`/api/v1/users/${u.id}`, { display_name: u.display_name, unit_id: u.unit_id, phone: PHONE, email: 'dz@example.cn', version: u.version })
    await admin.close()
  })
  after(async () => { await browser?.close() })

  it('ends a user\'s sessions and resets their second factor', async () => {
    const dz = await apiSession('dz_staff')
    await dz.get('/api/v1/auth/me')
    const page = await newPage(browser)
    await step(page, 'end sessions', async () => {
      await signInOk(page, 'secadmin', DEMO_PASSWORD)
      await findUser(page, 'dz_staff')
      assert.equal(await $(page, 'user-reveal-dz_staff').count(), 0, 'the security administrator holds no pii:read')
      await rowAction(page, 'user-end-sessions')
      await page.locator('.el-message--success', { hasText: /已结束 \d+ 个会话/ }).waitFor()
      await assert.rejects(dz.get('/api/v1/auth/me'), /HTTP 401/)
    })
    await step(page, 'reset second factor', async () => {
      await rowAction(page, 'user-reset-totp')
      await page.locator('.el-message--success').last().waitFor()
    })
    await dz.close()
  })

  it('shows a phone in full only after 查看完整, to the director', async () => {
    const page = await newPage(browser)
    await step(page, 'reveal', async () => {
      await signInOk(page, 'zsb_leader', DEMO_PASSWORD)
      await findUser(page, 'dz_staff')
      const cell = $(page, 'user-contact-dz_staff')
      const masked = await cell.innerText()
      assert.ok(!masked.includes(PHONE) && masked.includes('*'), `masked in the list: ${masked}`)
      await $(page, 'user-reveal-dz_staff').click()
      await page.waitForFunction((p) => document.querySelector('[data-test="user-contact-dz_staff"]')?.textContent.includes(p), PHONE)
      assert.match(await cell.innerText(), /dz@example\.cn/)
    })
  })
})
