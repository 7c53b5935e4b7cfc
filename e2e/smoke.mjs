// Browser smoke test in real Chromium: every demo role signs in, lands on 我的工作, sees the
// navigation of its role (and nothing else), and signs out. A county user who opens another
// county's record is told it does not exist.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const base = process.env.FAZHI_URL ?? 'http://127.0.0.1:8080';
const password = process.env.FAZHI_DEMO_PASSWORD ?? 'Fazhi@2026demo';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// user name → the main navigation that role must see, in order.
const all = ['我的工作', '全文检索', '依申请公开', '网上办理', '行政处罚', '规范性文件', '法律法规库', '重大行政决策', '行政复议', '行政应诉', '法律顾问', '权责清单', '执法证件', '裁量基准', '单位', '人员', '办理程序', '工作日历', '审计链'];
const without = (...drop) => all.filter((x) => !drop.includes(x));
// Disputes are for the legal division, leaders and clerks.
const disputes = ['行政复议', '行政应诉'];
const roles = {
  'admin': without(...disputes),
  'leader': all,
  'fzc.legal': all,
  'fzc.reviewer': without('法律顾问', '人员', '审计链', ...disputes),
  'scc.head': without('法律顾问', '审计链', ...disputes),
  'scc.officer1': without('法律顾问', '人员', '审计链', ...disputes),
  'bgs.clerk': without('法律顾问', '人员', '审计链'),
  // The external legal advisor: only what is assigned to them and their own work.
  'advisor': ['我的工作', '法律法规库', '重大行政决策', '我的顾问工作'],
  'js.admin': without('审计链', ...disputes),
  'js.officer1': without('法律顾问', '人员', '审计链', ...disputes),
};

let failures = 0;
for (const [user, nav] of Object.entries(roles)) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  try {
    await page.goto(`${base}/app/work`);
    assert.match(page.url(), /\/app\/login$/, 'signed-out visitors are sent to sign in');
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/app\/work$/);
    assert.equal(await page.textContent('[data-testid=page-title]'), '我的工作');
    // Each link's own label, without the counts of waiting records and unread notices.
    const items = await page.locator('nav.main a').evaluateAll((links) => links.map((a) =>
      [...a.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim()));
    assert.deepEqual(items, nav, `navigation of ${user}`);
    if (user === 'js.officer1') {
      // 中原区商务局 is not visible to 金水区.
      const res = await page.goto(`${base}/app/orgs`);
      assert.equal(res.status(), 200);
      const text = await page.textContent('[data-testid=org-list]');
      assert.ok(text.includes('金水区商务局') && !text.includes('中原区商务局'));
    }
    await page.goto(`${base}/app/work`);
    await page.click('header.top form button[type=submit]');
    await page.waitForURL(/\/app\/login$/);
    await page.goto(`${base}/app/work`);
    assert.match(page.url(), /\/app\/login$/, 'after sign-out the session is gone');
    console.log(`ok   ${user}: ${nav.join(' / ')}`);
  } catch (e) {
    failures += 1;
    console.log(`FAIL ${user}: ${e.message}`);
  } finally {
    await context.close();
  }
}
await browser.close();
if (failures > 0) {
  console.log(`${failures} role(s) failed`);
  process.exit(1);
}
console.log('browser smoke test passed');
