/**
 * The manager's web app in real Chromium (playwright-core), served by Fastify with the dashboard
 * plugin over the in-memory repository and the seeded team: sign in, the two-hour table against
 * numbers counted here from the seed, reassign, threshold preview, CSV export parsed back,
 * language switch; screenshots of every screen at 1280×800 in ja and en, checked for horizontal
 * overflow and for English left in the Japanese UI.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { launchHeadless } from '../../demo/browser';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardPlugin } from '../../server/dashboard/plugin';
import type { PreviewLead } from '../../server/dashboard/repo';
import type { TeamRules } from '../../server/dashboard/rules';
import { buildDashboard } from '../../server/dashboard/web/build';
import { MemoryRepo, NOW, TOKENS, seedTeam } from '../fixtures/dashboard-memory-repo';

const ARTIFACTS = process.env.LEADLENS_ARTIFACTS ?? '/work/artifacts/dashboard';
const SCREENS = ['response', 'waiting', 'voc', 'rules', 'users'] as const;

let app: FastifyInstance;
let repo: MemoryRepo;
let browser: Browser;
let base = '';

const isHot = (lead: PreviewLead, rules: TeamRules): boolean => {
  const d = lead.data as { score: number; channel?: string };
  return d.score >= ((d.channel !== undefined ? rules.channelHotThresholds[d.channel] : undefined) ?? rules.hotThreshold);
};

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const staticDir = await buildDashboard(join(tmpdir(), `leadlens-dashboard-${process.pid}`));
  repo = new MemoryRepo();
  seedTeam(repo);
  app = Fastify();
  await app.register(dashboardPlugin, { repo, isHot, clock: () => NOW, staticDir });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchHeadless();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signedIn(locale: 'ja-JP' | 'en-US', token: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${base}/app/`);
  await page.getByTestId('token').fill(token);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('who').waitFor();
  return page;
}

/** Two-hour numbers per rep for the week, counted straight from the seed: first call after the need, within 120 minutes. */
function expectedWeek(team: string): Map<string, { needs: number; inWindow: number }> {
  const out = new Map<string, { needs: number; inWindow: number }>();
  for (const lead of repo.leads.filter((l) => l.team === team && l.ownerId)) {
    for (const need of lead.needs) {
      const at = Date.parse(need.at);
      const first = repo.calls_.filter((c) => c.leadId === lead.id && Date.parse(c.at) >= at && Date.parse(c.at) <= NOW).map((c) => Date.parse(c.at)).sort((a, b) => a - b)[0];
      const row = out.get(lead.ownerId ?? '') ?? { needs: 0, inWindow: 0 };
      row.needs++;
      if (first !== undefined && first - at <= 120 * 60_000) row.inWindow++;
      out.set(lead.ownerId ?? '', row);
    }
  }
  return out;
}

async function checkLayout(page: Page, name: string, japanese: boolean): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
  const overflow = await page.evaluate(() => {
    const wide = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > document.documentElement.clientWidth + 1 || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && el.tagName !== 'svg' && el.clientWidth > 0);
    }).map((el) => `${el.tagName}.${el.className}`);
    return { page: document.documentElement.scrollWidth > document.documentElement.clientWidth, wide: wide.slice(0, 5) };
  });
  expect(overflow, name).toEqual({ page: false, wide: [] });
  if (japanese) {
    // UI text only: data cells (names, notes, emails, channel keys, periods) come from the seed.
    const text = await page.evaluate(() => {
      const clone = document.body.cloneNode(true) as HTMLElement;
      clone.querySelectorAll('td, code, input, textarea, option, .sub').forEach((el) => el.remove());
      return clone.innerText.replace(/https?:\/\/\S+/g, '');
    });
    const english = (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['LeadLens', 'API', 'CRM', 'CSV', 'URL', 'CC', 'SMS', 'LINE', 'YYYY', 'MM', 'DD', 'pt', 'web', 'seminar'].includes(w));
    expect(english, `${name}: English in the Japanese UI`).toEqual([]);
  }
}

