// Browser test in real Chromium: a lead becomes a penalty case, which goes through the
// investigation by two certified officers, the pre-decision notice, a hearing, legal review,
// the decision, delivery, payment, closing and archiving — and every refused step shows its
// reason. The hearing must be notified seven working days ahead (行政处罚法 第六十四条), so the
// second half runs on a second instance of the same data whose calendar day is the hearing day
// (`FAZHI_CLOCK_OFFSET_DAYS`, for training and acceptance instances only).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const base = process.env.FAZHI_URL;
const password = process.env.FAZHI_DEMO_PASSWORD ?? 'Fazhi@2026demo';
const today = process.env.TODAY; // Beijing date of the first instance
const hearingDay = process.env.EXPECT_DUE_7; // `fazhi calendar due --from <today> --days 7 --working`
assert.ok(today && hearingDay, 'run through e2e/run.sh');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const dir = mkdtempSync(join(tmpdir(), 'fazhi-e2e-case-'));
const pdf = (name) => { const p = join(dir, name); writeFileSync(p, '%PDF-1.4\n% e2e evidence\n'); return p; };

async function staff(user, at = base) {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await page.goto(`${at}/app/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/app\/work$/);
  return page;
}

async function act(page, action, fill = {}, checks = []) {
  const form = page.locator(`form[data-action=${action}]`);
  for (const [name, value] of Object.entries(fill)) {
    const field = form.locator(`[name=${name}]`);
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  for (const label of checks) await form.locator('label', { hasText: label }).locator('input').check();
  // Wait for the answer's page itself: a refused form comes back at the same address, so the
  // address cannot tell the pages apart.
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), form.locator('button[type=submit]').click()]);
  // An irreversible step shows what it will issue first; the second submit takes it.
  if (await page.locator('[data-testid=confirm]').count()) {
    assert.ok(await page.locator('[data-testid=confirm-title]').count(), 'the confirmation names the action');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('[data-testid=confirm]')]);
  }
}

const stage = async (page) => (await page.textContent('[data-testid=stage]')).trim();
const error = async (page) => (await page.textContent('[data-testid=error]')).trim();
const why = async (page, action) => (await page.textContent(`[data-action=${action}] .why`)).trim();
let second;

try {
  // 1. An officer registers a complaint and proposes a case from it.
  const officer = await staff('js.officer1');
  await officer.goto(`${base}/app/cases/leads`);
  const lead = officer.locator('form[data-testid=lead-form]');
  await lead.locator('select[name=org_id]').selectOption({ label: '金水区商务局执法大队' });
  await lead.locator('select[name=source]').selectOption('complaint');
  await lead.locator('input[name=reporter]').fill('消费者 12345 热线转办');
  await lead.locator('input[name=party_name]').fill('郑州顺通再生资源回收有限公司');
  await lead.locator('textarea[name=description]').fill('反映该公司未取得资质认定，在北三环附近收购报废机动车并拆解。');
  await Promise.all([officer.waitForLoadState('load'), lead.locator('button[type=submit]').click()]);
  assert.equal(await stage(officer), '待核查');
  await officer.click('[data-testid=open-from-lead]');
  const form = officer.locator('form[data-testid=case-form]');
  await form.locator('select[name=item_code]').selectOption('ZZSW-CF-008');
  await form.locator('input[name=party_id_no]').fill('91410105MA44XK7P0F');
  await form.locator('input[name=party_address]').fill('郑州市金水区北三环 18 号');
  const ended = new Date(Date.parse(`${today}T00:00:00Z`) - 20 * 864e5).toISOString().slice(0, 10);
  await form.locator('input[name=act_ended_on]').fill(ended);
  await Promise.all([officer.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
  assert.equal(await stage(officer), '立案审批中');
  const caseUrl = officer.url();
  const caseNo = (await officer.textContent('[data-testid=record-title]')).trim().split(' ').pop();
  assert.ok((await why(officer, 'approve_opening')).includes('处室负责人'), 'an officer cannot approve');
  console.log(`ok   lead became case ${caseNo}; approval refused to the officer with its reason`);

  // 2. The head approves; an officer whose certificate expired cannot be assigned; with one
  //    officer the investigation cannot start.
  const head = await staff('js.head');
  // The request waits in the head's 待办, and a notice tells him so.
  assert.ok((await head.textContent('[data-testid=queue]')).includes(caseNo), 'the request waits in 待办');
  assert.ok((await head.textContent('[data-testid=notices]')).includes(`提请立案，待审批：${caseNo}`), 'the head is notified');
  await head.goto(caseUrl);
  // Approving shows the signed approval form first; the opinion is in it.
  const approve = head.locator('form[data-action=approve_opening]');
  await approve.locator('[name=opinion]').fill('同意立案，由执法大队调查。');
  await Promise.all([head.waitForNavigation({ waitUntil: 'load' }), approve.locator('button[type=submit]').click()]);
  assert.ok(await head.locator('[data-testid=confirm]').count(), 'a confirmation before approving');
  assert.ok((await head.textContent('main')).includes('同意立案，由执法大队调查。'), 'the preview carries the opinion');
  await Promise.all([head.waitForNavigation({ waitUntil: 'load' }), head.click('[data-testid=confirm]')]);
  assert.equal(await stage(head), '调查取证中');
  await officer.goto(`${base}/app/work`);
  assert.ok((await officer.textContent('[data-testid=notices]')).includes(`批准立案：${caseNo}`), 'the officer is told of the approval');
  console.log('ok   the request waited in the head\'s 待办 with a notice; approved with an opinion after a confirmation; the officer was told');
  await act(head, 'assign_officers', {}, ['沈佳']);
  assert.ok((await error(head)).includes('已于 2026-06-30 过期'), 'expired certificate refused');
  assert.equal(head.url(), caseUrl, 'a refused form comes back at the case address');
  const refusedPick = head.locator('form[data-action=assign_officers] label', { hasText: '沈佳' }).locator('input');
  assert.ok(await refusedPick.isChecked(), 'the refused choice comes back checked');
  await refusedPick.uncheck();
  await act(head, 'assign_officers', {}, ['蒋涛']);
  assert.ok((await why(head, 'add_evidence')).includes('不得少于两人'), 'one officer is not enough');
  await act(head, 'assign_officers', {}, ['贺文静']);
  console.log('ok   expired certificate and a one-officer investigation refused with their reasons');

  // 3. Evidence (hashed), the report with a fine that needs legal review and gives the hearing
  //    right, the notice.
  await officer.goto(caseUrl);
  const ev = officer.locator('form[data-action=add_evidence]');
  await ev.locator('select[name=kind]').selectOption('inspection_record');
  await ev.locator('input[name=title]').fill('现场检查笔录');
  await ev.locator('input[name=file]').setInputFiles(pdf('现场检查笔录.pdf'));
  await Promise.all([officer.waitForLoadState('load'), ev.locator('button[type=submit]').click()]);
  assert.match(await officer.textContent('[data-testid=evidence]'), /[0-9a-f]{64}/, 'evidence is hashed');
  const report = '当事人未取得资质认定，回收报废机动车 12 辆并拆解，违法事实清楚，证据确凿。以上事实有现场检查笔录为证。';
  await act(officer, 'submit_report', { text: report, fine: '六万元', confiscation: '12000' });
  assert.equal(officer.url(), caseUrl, 'a refused report comes back at the case address');
  const refusedReport = officer.locator('form[data-action=submit_report]');
  assert.equal(await refusedReport.locator('textarea[name=text]').inputValue(), report, 'a refused report keeps its text');
  assert.equal(await refusedReport.locator('input[name=confiscation]').inputValue(), '12000');
  assert.ok((await refusedReport.locator('.field-error[data-field=fine]').textContent()).includes('请填写金额'), 'the error is beside the fine');
  await act(officer, 'submit_report', { fine: '60000' });
  assert.ok((await officer.textContent('[data-testid=review]')).includes('必须法制审核'));
  await act(officer, 'send_notice');
  assert.equal(await stage(officer), '已事先告知，当事人陈述申辩期');
  const leader = await staff('js.leader');
  await leader.goto(caseUrl);
  const unserved = await why(leader, 'decide');
  assert.ok(unserved.includes('尚未送达') && unserved.includes('法制审核'), unserved);
  await act(officer, 'serve_notice', { choice: 'direct', text: '当事人法定代表人签收' });
  await leader.reload();
  const refusedDecision = await why(leader, 'decide');
  assert.ok(refusedDecision.includes('五个工作日') && refusedDecision.includes('法制审核'), refusedDecision);
  console.log('ok   report and notice served; the decision is refused before service, while the party may still speak and before review');

  // 4. The party asks for a hearing; it must be notified seven working days ahead.
  await act(officer, 'request_hearing', { text: '当事人于告知次日书面申请听证' });
  assert.equal(await stage(officer), '当事人要求听证');
  await head.goto(caseUrl);
  await act(head, 'schedule_hearing', { date: today, user: '韩磊', text: '本局三楼听证室' });
  assert.ok((await error(head)).includes(`最早安排在 ${hearingDay}`), 'too-early hearing refused');
  const hosts = await head.locator('form[data-action=schedule_hearing] select[name=user]').textContent();
  assert.ok(hosts.includes('韩磊') && !hosts.includes('贺文静'), 'an investigator is not offered as hearing host');
  await act(head, 'schedule_hearing', { date: hearingDay, user: '韩磊', text: '本局三楼听证室' });
  await act(head, 'hold_hearing', { text: '提前举行' });
  assert.ok((await error(head)).includes('尚未到期'), 'the hearing is not held before its day');
  console.log(`ok   hearing set for ${hearingDay}, seven working days ahead; earlier refused`);

  // 5. The hearing day: a second instance on the same data whose calendar day is the hearing day.
  const offset = Math.round((Date.parse(hearingDay) - Date.parse(today)) / 864e5);
  const port = 20000 + Math.floor(Math.random() * 20000);
  second = spawn(process.env.FAZHI_BIN, ['--data-dir', process.env.FAZHI_DATA, 'serve', '--bind', `127.0.0.1:${port}`], {
    env: { ...process.env, FAZHI_CLOCK_OFFSET_DAYS: String(offset) }, stdio: 'ignore',
  });
  const later = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${later}/readyz`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const head2 = await staff('js.head', later);
  await head2.goto(caseUrl.replace(base, later));
  await act(head2, 'hold_hearing', { text: '当事人到场陈述：已停止回收，请求从轻处罚。执法人员出示证据，当事人无异议。' });
  assert.equal(await stage(head2), '听证结束，待作出决定');
  const leader2 = await staff('js.leader', later);
  await leader2.goto(caseUrl.replace(base, later));
  assert.ok((await why(leader2, 'decide')).includes('法制审核'), 'no decision before legal review');
  const legal = await staff('js.legal', later);
  await legal.goto(caseUrl.replace(base, later));
  await act(legal, 'record_legal_review', { choice: 'pass', text: '事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。' });
  await leader2.reload();
  await act(leader2, 'decide', { fine: '70000', text: '听证意见不予采纳，依法作出处罚。' });
  assert.ok((await error(leader2)).includes('第四十五条'), 'never heavier than notified');
  assert.equal(await leader2.locator('form[data-action=decide] input[name=fine]').inputValue(), '70000', 'the refused decision comes back as typed');
  await act(leader2, 'decide', { fine: '60000', text: '当事人已停止违法行为，但情节不属于减轻情形，依法作出处罚。' });
  assert.equal(await stage(leader2), '已作出决定，待送达');
  console.log('ok   hearing held; decision refused before review and when heavier than notified; decided');

  // 6. Delivery, publicity, payment (a wrong amount is refused with what is owed), close, archive.
  const officer2 = await staff('js.officer1', later);
  await officer2.goto(caseUrl.replace(base, later));
  await act(officer2, 'deliver', { choice: 'direct' });
  assert.equal(await stage(officer2), '已送达，执行中');
  await act(officer2, 'publish_decision');
  await act(officer2, 'record_payment', { amount: '59999' });
  assert.ok((await error(officer2)).includes('应缴 ¥60,000.00'), 'the amount owed is shown');
  await act(officer2, 'record_payment', { amount: '60000' });
  assert.equal(await stage(officer2), '执行完毕，待结案');
  await head2.reload();
  await act(head2, 'close');
  assert.equal(await stage(head2), '已结案，待归档');
  const clerk = await staff('js.clerk', later);
  await clerk.goto(caseUrl.replace(base, later));
  await act(clerk, 'archive');
  assert.equal(await stage(clerk), '已归档');
  assert.ok((await clerk.textContent('[data-testid=actions]')).includes('本案没有可以进行的操作'));
  const pub = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await pub.goto(`${later}/publicity`);
  assert.ok((await pub.textContent('[data-testid=publicity]')).includes('郑州顺通再生资源回收有限公司'));
  console.log('ok   served, published, paid, closed and archived; an archived file offers no action');
} catch (e) {
  console.error(`FAIL ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  if (second) second.kill();
  await browser.close();
}
