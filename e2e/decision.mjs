// Browser test in real Chromium of a major administrative decision's main path: the legal
// division drafts next year's catalogue, a leader approves it, it is published on the portal;
// the sponsoring division opens the decision, the legal division reviews it, the leaders
// discuss it (a dissent recorded, the head speaking last, nothing after), and the leader
// decides after confirming; the trace-back shows who acted and the dissent. The demo's decision
// that lacks its steps shows each with its article; the advisor sees only what is assigned;
// the pages fit a 375 px phone.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const base = process.env.FAZHI_URL;
const password = process.env.FAZHI_DEMO_PASSWORD ?? 'Fazhi@2026demo';
const year = String(Number((process.env.TODAY ?? new Date().toISOString()).slice(0, 4)) + 1);

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
const why = async (page, action) => page.textContent(`[data-action=${action}] .why`);

try {
  // 1. The catalogue: drafted by the legal division, approved by a leader, published.
  const legal = await staff('fzc.legal');
  await legal.goto(`${base}/app/decisions/catalogue`);
  await legal.selectOption('form[data-form=create] select[name=org_id]', { label: '郑州市商务局' });
  await legal.fill('form[data-form=create] input[name=year]', year);
  await Promise.all([legal.waitForLoadState('load'), legal.click('form[data-form=create] button[type=submit]')]);
  const draft = legal.locator('[data-testid=catalogue]', { hasText: `郑州市商务局 ${year}` });
  await draft.locator('input[name=title]').fill('郑州市老字号保护发展办法');
  await draft.locator('select[name=sponsor_org_id]').selectOption({ label: '商贸服务处' });
  await draft.locator('textarea[name=description]').fill('老字号认定、保护和扶持');
  await draft.locator('input[name=planned]').fill('第二季度');
  await Promise.all([legal.waitForLoadState('load'), draft.locator('form[data-form=add-item] button').click()]);
  const leader = await staff('leader');
  await leader.goto(`${base}/app/decisions/catalogue`);
  const mine = leader.locator('[data-testid=catalogue]', { hasText: `郑州市商务局 ${year}` });
  await mine.locator('form[data-form=approve] textarea[name=opinion]').fill('同意，按程序公布');
  await Promise.all([leader.waitForLoadState('load'), mine.locator('form[data-form=approve] button').click()]);
  await legal.goto(`${base}/app/decisions/catalogue`);
  await Promise.all([legal.waitForLoadState('load'),
    legal.locator('[data-testid=catalogue]', { hasText: `郑州市商务局 ${year}` }).locator('form[data-form=publish] button').click()]);
  const pub = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await pub.goto(`${base}/decisions`);
  const portal = await pub.textContent('main');
  assert.ok(portal.includes(`郑州市商务局${year}年度重大行政决策事项目录`), portal);
  assert.ok(portal.includes('郑州市老字号保护发展办法'));
  assert.ok(!portal.includes('JC'), 'no internal record on the portal');
  console.log(`ok   the ${year} catalogue approved by a leader and published on the portal`);

  // 2. The sponsoring division opens the decision from its item.
  const officer = await staff('smfw.officer');
  await officer.goto(`${base}/app/decisions/new`);
  await officer.selectOption('select[name=item]', { label: `${year}年 郑州市老字号保护发展办法（商贸服务处）` });
  await officer.fill('textarea[name=draft]', '认定标准、保护措施和扶持资金');
  await Promise.all([officer.waitForLoadState('load'), officer.click('form[data-form=open] button[type=submit]')]);
  const url = officer.url();
  assert.match(url, /\/app\/decisions\/\d+$/);
  assert.equal(await stage(officer), '拟订决策草案（公众参与、专家论证、风险评估）');
  const steps = await officer.textContent('[data-testid=steps]');
  assert.ok(steps.includes('公众参与') && steps.includes('不适用') && steps.includes('未完成'), steps);
  console.log('ok   the decision opened from its item, with the steps the item requires');

  // 3. Legality review, then the meeting.
  const head = await staff('smfw.head');
  await head.goto(url);
  await act(head, 'submit_legality_review');
  await legal.goto(url);
  await act(legal, 'record_legality_review', { choice: 'lawful', text: '属于本机关法定权限，内容合法' });
  await head.goto(url);
  await act(head, 'submit_to_meeting');
  assert.equal(await stage(head), '集体讨论');
  await leader.goto(url);
  const early = await why(leader, 'head_concludes');
  assert.ok(early.includes('会议组成人员尚未发表意见'), early);
  const deputy1 = await staff('deputy1');
  await deputy1.goto(url);
  await act(deputy1, 'record_view', { choice: 'disagree', text: '扶持资金来源不明确' });
  await leader.goto(url);
  const missing = await why(leader, 'decide');
  assert.ok(missing.includes('集体讨论尚未完成') && missing.includes('第三十条'), missing);
  assert.ok(!missing.includes('第十四条'), 'a step the item does not require is not asked for');
  await act(leader, 'head_concludes', { choice: 'agree', text: '同意，资金列入明年预算' });
  const deputy2 = await staff('deputy2');
  await deputy2.goto(url);
  const late = await why(deputy2, 'record_view');
  assert.ok(late.includes('行政首长已经最后发表意见'), late);
  assert.ok(await deputy2.locator('[data-testid=dissent]').count(), 'the dissent is marked on the record');
  console.log('ok   members spoke, the head spoke last; a view after the head\'s is refused; the dissent is marked');

  // 4. The leader decides, after seeing what will be recorded; it is published and implemented.
  await leader.goto(url);
  await act(leader, 'decide', { text: '通过《郑州市老字号保护发展办法》', opinion: '同意' });
  assert.equal(await stage(leader), '已作出决定');
  assert.ok((await leader.textContent('[data-testid=decision-text]')).includes('老字号保护发展办法'));
  await act(leader, 'start_implementation', { text: '由商贸服务处实施，已在市政府网站公布' });
  assert.equal(await stage(leader), '组织实施');
  console.log('ok   decided after confirmation, published and being implemented');

  // 5. The trace-back: everyone who acted, and the dissent.
  await leader.goto(`${url}/trace`);
  const people = await leader.textContent('[data-testid=people]');
  for (const name of ['高雪', '马晓峰', '张明远', '张志强', '李卫东']) assert.ok(people.includes(name), `${name}: ${people}`);
  assert.ok((await leader.textContent('[data-testid=dissents]')).includes('扶持资金来源不明确'));
  console.log('ok   the trace-back names everyone who acted and the dissent');

  // 6. The demo decision that lacks its steps; the demo decision decided and implementing.
  await leader.goto(`${base}/app/decisions`);
  await Promise.all([leader.waitForLoadState('load'), leader.locator('tr', { hasText: '郑州市二手车交易市场布局规划' }).locator('a').click()]);
  const refused = await why(leader, 'decide');
  for (const a of ['第十四条、第十五条', '第十九条', '第二十二条', '第三十条']) assert.ok(refused.includes(a), `${a}: ${refused}`);
  await leader.goto(`${base}/app/decisions`);
  await Promise.all([leader.waitForLoadState('load'), leader.locator('tr', { hasText: '郑州市促进消费若干措施' }).locator('a').click()]);
  assert.equal(await stage(leader), '组织实施');
  console.log('ok   the demo decisions: one refused with every missing step, one being implemented');

  // 7. The advisor sees what is assigned, and nothing else.
  const adv = await staff('advisor');
  await adv.goto(`${base}/app/decisions`);
  const list = await adv.textContent('[data-testid=decision-list]');
  assert.ok(list.includes('郑州市促进消费若干措施') && !list.includes('二手车'), list);
  const res = await adv.goto(`${base}/app/cases`);
  assert.equal(res.status(), 404);
  await adv.goto(`${base}/app/advisors/me`);
  assert.ok((await adv.textContent('[data-testid=ledger]')).includes('决策合法性审查'));
  console.log('ok   the advisor sees the decision assigned and their ledger; cases answer 404');

  // 8. On a 375 px phone.
  const phone = await staff('leader', { width: 375, height: 812 });
  for (const path of [url, `${url}/trace`, '/app/decisions/catalogue', '/app/advisors']) {
    await phone.goto(path.startsWith('http') ? path : `${base}${path}`);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `${path} is ${width} px wide`);
  }
  console.log('ok   the decision pages fit a 375 px phone');
} finally {
  await browser.close();
}
