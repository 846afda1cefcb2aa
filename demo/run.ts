/**
 * `npm run demo` — the main job: build the extension, start the LeadLens server (in memory) fed
 * with the story data through its ingest API, the CRM look-alike site, launch Chromium with the
 * extension connected as the demo rep, and open a hot lead's Salesforce record. With a display it keeps the window open until Ctrl-C; without
 * one (or with --headless) it writes screenshots of the record with its panel, the popup and the
 * settings page, prints their paths and exits 0.
 *
 *   npm run demo [-- --headless] [--out demo-out] [--lang en|ja] [--api-port 8787] [--no-build]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectThroughOptions, launchWithExtension } from './browser';
import { probePanel } from './panel-probe';
import { startDemoStack } from './stack';
import { ensureBrowsers } from '../tests/tools/ensure-browsers';

const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    out: { type: 'string', default: 'demo-out' },
    lang: { type: 'string', default: 'en' },
    'api-port': { type: 'string', default: '8787' },
    'no-build': { type: 'boolean', default: false },
  },
});

const headless = values.headless || !process.env.DISPLAY;

try {
  ensureBrowsers(['chromium', 'japanese-font']);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const lang = values.lang === 'ja' ? 'ja' : 'en-US';
const root = resolve(import.meta.dirname, '..');

if (!values['no-build']) {
  console.log('Building the extension…');
  execFileSync('npx', ['wxt', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

const started = performance.now();
const stack = await startDemoStack({ apiPort: Number(values['api-port']) });
const hot = stack.featured.hotNow;
const almost = stack.featured.almostHot;
console.log(`LeadLens server: ${stack.api.url} (${stack.dataset.leads.length} story leads seeded through the ingest API in ${stack.api.seedMs} ms)`);
console.log(`Demo rep token: ${stack.token}`);
console.log(`CRM look-alike site on port ${stack.site.port}`);

const browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless, lang });
const shutdown = async () => {
  await browser.close().catch(() => undefined);
  await stack.close().catch(() => undefined);
};

try {
  const options = await connectThroughOptions(browser, stack.api.url, stack.token);
  const record = await browser.context.newPage();
  const recordUrl = stack.recordUrl(hot);
  await record.goto(recordUrl);
  // The panel's shadow root is closed (the page cannot read it): DevTools' view of it.
  const panel = await probePanel(record);
  await panel.waitFor('[data-testid=lead-score]');
  // The detail (why, timeline, next action) follows the cached summary within a moment.
  await panel.waitFor('.breakdown');
  console.log(`Hot lead's panel shown ${Math.round(performance.now() - started)} ms after the stack started`);

  if (headless) {
    const out = resolve(root, values.out);
    mkdirSync(out, { recursive: true });
    const shots: string[] = [];
    const shoot = async (page: typeof record, name: string) => {
      const path = resolve(out, name);
      await page.screenshot({ path });
      shots.push(path);
    };
    await shoot(record, 'record-with-panel.png');
    await panel.scrollIntoView('.breakdown');
    await shoot(record, 'record-with-panel-why-and-timeline.png');
    // The popup shows the cache: open it once the first sync has stored the whole snapshot.
    await options.waitForFunction(firstSyncDone, undefined, { timeout: 60_000, polling: 250 });
    const popup = await browser.context.newPage();
    await popup.goto(browser.extensionUrl('popup.html'));
    await popup.getByTestId('popup-status').filter({ hasNotText: /^…$/ }).waitFor();
    await popup.getByTestId('popup-rate').waitFor();
    // Chrome sizes a popup to its content (at most 800 × 600): shoot it at that size, not a guess.
    const size = await popup.locator('main.popup').evaluate((main) => {
      const box = main.getBoundingClientRect();
      return { width: Math.ceil(box.width), height: Math.min(600, Math.ceil(main.scrollHeight)) };
    });
    await popup.setViewportSize(size);
    await shoot(popup, 'popup.png');
    await options.bringToFront();
    await options.reload();
    await shoot(options, 'options.png');
    console.log(`Record: ${recordUrl}`);
    console.log('Screenshots:');
    for (const path of shots) console.log(`  ${path}`);
    await shutdown();
    process.exit(0);
  }

  await record.bringToFront();
  console.log(`\nOpened ${recordUrl}`);
  console.log('Make a warm lead hot while this runs:');
  const event = { id: `demo-live-${Date.now()}`, lead: { email: stack.profile(almost)?.email }, type: 'seminar_attended', at: new Date().toISOString(), title: 'kintone活用セミナー' };
  console.log(`  curl -X POST ${stack.api.url}/v1/ingest/events -H 'Authorization: Bearer ${stack.api.ingestToken}' -H 'Content-Type: application/json' \\`);
  console.log(`    -d '${JSON.stringify({ events: [event] })}'`);
  console.log(`  then open ${stack.recordUrl(almost)}`);
  console.log('Ctrl-C to stop.');
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    browser.context.once('close', () => done());
  });
  await shutdown();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await shutdown();
  process.exit(1);
}

/**
 * Runs in the settings page: the background's sync state in IndexedDB says the first snapshot is
 * complete and the last pass succeeded. Read-only (a missing database is not created).
 */
async function firstSyncDone(): Promise<boolean> {
  const db = await new Promise<IDBDatabase | undefined>((resolve) => {
    const open = indexedDB.open('leadlens');
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => resolve(undefined);
  });
  if (!db?.objectStoreNames.contains('syncState')) return false;
  try {
    const request = db.transaction('syncState', 'readonly').objectStore('syncState').get('main');
    const state = await new Promise<{ snapshotComplete?: boolean; status?: string } | undefined>((resolve) => {
      request.onsuccess = () => resolve(request.result as { snapshotComplete?: boolean; status?: string } | undefined);
      request.onerror = () => resolve(undefined);
    });
    return state?.snapshotComplete === true && state.status === 'ok';
  } finally {
    db.close();
  }
}
