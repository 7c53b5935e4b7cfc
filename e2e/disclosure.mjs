// Browser test in real Chromium: a request for government information is submitted on the
// portal, clarified, extended and answered in the staff UI; the due dates are the ones the
// calendar gives, the reminder and the overdue alert reach 我的工作, refused steps show why,
// and the requester follows each step by tracking number.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const base = process.env.FAZHI_URL;
const bin = process.env.FAZHI_BIN;
const data = process.env.FAZHI_DATA;
const password = process.env.FAZHI_DEMO_PASSWORD ?? 'Fazhi@2026demo';
const due20 = process.env.EXPECT_DUE_20; // `fazhi calendar due --from <today> --days 20 --working`
const due40 = process.env.EXPECT_DUE_40; // … with the 20-working-day extension (art. 33)
const fazhi = (...args) => execFileSync(bin, ['--data-dir', data, ...args], { encoding: 'utf8' });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function staff(user) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${base}/app/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/app\/work$/);
  return { context, page };
}

async function act(page, action, fill = {}) {
  const form = page.locator(`form[data-action=${action}]`);
  for (const [name, value] of Object.entries(fill)) {
    const field = form.locator(`[name=${name}]`);
    if (name === 'choice') await field.selectOption(value); else await field.fill(value);
  }
  await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
  // An irreversible step shows what it will issue first; the second submit takes it.
  if (await page.locator('[data-testid=confirm]').count()) {
    assert.ok(await page.locator('[data-testid=confirm-title]').count(), 'the confirmation names the action');
    await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=confirm]')]);
  }
}

const answerDue = async (page) => (await page.locator('[data-testid=limits] tr', { hasText: '答复期限' }).locator('td').nth(1).textContent()).trim();

try {
  // 1. The public applies on the portal.
  const pub = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await pub.goto(`${base}/disclosure`);
  await pub.selectOption('select[name=org_id]', { label: '金水区商务局' });
  await pub.selectOption('select[name=requester_kind]', 'person');
  await pub.fill('input[name=requester_name]', '李四');
  await pub.fill('input[name=requester_id_no]', '11010519491231002X');
  await pub.fill('input[name=contact]', '13800000000');
  await pub.fill('textarea[name=description]', '2025 年度金水区单用途商业预付卡备案企业名单');
  await pub.click('button[type=submit]');
  const no = (await pub.textContent('[data-testid=tracking-no]')).trim();
  const code = (await pub.textContent('[data-testid=query-code]')).trim();
  const status = `${base}/disclosure/status?no=${no}&code=${code}`;
  await pub.goto(status);
  assert.equal((await pub.textContent('[data-testid=stage]')).trim(), '已收到申请，办理中');
  assert.ok((await pub.textContent('[data-testid=due]')).startsWith(due20), 'the portal shows the 20-working-day answer date');
  console.log(`ok   submitted ${no}, answer due ${due20}`);

  // 2. The clerk asks once for clarification; the extension is refused for a clerk, with why.
  const clerk = await staff('js.clerk');
  await clerk.page.goto(`${base}/app/disclosure`);
  await clerk.page.click(`text=${no}`);
  assert.ok((await answerDue(clerk.page)).startsWith(due20));
  const why = await clerk.page.textContent('[data-action=extend] .why');
  assert.ok(why.includes('需要以下角色之一：处室负责人、局领导'), why);
  await act(clerk.page, 'request_clarification', { text: '请写明所需名单的年度和发卡企业类型' });
  assert.equal((await clerk.page.textContent('[data-testid=stage]')).trim(), '待申请人补正');
  console.log('ok   clarification requested; extension refused to the clerk with its reason');

  // 3. The requester supplies the clarification on the portal.
  await pub.goto(status);
  assert.equal((await pub.textContent('[data-testid=stage]')).trim(), '待申请人补正');
  await pub.fill('form[data-testid=clarify] textarea[name=text]', '2025 年度，全部发卡企业');
  await pub.click('form[data-testid=clarify] button[type=submit]');
  assert.equal((await pub.textContent('[data-testid=stage]')).trim(), '已收到申请，办理中');
  console.log('ok   clarification supplied on the portal');

  // 4. The leader extends the answer period (+20 working days, art. 33).
  const leader = await staff('js.leader');
  await leader.page.goto(`${base}/app/disclosure`);
  await leader.page.click(`text=${no}`);
  await act(leader.page, 'extend', { text: '需汇总各执法队数据' });
  assert.ok((await answerDue(leader.page)).startsWith(due40), `answer due after extension should be ${due40}`);
  const again = await leader.page.textContent('[data-action=extend] .why');
  assert.ok(again.includes('答复期限已经延长过'), again);
  console.log(`ok   extended; answer due ${due40}; a second extension is refused`);

  // 5. The sweep raises the reminder on the due date and the alert the day after.
  const dueDate = due40.slice(0, 10);
  fazhi('limits', 'sweep', '--today', dueDate);
  const next = new Date(`${dueDate}T00:00:00Z`); next.setUTCDate(next.getUTCDate() + 1);
  fazhi('limits', 'sweep', '--today', next.toISOString().slice(0, 10));
  await leader.page.goto(`${base}/app/work`);
  const alerts = await leader.page.textContent('[data-testid=notices]');
  assert.ok(alerts.includes('到期提醒') && alerts.includes('逾期预警') && alerts.includes('答复期限'), alerts);
  console.log('ok   reminder and overdue alert on 我的工作');

  // 6. The clerk drafts; the answer is refused until then; the leader signs it.
  await leader.page.goto(`${base}/app/disclosure`);
  await leader.page.click(`text=${no}`);
  assert.ok((await leader.page.textContent('[data-action=answer] .why')).includes('缺少答复书（拟稿）'));
  await clerk.page.reload();
  await act(clerk.page, 'draft_answer', { choice: 'disclose', text: '所申请名单共 37 家企业，见附件。' });
  await leader.page.reload();
  await act(leader.page, 'answer');
  assert.equal((await leader.page.textContent('[data-testid=stage]')).trim(), '已答复');
  console.log('ok   drafted and answered');

  // 7. The requester sees every step.
  await pub.goto(status);
  assert.equal((await pub.textContent('[data-testid=stage]')).trim(), '已答复');
  assert.ok((await pub.textContent('[data-testid=answer]')).includes('予以公开'));
  const steps = await pub.locator('[data-testid=steps] tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(steps.map((s) => s.trim()), ['提交申请', '一次性告知补正', '登记申请人补正', '延长答复期限（20 个工作日）', '拟写答复书', '签发答复']);
  console.log('ok   the requester sees each step');
  console.log('browser disclosure test passed');
} catch (e) {
  console.log(`FAIL ${e.stack}`);
  await browser.close();
  process.exit(1);
}
await browser.close();