describe('manager dashboard in Chromium', () => {
  it('shows the two-hour table matching the seed, per rep', async () => {
    const page = await signedIn('ja-JP', TOKENS.mgr);
    await page.getByTestId('response-table').waitFor();
    const rows = await page.$$eval('[data-testid=response-table] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const expected = expectedWeek('A');
    for (const [rep, { needs, inWindow }] of expected) {
      const name = repo.users_.find((u) => u.id === rep)?.name ?? rep;
      const row = rows.find((r) => r[1] === name);
      expect(row, name).toBeDefined();
      expect(Number(row?.[2]), `${name} needs`).toBe(needs);
      expect(Number(row?.[3]), `${name} in window`).toBe(inWindow);
    }
    // The missed list of rep1 opens on click and links to the CRM record.
    await page.getByTestId('rep-rep1').click();
    const missed = page.getByTestId('missed');
    await missed.waitFor();
    expect(await missed.locator('a').first().getAttribute('href')).toBe('https://acme.cybozu.com/k/12/show#record=2');
    await page.context().close();
  });

  it('reassigns a waiting lead', async () => {
    const page = await signedIn('ja-JP', TOKENS.mgr);
    await page.getByTestId('nav-waiting').click();
    const row = page.getByTestId('waiting-L4');
    await row.waitFor();
    expect(await row.getByTestId('owner').textContent()).toBe('鈴木');
    await row.getByTestId('reassign-to').selectOption('rep1');
    await row.getByTestId('reassign').click();
    await page.getByTestId('notice').waitFor();
    await expect.poll(() => row.getByTestId('owner').textContent()).toBe('田中');
    expect(repo.leads.find((l) => l.id === 'L4')?.ownerId).toBe('rep1');
    // Put it back for the other tests.
    repo.leads.find((l) => l.id === 'L4')!.ownerId = 'rep2';
    await page.context().close();
  });

  it('previews a threshold change before saving', async () => {
    const page = await signedIn('en-US', TOKENS.mgr);
    await page.getByTestId('nav-rules').click();
    await page.getByTestId('hot-threshold').fill('60');
    await page.getByTestId('preview').click();
    const result = page.getByTestId('preview-result');
    await result.waitFor();
    // Team A scores 80, 65, 40, 90, 75 (seminar channel has no own threshold yet): hot at 70 → 3, at 60 → 4.
    expect(await result.locator('.big').textContent()).toBe('With these rules, 4 leads would be hot now (1 more, 0 fewer).');
    await page.getByTestId('save-rules').click();
    await page.getByTestId('audit').getByText('Version 1').waitFor();
    await page.context().close();
  });

  it('exports the VOC CSV and it parses', async () => {
    const page = await signedIn('ja-JP', TOKENS.mgr);
    await page.getByTestId('nav-voc').click();
    await page.getByTestId('voc-calls').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['日時', '担当', 'リード', '結果', '失注理由', 'メモ']);
    expect(rows).toHaveLength(1 + repo.calls_.filter((c) => repo.leads.find((l) => l.id === c.leadId)?.team === 'A').length);
    await page.context().close();
  });

  it('a rep sees only their own screens and numbers', async () => {
    const page = await signedIn('ja-JP', TOKENS.rep1);
    await page.getByTestId('response-table').waitFor();
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    const names = await page.$$eval('[data-testid=response-table] tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent));
    expect([...new Set(names)]).toEqual(['田中']);
    await page.context().close();
  });

  for (const [locale, tag] of [['ja-JP', 'ja'], ['en-US', 'en']] as const) {
    it(`every screen at 1280×800 in ${tag}: no overflow${tag === 'ja' ? ', no English' : ''}`, async () => {
      const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${base}/app/`);
      await page.getByTestId('token').waitFor();
      await checkLayout(page, `${tag}-signin`, tag === 'ja');
      await page.getByTestId('token').fill(TOKENS.mgr);
      await page.getByTestId('sign-in').click();
      for (const screen of SCREENS) {
        await page.getByTestId(`nav-${screen}`).click();
        await page.locator('.screen h2').first().waitFor();
        await page.waitForLoadState('networkidle');
        if (screen === 'response') await page.getByTestId('chart').locator('canvas').waitFor();
        if (screen === 'users') {
          await page.getByTestId('issue-rep1').click();
          await page.getByTestId('issued').waitFor();
        }
        await checkLayout(page, `${tag}-${screen}`, tag === 'ja');
      }
      await context.close();
    });
  }
});
