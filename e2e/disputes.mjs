// Browser test in real Chromium of a reconsideration in which the bureau is the respondent,
// from the application copy to the performed decision: the legal division registers the copy
// (the answer limit appears), the answer is refused without the evidence list and the page says
// why with 第四十八条, the evidence list is recorded and the answer submitted after confirming,
// the deciding body's revoking decision is recorded, carried out with its receipt, and archived.
// A lawsuit's page records a hearing the head attended. The pages fit a 375 px phone.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const base = process.env.FAZHI_URL;
const password = process.env.FAZHI_DEMO_PASSWORD ?? 'Fazhi@2026demo';
const today = process.env.TODAY ?? new Date().toISOString().slice(0, 10);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function staff(user, viewport) {
  const context = await browser.newContext({ locale: 'zh-CN', ...(viewport ? { viewport } : {}) });
  const page = await context.newPage();
  await page.goto(`${base}/app/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/app\/work$/);
  return page;
}

async function act(page, action, fill = {}) {
  const form = page.locator(`form[data-action=${action}]`);
  for (const [name, value] of Object.entries(fill)) {
    const field = form.locator(`[name=${name}]`);
    if (name === 'choice') await field.selectOption(value); else await field.fill(value);
  }
  await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
  if (await page.locator('[data-testid=confirm]').count()) {
    await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=confirm]')]);
  }
}

const stage = async (page) => (await page.textContent('[data-testid=stage]')).trim();
const fits = async (page) => page.evaluate(() => document.documentElement.scrollWidth);

try {
  const legal = await staff('fzc.legal', { width: 375, height: 800 });
  await legal.goto(`${base}/app/reconsiderations/new`);
  await legal.selectOption('select[name=org_id]', { label: '郑州市商务局' });
  await legal.fill('input[name=received_on]', today);
  await legal.fill('input[name=deciding_body]', '郑州市人民政府');
  await legal.fill('input[name=applicant]', '河南浏览器测试商贸有限公司');
  await legal.fill('textarea[name=claims]', '请求撤销不予备案的告知。');
  await legal.fill('textarea[name=disputed]', '单用途预付卡备案不予办理告知');
  assert.ok(await fits(legal) <= 375, 'the form fits a phone');
  await Promise.all([legal.waitForLoadState('load'), legal.click('form[data-form=register] button[type=submit]')]);
  assert.match(legal.url(), /\/app\/reconsiderations\/\d+$/);
  assert.equal(await stage(legal), '答复中');
  const limits = await legal.textContent('main');
  assert.ok(limits.includes('书面答复期限'), limits);
  const why = await legal.textContent('[data-action=submit_answer] .why');
  assert.ok(why.includes('证据目录') && why.includes('第四十八条'), why);
  assert.ok(await fits(legal) <= 375, 'the record page fits a phone');
  console.log('ok   the application copy registered; the answer refused without the evidence list (第四十八条)');

  await act(legal, 'record_evidence', { text: '备案材料审查记录\n不予备案告知书\n送达回证' });
  assert.equal(await legal.locator('[data-testid=evidence] li').count(), 3);
  await act(legal, 'submit_answer', { text: '告知行为事实清楚，依据正确，程序合法。' });
  assert.equal(await stage(legal), '已答复，等待复议决定');
  console.log('ok   the evidence list recorded and the written answer submitted after confirming');

  await act(legal, 'receive_decision', { choice: 'revoked', text: '郑政复决字〔2026〕99号：撤销不予备案告知，责令重新处理' });
  assert.equal(await stage(legal), '已收到复议决定');
  assert.ok((await legal.textContent('[data-testid=outcome]')).includes('撤销'));
  const archiveWhy = await legal.textContent('[data-action=archive] .why');
  assert.ok(archiveWhy.includes('第七十七条'), archiveWhy);
  await act(legal, 'perform', { text: '已重新办理备案，履行情况及回执已报送复议机关。' });
  assert.equal(await stage(legal), '已履行');
  await act(legal, 'archive');
  assert.equal(await stage(legal), '已归档');
  console.log('ok   the revoking decision carried out with its receipt and archived');

  await legal.goto(`${base}/app/litigations/new`);
  await legal.selectOption('select[name=org_id]', { label: '郑州市商务局' });
  await legal.fill('input[name=received_on]', today);
  await legal.fill('input[name=court]', '郑州铁路运输法院');
  await legal.fill('input[name=court_case_no]', '（2026）豫7101行初900号');
  await legal.fill('input[name=plaintiff]', '浏览器测试原告');
  await legal.fill('textarea[name=claims]', '请求确认告知行为违法。');
  await legal.fill('textarea[name=disputed]', '投诉处理告知');
  await Promise.all([legal.waitForLoadState('load'), legal.click('form[data-form=register] button[type=submit]')]);
  await act(legal, 'record_evidence', { text: '投诉登记表；处理告知书' });
  await act(legal, 'submit_defence', { text: '告知行为合法。' });
  await act(legal, 'record_hearing', { choice: 'head', text: '局长（负责人）' });
  assert.ok((await legal.textContent('[data-testid=hearings]')).includes('负责人出庭'));
  assert.ok(await fits(legal) <= 375, 'the lawsuit page fits a phone');
  console.log('ok   a lawsuit defended within its limit and a hearing the head attended recorded');
} finally {
  await browser.close();
}
