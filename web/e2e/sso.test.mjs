// Single sign-on with the city's identity platform (统一身份认证) in the
// browser, against the test provider (cmd/testidp) that make e2e starts:
// the login page's button goes to the platform, which sends the user back
// signed in; a platform user unknown here and an administrator come back to
// the login page with the reason in words. ATTRACT_E2E_SSO=1 says the
// server was started with the provider (make e2e sets it).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { $, SKIP, apiGet, fill, launch, newPage, shot, step } from './helpers.mjs'

const skip = SKIP || (process.env.ATTRACT_E2E_SSO === '1' ? false : 'ATTRACT_E2E_SSO is not set (make e2e starts the test identity provider)')

/** Clicks the button and signs in at the platform as username. */
async function viaPlatform(page, username) {
  await page.goto('/login')
  await $(page, 'login-sso').click()
  await $(page, 'idp-username').waitFor()
  await fill(page, 'idp-username', username)
  await $(page, 'idp-submit').click()
}

describe('single sign-on in the browser', { skip }, () => {
  let browser
  before(async () => {
    browser = await launch()
  })
  after(async () => {
    await browser?.close()
  })

  it('the button signs a platform user in as the attract user', async () => {
    const page = await newPage(browser)
    await step(page, 'sso-button', async () => {
      await page.goto('/login')
      assert.equal((await $(page, 'login-sso').innerText()).trim(), '统一身份认证登录')
    })
    await step(page, 'sso-signed-in', async () => {
      await viaPlatform(page, 'sh_staff')
      await $(page, 'current-user').waitFor()
      const me = await apiGet(page, '/api/v1/auth/me')
      assert.equal(me.status, 200)
      assert.equal(me.body.user.username, 'sh_staff')
      assert.ok(!page.url().includes('/login'), page.url())
    })
    await shot(page, 'sso-signed-in')
    await page.context().close()
  })

  it('the button reads in English too', async () => {
    const page = await newPage(browser, { locale: 'en-US' })
    await step(page, 'sso-english', async () => {
      await page.goto('/login')
      await page.evaluate(() => localStorage.setItem('attract.locale', 'en'))
      await page.reload()
      assert.equal((await $(page, 'login-sso').innerText()).trim(), 'Sign in with the city identity platform')
    })
    await page.context().close()
  })

  for (const [username, words] of [['nobody_here', '未关联本系统用户'], ['sysadmin', '不能使用统一身份认证登录']]) {
    it(`${username} comes back to the login page with the reason`, async () => {
      const page = await newPage(browser)
      await step(page, `sso-refused-${username}`, async () => {
        await viaPlatform(page, username)
        await $(page, 'login-error').waitFor()
        assert.match(await $(page, 'login-error').innerText(), new RegExp(words))
        assert.equal((await apiGet(page, '/api/v1/auth/me')).status, 401)
      })
      await page.context().close()
    })
  }
})
