// Browser test in real Chromium on a 375 px wide phone: the sign-in card, every staff page of
// several roles and every portal page fit the screen (no horizontal scroll); the staff menu folds
// behind its button and opens with it; the public applies and asks for information there.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const base = process.env.FAZHI_URL ?? 'http://127.0.0.1:8080';
const password = process.env.FAZHI_DEMO_PASSWORD ?? 'Fazhi@2026demo';
const WIDTH = 375;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const dir = mkdtempSync(join(tmpdir(), 'fazhi-phone-'));
const pdf = (name) => { const p = join(dir, name); writeFileSync(p, `%PDF-1.4\n% ${name}\n`); return p; };
const phone = () => browser.newContext({
  locale: 'zh-CN', viewport: { width: WIDTH, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
});

const offenders = [];
let checked = 0;
// Whether the page is wider than the screen; if so, which elements stick out.
async function fits(page, label) {
  await page.waitForLoadState('load');
  const r = await page.evaluate((w) => {
    const width = document.documentElement.scrollWidth;
    const wide = [];
    if (width > w) {
      for (const el of document.querySelectorAll('body *')) {
        const b = el.getBoundingClientRect();
        if (b.right > w + 1 && el.children.length === 0) {
          wide.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''} (${Math.round(b.right)} px): ${(el.textContent || '').trim().slice(0, 30)}`);
        }
        if (wide.length >= 5) break;
      }
    }
    return { width, wide };
  }, WIDTH);
  checked += 1;
  if (r.width > WIDTH) {
    offenders.push(`${label} ${page.url().replace(base, '')}: ${r.width} px\n       ${r.wide.join('\n       ')}`);
    console.log(`FAIL ${label}: ${r.width} px wide`);
  } else {
    console.log(`ok   ${label}: ${r.width} px`);
  }
}

async function open(page, path, label) {
  const res = await page.goto(`${base}${path}`);
  assert.ok(res.status() < 500, `${path}: ${res.status()}`);
  await fits(page, label);
}

// The first link on a list page to a record (`/app/cases/12`), opened.
async function firstRecord(page, list, pattern, label) {
  await page.goto(`${base}${list}`);
  const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const href = hrefs.find((h) => pattern.test(h));
  assert.ok(href, `${list} lists a record`);
  await open(page, href, label);
}

async function signIn(user) {
  const page = await (await phone()).newPage();
  await open(page, '/app/login', `${user} 登录页`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/app\/work$/);
  return page;
}

const staffPages = [
  ['/app/work', '我的工作'],
  ['/app/search?q=备案', '全文检索'],
  ['/app/cases', '案件列表'],
  ['/app/cases/leads', '案件线索'],
  ['/app/disclosure', '依申请公开'],
  ['/app/applications', '网上办理'],
  ['/app/powers', '权责清单'],
  ['/app/certificates', '执法证件'],
  ['/app/discretion', '裁量基准'],
  ['/app/orgs', '单位'],
  ['/app/users', '人员'],
  ['/app/procedures', '办理程序'],
  ['/app/calendar', '工作日历'],
  ['/app/cases/stats', '统计'],
  ['/app/audit', '审计链'],
  ['/app/account', '我的账户'],
  ['/app/normative', '规范性文件'],
  ['/app/laws', '法律法规库'],
  ['/app/laws/stale', '引用条文清理清单'],
];

try {
  // Staff: the menu folds on a phone and opens with its button.
  const admin = await signIn('admin');
  assert.equal(await admin.locator('nav.main').isVisible(), false, 'the menu is folded');
  await admin.click('label.menu-button');
  assert.equal(await admin.locator('nav.main').isVisible(), true, 'the button opens the menu');
  const box = await admin.locator('nav.main a').first().boundingBox();
  assert.ok(box.width > 200, `menu entries take the width (${box.width} px), not one character per line`);
  await fits(admin, 'admin 菜单展开');
  console.log('ok   the staff menu folds behind its button');

  const roles = {
    'admin': staffPages,
    'fzc.legal': staffPages.filter(([p]) => p !== '/app/users'),
    'scc.officer1': staffPages.filter(([p]) => !['/app/users', '/app/audit'].includes(p)),
    'js.officer1': [['/app/work', '我的工作'], ['/app/cases', '案件列表'], ['/app/cases/leads', '案件线索']],
    'bgs.clerk': [['/app/work', '我的工作'], ['/app/disclosure', '依申请公开']],
  };
  for (const [user, pages] of Object.entries(roles)) {
    const page = user === 'admin' ? admin : await signIn(user);
    for (const [path, label] of pages) await open(page, path, `${user} ${label}`);
  }
  const legal = await signIn('fzc.legal');
  await firstRecord(legal, '/app/cases', /^\/app\/cases\/\d+$/, 'fzc.legal 案件记录');
  await firstRecord(legal, '/app/cases/leads', /^\/app\/cases\/leads\/\d+$/, 'fzc.legal 线索记录');
  await firstRecord(legal, '/app/powers', /^\/app\/powers\/[A-Z]/, 'fzc.legal 权力事项');
  await firstRecord(legal, '/app/certificates', /^\/app\/certificates\/\d+$/, 'fzc.legal 执法证件记录');
  await firstRecord(legal, '/app/discretion', /^\/app\/discretion\/[A-Z]/, 'fzc.legal 裁量基准');
  await firstRecord(legal, '/app/procedures', /^\/app\/procedures\/[a-z]/, 'fzc.legal 办理程序');
  await firstRecord(legal, '/app/normative', /^\/app\/normative\/\d+$/, 'fzc.legal 规范性文件');
  for (const [path, label] of [['/app/normative/cleanup', '规范性文件清理'], ['/app/normative/import', '导入文件文本']]) {
    await open(legal, path, `fzc.legal ${label}`);
  }
  const drafter = await signIn('scc.officer1');
  await open(drafter, '/app/normative/new', 'scc.officer1 登记起草');
  await firstRecord(drafter, '/app/normative?stage=filed', /^\/app\/normative\/\d+$/, 'scc.officer1 已备案文件');
  const compare = await drafter.locator('a[href*="/compare?"]').first().getAttribute('href');
  await open(drafter, compare, 'scc.officer1 稿本对照');
  const clerk = await signIn('bgs.clerk');
  await firstRecord(clerk, '/app/disclosure', /^\/app\/disclosure\/\d+$/, 'bgs.clerk 公开申请记录');
  for (const [path, label] of [['/app/cases/filings', '重大处罚备案'], ['/app/cases/evaluations', '案卷评查'], ['/app/cases/new', '提请立案']]) {
    await open(legal, path, `fzc.legal ${label}`);
  }

  // The portal, as the public uses it on a phone.
  const pub = await (await phone()).newPage();
  for (const [path, label] of [
    ['/', '门户首页'], ['/search?q=备案', '全文检索'], ['/powers', '权责清单'], ['/powers?apply=1', '网上办理事项'], ['/publicity', '行政处罚决定公示'],
    ['/results', '办理结果公开'], ['/discretion', '裁量基准'], ['/disclosure', '政府信息公开申请'],
    ['/disclosure/status', '公开申请进度查询'], ['/apply/status', '网上办理进度查询'], ['/cases/status', '案件查询'],
    ['/cases/status?no=金水商务立(2026)1号&code=ABCDEFGH', '案件查询（未找到）'], ['/audit/checkpoints', '审计检查点'],
    ['/normative', '规范性文件库'], ['/normative/comments', '公开征求意见'], ['/laws', '法律法规库'],
  ]) await open(pub, path, `门户 ${label}`);
  await firstRecord(pub, '/normative', /^\/normative\/\d+/, '门户 规范性文件');
  await firstRecord(pub, '/laws', /^\/laws\/\d+/, '门户 法律法规');
  await firstRecord(legal, '/app/laws', /^\/app\/laws\/\d+/, 'fzc.legal 法律法规');
  await open(legal, '/app/laws/import', 'fzc.legal 导入法律法规');
  await firstRecord(pub, '/normative/comments', /^\/normative\/comments\/\d+$/, '门户 征求意见稿');
  await pub.goto(`${base}/powers?q=拍卖企业设立`);
  await pub.click('text=拍卖企业设立审核');
  await fits(pub, '门户 权力事项');
  await pub.click('[data-testid=apply-link]');
  await fits(pub, '门户 网上申请');
  // An incomplete form comes back (with its errors and the kept file) and still fits.
  await pub.fill('input[name=requester_name]', '郑州中原拍卖有限公司');
  await pub.fill('input[name=requester_id_no]', '91410105MA44XK7P0F');
  await pub.fill('input[name=contact]', '0371-66660000');
  await pub.fill('textarea[name=statement]', '申请设立拍卖企业');
  await pub.setInputFiles('input[name=m0]', pdf('申请书.pdf'));
  await pub.click('form[data-testid=apply] button[type=submit]');
  assert.ok((await pub.textContent('[data-testid=error]')).includes('还缺少必需的申请材料'));
  await fits(pub, '门户 网上申请（材料不齐）');
  const files = pub.locator('form[data-testid=apply] input[type=file]');
  for (let i = 1; i < await files.count(); i++) await files.nth(i).setInputFiles(pdf(`材料${i}.pdf`));
  await pub.click('form[data-testid=apply] button[type=submit]');
  await fits(pub, '门户 申请已提交');
  await pub.click('[data-testid=receipt-link]');
  assert.ok((await pub.textContent('[data-testid=tracking-no]')).trim().length > 0);
  await fits(pub, '门户 网上申请回执');
  const appNo = (await pub.textContent('[data-testid=tracking-no]')).trim();
  const appCode = (await pub.textContent('[data-testid=query-code]')).trim();
  await open(pub, `/apply/status?no=${appNo}&code=${appCode}`, '门户 网上办理进度');

  await pub.goto(`${base}/disclosure`);
  await pub.selectOption('select[name=org_id]', { index: 1 });
  await pub.selectOption('select[name=requester_kind]', 'person');
  await pub.fill('input[name=requester_name]', '李华');
  await pub.fill('input[name=requester_id_no]', '11010519491231002X');
  await pub.fill('input[name=contact]', '13800000000');
  await pub.fill('textarea[name=description]', '2025 年单用途预付卡备案企业名单');
  await pub.locator('form button[type=submit]').last().click();
  await pub.waitForLoadState('load');
  await fits(pub, '门户 公开申请已提交');
  const no = (await pub.textContent('[data-testid=tracking-no]')).trim();
  const code = (await pub.textContent('[data-testid=query-code]')).trim();
  await open(pub, `/disclosure/status?no=${no}&code=${code}`, '门户 公开申请进度');
  await open(pub, `/disclosure/receipt?no=${no}&code=${code}`, '门户 公开申请回执');

  // Staff handle the application just made.
  const smfw = await signIn('smfw.officer');
  await open(smfw, '/app/applications/stats', 'smfw.officer 办理情况统计');
  await open(smfw, '/app/applications/new', 'smfw.officer 窗口登记申请');
  await firstRecord(smfw, '/app/applications', /^\/app\/applications\/\d+$/, 'smfw.officer 申请记录');
} catch (e) {
  offenders.push(`error: ${e.stack ?? e.message}`);
  console.log(`FAIL ${e.message}`);
} finally {
  await browser.close();
}

if (offenders.length > 0) {
  console.log(`\n${offenders.length} of ${checked} pages are wider than ${WIDTH} px (or failed):\n  ${offenders.join('\n  ')}`);
  process.exit(1);
}
console.log(`ok   all ${checked} pages fit ${WIDTH} px`);
