// Browser test in real Chromium: a normative document from its draft to its repeal. The drafter
// registers and writes it; it passes the fair competition review (stakeholders heard first);
// it is opened for comment, the public comments on the portal, the drafting unit answers and
// publishes the feedback report; then — on instances whose calendar day is later
// (`FAZHI_CLOCK_OFFSET_DAYS`, for acceptance instances only) — the comment closes, the legal
// division finds it lawful, the leaders approve it, the office numbers it, and it is published
// only once its policy interpretation is written. The portal finds it by a Chinese search; it is
// repealed, and the portal shows it repealed as of today but in force as of an earlier date.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

const base = process.env.FAZHI_URL;
const password = process.env.FAZHI_DEMO_PASSWORD ?? 'Fazhi@2026demo';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function staff(user, url = base) {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await page.goto(`${url}/app/login`);
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
  const err = page.locator('[data-testid=error]');
  if (await err.count()) throw new Error(`${action}: ${(await err.first().textContent()).trim()}`);
}

const stage = async (page) => (await page.textContent('[data-testid=stage]')).trim();
const why = async (page, action) => (await page.textContent(`[data-action=${action}] .why`)).trim();
const days = (d, n) => new Date(Date.parse(d) + n * 864e5).toISOString().slice(0, 10);

const servers = [];
async function later(offset) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  servers.push(spawn(process.env.FAZHI_BIN, ['--data-dir', process.env.FAZHI_DATA, 'serve', '--bind', `127.0.0.1:${port}`], {
    env: { ...process.env, FAZHI_CLOCK_OFFSET_DAYS: String(offset) }, stdio: 'ignore',
  }));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${url}/readyz`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return url;
}

const title = '郑州市社区便民商业网点管理办法';
const body = [
  '为完善社区便民商业网点，方便居民生活，制定本办法。',
  '第一条 本办法适用于本市行政区域内社区便民商业网点的规划、建设和管理。',
  '第二条 新建住宅小区应当按照标准配建便民商业网点。',
  '第三条 商务主管部门应当公开便民商业网点布局规划。',
  '第四条 本办法自发布之日起施行。',
].join('\n');

try {
  const today = process.env.TODAY;
  // 1. The drafter registers the draft and saves its text.
  const officer = await staff('scc.officer1');
  await officer.goto(`${base}/app/normative/new`);
  await officer.fill('input[name=title]', title);
  await officer.check('input[name=concerns_market]');
  await officer.check('input[name=affects_public]');
  await officer.check('input[name=closely_market]');
  await Promise.all([officer.waitForURL(/\/app\/normative\/\d+$/), officer.click('form[data-testid=new-normative] button[type=submit]')]);
  const docUrl = officer.url();
  const path = docUrl.replace(base, '');
  const id = path.split('/').pop();
  assert.equal(await stage(officer), '起草中');
  await act(officer, 'save_draft', { text: body });
  assert.ok((await officer.textContent('#art_2')).includes('配建便民商业网点'), 'the text shows by article');
  // No legality review before the fair competition review (第十八条).
  const head = await staff('scc.head');
  await head.goto(docUrl);
  assert.ok((await why(head, 'submit_legality_review')).includes('第十八条'), 'legality review refused before the fair review');
  console.log('ok   draft registered and saved; legality review refused before the fair review (第十八条)');

  // 2. Fair competition review: stakeholders heard first (第十六条).
  await officer.reload();
  await act(officer, 'submit_fair_review');
  await head.reload();
  assert.ok((await why(head, 'record_fair_review')).includes('第十六条'), 'no conclusion before stakeholders are heard');
  await officer.reload();
  await act(officer, 'hear_stakeholders', { text: '召开物业企业、连锁便利店和行业协会座谈会，收到意见 5 条' });
  await head.reload();
  await act(head, 'record_fair_review', { choice: 'passes', text: '逐项对照第八条至第十一条，未发现排除、限制竞争的内容', opinion: '同意' });
  assert.equal(await stage(head), '起草中');
  await act(head, 'open_comment');
  assert.equal(await stage(head), '公开征求意见中');
  console.log('ok   fair competition review passed after stakeholders were heard; opened for comment');

  // 3. The public comments on the portal; the drafting unit answers and publishes the feedback.
  const pub = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await pub.goto(`${base}/normative/comments/${id}`);
  assert.ok((await pub.textContent('[data-testid=draft-text]')).includes('配建便民商业网点'));
  await pub.selectOption('select[name=article]', 'art_2');
  await pub.fill('input[name=name]', '王小明');
  await pub.fill('input[name=contact]', '13800000000');
  await pub.fill('textarea[name=body]', '建议明确老旧小区补建便民网点的办法');
  await pub.click('form[data-testid=comment-form] button[type=submit]');
  await pub.waitForSelector('[data-testid=sent]');
  await head.reload();
  assert.ok((await why(head, 'publish_feedback')).includes('1 条意见'), 'no feedback while a comment is unanswered');
  await officer.reload();
  const answer = officer.locator('.comment-answer form').first();
  await answer.locator('select[name=adopted]').selectOption('0');
  await answer.locator('input[name=reply]').fill('老旧小区补建另行制定专项办法，本办法不作规定');
  await Promise.all([officer.waitForLoadState('load'), answer.locator('button[type=submit]').click()]);
  await head.reload();
  await act(head, 'publish_feedback');
  await pub.reload();
  assert.ok((await pub.textContent('[data-testid=feedback]')).includes('不予采纳'), 'the feedback report is on the portal');
  assert.ok(!(await pub.content()).includes('13800000000'), 'the contact stays private');
  assert.ok((await why(head, 'close_comment')).includes('期限尚未届满'), 'the comment runs its 30 days');
  console.log('ok   public comment received, answered, feedback published; closing refused before the period ends');

  // 4. Forty days later: comment closed, legality review, discussion, numbering, publication.
  const day2 = days(today, 40);
  const url2 = await later(40);
  const head2 = await staff('scc.head', url2);
  await head2.goto(`${url2}${path}`);
  await act(head2, 'close_comment');
  await act(head2, 'submit_legality_review');
  assert.equal(await stage(head2), '合法性审核中');
  const legal2 = await staff('fzc.legal', url2);
  await legal2.goto(`${url2}${path}`);
  await act(legal2, 'pass_legality_review', { text: '经审核，制定主体适格，未超越法定职权，程序符合规定，内容不违反上位法，同意提交集体审议。' });
  await legal2.click('[data-testid=opinion-link]');
  assert.ok((await legal2.textContent('[data-testid=document]')).includes('合法性审核意见书'), 'the written opinion reads as an official document');
  const leader2 = await staff('leader', url2);
  await leader2.goto(`${url2}${path}`);
  await act(leader2, 'approve_in_discussion', { text: '局长办公会审议通过' });
  const clerk2 = await staff('bgs.clerk', url2);
  await clerk2.goto(`${url2}${path}`);
  await act(clerk2, 'assign_number');
  const number = (await clerk2.textContent('[data-testid=number]')).trim();
  assert.match(number, /^郑商规〔20\d\d〕\d+号$/);
  assert.ok((await why(clerk2, 'publish')).includes('缺少政策解读'), 'no publication without its interpretation');
  const officer2 = await staff('scc.officer1', url2);
  await officer2.goto(`${url2}${path}`);
  await act(officer2, 'write_interpretation', { text: '一、制定背景：完善社区便民商业网点，方便居民生活。二、主要内容：明确配建标准、布局规划公开和监督管理。三、适用对象：本市社区便民商业网点。四、施行日期：自发布之日起施行。' });
  await clerk2.reload();
  await act(clerk2, 'publish', { date: day2 });
  assert.equal(await stage(clerk2), '已发布，待报送备案');
  console.log(`ok   comment closed, found lawful, approved, numbered ${number}, published with its interpretation`);

  // 5. Found on the portal by a Chinese search, in force.
  const pub2 = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await pub2.goto(`${url2}/normative?q=${encodeURIComponent('便民商业网点')}`);
  const row = pub2.locator('[data-testid=normative-portal] tr', { hasText: title });
  assert.equal(await row.count(), 1, 'found by its Chinese title');
  assert.equal((await row.locator('[data-testid=validity]').textContent()).trim(), '现行有效');

  // 6. Repealed three days later; the portal, twenty days on, shows it repealed today and in force before.
  const repealOn = days(day2, 3);
  await legal2.goto(`${url2}${path}`);
  await act(legal2, 'repeal', { date: repealOn, text: `郑商规〔${repealOn.slice(0, 4)}〕99号《关于废止部分规范性文件的决定》` });
  const url3 = await later(60);
  const pub3 = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await pub3.goto(`${url3}/normative?q=${encodeURIComponent('便民商业网点')}`);
  const now = pub3.locator('[data-testid=normative-portal] tr', { hasText: title });
  assert.equal((await now.locator('[data-testid=validity]').textContent()).trim(), '已废止', 'repealed as of today');
  await pub3.goto(`${url3}/normative?q=${encodeURIComponent('便民商业网点')}&as_of=${days(day2, 1)}`);
  const before = pub3.locator('[data-testid=normative-portal] tr', { hasText: title });
  assert.equal((await before.locator('[data-testid=validity]').textContent()).trim(), '现行有效', 'in force as of an earlier date');
  // The portal's full-text search finds it by words of its text, repealed today and in force before.
  await pub3.goto(`${url3}/search?q=${encodeURIComponent('社区便民商业网点')}`);
  const hit = pub3.locator('.result-title', { hasText: title });
  assert.equal(await hit.count(), 1, 'the full-text search finds it');
  assert.ok((await hit.textContent()).includes('已废止'), 'shown repealed as of today');
  await pub3.goto(`${url3}/search?q=${encodeURIComponent('社区便民商业网点')}&as_of=${days(day2, 1)}`);
  const earlier = pub3.locator('.result-title', { hasText: title });
  assert.equal(await earlier.count(), 1, 'in force on the earlier date');
  assert.ok(!(await earlier.textContent()).includes('已废止'), 'not repealed as of the earlier date');
  console.log('ok   found by a Chinese search; repealed as of today, in force as of an earlier date');
} finally {
  for (const s of servers) s.kill();
  await browser.close();
}
