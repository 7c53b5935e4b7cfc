// Browser test in real Chromium: a company applies on the portal for an item of the power list
// that is open for online handling; a form without its required materials is refused naming
// them and keeps the file already given; staff ask once for clearer materials; the company
// supplies them; staff accept, review and decide; the decision date skips holidays; the company
// follows each step by tracking number; the result is published.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const base = process.env.FAZHI_URL;
const password = process.env.FAZHI_DEMO_PASSWORD ?? 'Fazhi@2026demo';
const due15 = process.env.EXPECT_DUE_15; // `fazhi calendar due --from <today> --days 15 --working`
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const dir = mkdtempSync(join(tmpdir(), 'fazhi-e2e-'));
const pdf = (name) => { const p = join(dir, name); writeFileSync(p, '%PDF-1.4\n% e2e material\n'); return p; };

async function staff(user) {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await page.goto(`${base}/app/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/app\/work$/);
  return page;
}

async function act(page, action, fill = {}) {
  const form = page.locator(`form[data-action=${action}]`);
  for (const [name, value] of Object.entries(fill)) await form.locator(`[name=${name}]`).fill(value);
  await Promise.all([page.waitForLoadState('load'), form.locator('button[type=submit]').click()]);
  // An irreversible step shows what it will issue first; the second submit takes it.
  if (await page.locator('[data-testid=confirm]').count()) {
    assert.ok(await page.locator('[data-testid=confirm-title]').count(), 'the confirmation names the action');
    await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=confirm]')]);
  }
}

const stage = async (page) => (await page.textContent('[data-testid=stage]')).trim();

try {
  // 1. The company finds the item on the portal's power list and applies without its licence.
  const pub = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await pub.goto(`${base}/powers?q=拍卖企业设立`);
  await pub.click('text=拍卖企业设立审核');
  await pub.click('[data-testid=apply-link]');
  await pub.selectOption('select[name=requester_kind]', 'org');
  await pub.fill('input[name=requester_name]', '郑州中原拍卖有限公司');
  await pub.fill('input[name=requester_id_no]', '91410105MA44XK7P0F');
  await pub.fill('input[name=contact]', '0371-66660000');
  await pub.fill('textarea[name=statement]', '申请设立拍卖企业，注册资本 200 万元');
  await pub.setInputFiles('input[name=m0]', pdf('申请书.pdf'));
  await pub.click('form[data-testid=apply] button[type=submit]');
  // Refused before anything is recorded: the missing required materials are named; the letter is kept.
  const refusal = await pub.textContent('[data-testid=error]');
  assert.ok(refusal.includes('还缺少必需的申请材料') && refusal.includes('第三十二条'), refusal);
  assert.ok((await pub.textContent('[data-testid=kept]')).includes('申请书.pdf'));
  const files = pub.locator('form[data-testid=apply] input[type=file]');
  for (let i = 1; i < await files.count(); i++) await files.nth(i).setInputFiles(pdf(`材料${i}.pdf`));
  await pub.click('form[data-testid=apply] button[type=submit]');
  const no = (await pub.textContent('[data-testid=tracking-no]')).trim();
  const code = (await pub.textContent('[data-testid=query-code]')).trim();
  const status = `${base}/apply/status?no=${no}&code=${code}`;
  console.log(`ok   applied ${no}`);

  // 2. Staff find the materials unclear and ask for them again, once.
  const officer = await staff('smfw.officer');
  await officer.goto(`${base}/app/applications`);
  await officer.click(`text=${no}`);
  await act(officer, 'request_supplement', { text: '请补交清晰的营业执照副本、拍卖师执业资格证书和经营场所证明' });
  assert.equal(await stage(officer), '待申请人补正材料');
  console.log('ok   incomplete form refused naming the materials, file kept; supplement asked for');

  // 3. The company supplies the materials on the portal.
  await pub.goto(status);
  assert.equal(await stage(pub), '待申请人补正材料');
  const inputs = pub.locator('form[data-testid=supplement] input[type=file]');
  for (let i = 0; i < await inputs.count(); i++) await inputs.nth(i).setInputFiles(pdf(`材料${i}.pdf`));
  await pub.click('form[data-testid=supplement] button[type=submit]');
  assert.equal(await stage(pub), '已提交，待受理审查');
  console.log('ok   materials supplied on the portal');

  // 4. Staff accept (the decision is due in 15 working days, holidays skipped), review; the head decides.
  await officer.reload();
  await act(officer, 'accept');
  const due = (await officer.locator('[data-testid=limits] tr', { hasText: '审查决定期限' }).locator('td').nth(1).textContent()).trim();
  assert.ok(due.startsWith(due15), `decision due ${due}, expected ${due15}`);
  await act(officer, 'record_review', { text: '材料齐全，符合拍卖法第十二条规定的条件' });
  assert.ok((await officer.textContent('[data-action=approve] .why')).includes('需要以下角色之一'));
  const head = await staff('smfw.head');
  await head.goto(`${base}/app/applications`);
  await head.click(`text=${no}`);
  await act(head, 'approve', { text: '准予设立郑州中原拍卖有限公司' });
  assert.equal(await stage(head), '准予许可，待制发证件');
  await officer.reload();
  await act(officer, 'issue_certificate', { text: '郑商拍〔2026〕1号' });
  assert.equal(await stage(officer), '已办结，证件已送达');
  console.log(`ok   accepted, decision due ${due15}, approved and certified`);

  // 5. The company sees every step; the result is published.
  await pub.goto(status);
  assert.equal(await stage(pub), '已办结，证件已送达');
  const steps = (await pub.locator('[data-testid=steps] tbody tr td:nth-child(2)').allTextContents()).map((s) => s.trim());
  assert.deepEqual(steps, ['提交申请', '一次性告知补正材料', '登记申请人补正材料', '受理', '填写审查意见', '作出准予许可决定', '制发并送达证件']);
  await pub.goto(`${base}/results`);
  const results = await pub.textContent('[data-testid=results]');
  assert.ok(results.includes('郑州中原拍卖有限公司') && results.includes('准予许可') && results.includes('郑商拍〔2026〕1号'));
  console.log('ok   the company sees each step; the result is published');
  console.log('browser application test passed');
} catch (e) {
  console.log(`FAIL ${e.stack}`);
  await browser.close();
  process.exit(1);
}
await browser.close();
