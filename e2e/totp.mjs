// Browser test of the second factor in real Chromium: a new administrator (made for this test,
// never the shared demo `admin`) sets it up on the account page from the key shown there,
// signs out, and can no longer sign in with the password alone — only with a current code,
// computed here as an authenticator app would (RFC 6238, HMAC-SHA1).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';

const base = process.env.FAZHI_URL ?? 'http://127.0.0.1:8080';
const bin = process.env.FAZHI_BIN;
const data = process.env.FAZHI_DATA;
assert.ok(bin && data, 'FAZHI_BIN and FAZHI_DATA name the binary and its data directory (e2e/run.sh)');

const username = `e2e.totp.${Date.now()}`;
const password = 'Totp-e2e-2026x';
execFileSync(bin, ['--data-dir', data, 'user', 'add', '--username', username, '--name', '双因素测试',
  '--org', 'zz', '--role', 'admin'], { env: { ...process.env, FAZHI_NEW_PASSWORD: password }, stdio: 'pipe' });

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    assert.ok(v >= 0, `not base32: ${c}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

function codeAt(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const off = mac[19] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}
const stepNow = () => Math.floor(Date.now() / 1000 / 30);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function passwordStep(page) {
  await page.goto(`${base}/app/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

let failed = false;
try {
  // Set up: the key on the account page, confirmed with a first code.
  const setup = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await passwordStep(setup);
  await setup.waitForURL(/\/app\/work$/);
  await setup.goto(`${base}/app/account`);
  assert.match(await setup.textContent('main'), /双因素认证：未启用/);
  await setup.click('[data-testid=second-factor]');
  assert.ok(await setup.isVisible('[data-testid=admin-note]'), 'an administrator is told to enable it');
  await setup.click('[data-testid=begin]');
  const secret = base32Decode(await setup.textContent('[data-testid=secret]'));
  assert.match(await setup.textContent('[data-testid=otpauth]'), /^otpauth:\/\/totp\//);
  const first = stepNow();
  await setup.fill('input[name=code]', codeAt(secret, first));
  await setup.click('[data-testid=confirm]');
  assert.match(await setup.textContent('[data-testid=second-factor-state]'), /已启用/);
  await setup.goto(`${base}/app/work`);
  await setup.click('header.top form button[type=submit]');
  await setup.waitForURL(/\/app\/login$/);
  console.log('ok   second factor set up on the account page');

  // The password alone: the code page, and nothing else opens.
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await passwordStep(page);
  await page.waitForURL(/\/app\/login\/code$/);
  await page.goto(`${base}/app/work`);
  assert.match(page.url(), /\/app\/login$/, 'the password alone opened 我的工作');
  await page.goto(`${base}/app/account`);
  assert.match(page.url(), /\/app\/login$/, 'the password alone opened the account page');
  console.log('ok   the password alone does not sign in');

  // A wrong code and the used one are refused.
  await page.goto(`${base}/app/login/code`);
  const wrong = ['000000', '111111', '222222'].find((c) =>
    ![-1, 0, 1, 2].some((d) => codeAt(secret, stepNow() + d) === c));
  for (const code of [wrong, codeAt(secret, first)]) {
    await page.fill('input[name=code]', code);
    await page.click('button[type=submit]');
    assert.match(await page.textContent('[data-testid=error]'), /验证码不正确或已使用/);
  }
  await page.goto(`${base}/app/work`);
  assert.match(page.url(), /\/app\/login$/, 'a refused code opened 我的工作');
  console.log('ok   wrong and reused codes are refused');

  // The waiting sign-in is still there: with a current code, in.
  await page.goto(`${base}/app/login/code`);
  await page.fill('input[name=code]', codeAt(secret, Math.max(stepNow(), first) + 1));
  await page.click('button[type=submit]');
  await page.waitForURL(/\/app\/work$/);
  assert.equal(await page.textContent('[data-testid=page-title]'), '我的工作');
  console.log('ok   password and a current code sign in');
} catch (e) {
  failed = true;
  console.log(`FAIL second factor: ${e.message}`);
} finally {
  await browser.close();
}
if (failed) process.exit(1);
console.log('second factor browser test passed');
