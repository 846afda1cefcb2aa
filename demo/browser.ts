/**
 * Chromium with the built extension loaded, shared by `npm run demo`, the end-to-end tests and
 * the benchmarks. Uses the system Chromium (playwright-core never downloads a browser here) and
 * maps the real CRM host names to the look-alike site, so the manifest's own match patterns are
 * what gets exercised.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { locateChromium } from '../tests/tools/ensure-browsers';
import { TEST_OPEN_PANEL_KEY } from '../utils/test-hooks';

export const EXTENSION_DIR = resolve(import.meta.dirname, '../.output/chrome-mv3');
/** `wxt build --mode e2e`: the same extension plus test-only hooks (utils/test-hooks.ts); never shipped. */
export const E2E_EXTENSION_DIR = resolve(import.meta.dirname, '../.output/chrome-mv3-e2e');

export function findChromium(): string {
  const found = locateChromium();
  if (found && existsSync(found)) return found;
  if (found) throw new Error(`CHROMIUM_PATH=${found} does not exist`);
  throw new Error(
    'No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get update && sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium/Chrome binary.',
  );
}

/**
 * The id Chromium gives an unpacked extension without a manifest key: the SHA-256 of its
 * absolute path, first 16 bytes, each hex digit written as a letter a–p. Known before launch, so
 * the server can be started with the extension's origin in its CORS list; launchWithExtension
 * checks it against the id the browser reports.
 */
export function unpackedExtensionId(dir: string = EXTENSION_DIR): string {
  const absolute = existsSync(dir) ? realpathSync(dir) : resolve(dir);
  const hex = createHash('sha256').update(absolute).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

export const extensionOrigin = (dir: string = EXTENSION_DIR): string => `chrome-extension://${unpackedExtensionId(dir)}`;

export interface LaunchOptions {
  /** --host-resolver-rules value mapping CRM hosts to the look-alike site. */
  hostRules: string;
  headless: boolean;
  extensionDir?: string;
  viewport?: { width: number; height: number };
  /** Keep the profile (for restarts); a fresh temporary one otherwise. */
  userDataDir?: string;
  /** More Chromium switches (benchmarks: a DevTools port to read the worker's heap). */
  extraArgs?: string[];
  /** Browser UI language, which is also the extension's locale. Default en-US. */
  lang?: 'en-US' | 'ja';
  /** e2e builds only: open the panel's shadow root so that Playwright's locators reach into it. */
  openPanelForTests?: boolean;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  worker: Worker;
  userDataDir: string;
  extensionUrl(path: string): string;
  close(): Promise<void>;
}

/** Flags every Chromium run here shares: no sandbox (CI runs as root), no GPU, no background traffic, no first-run UI. */
export const QUIET_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] as const;

/** A plain headless Chromium without the extension (the dashboard tests, the look-alike site's smoke run). */
export function launchHeadless(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: ['--headless=new', ...QUIET_ARGS, ...extraArgs] });
}

/** A Chromium on its own profile directory with the switches every run here uses, plus `extra`. */
function launchProfile(userDataDir: string, options: Omit<LaunchOptions, 'extensionDir' | 'userDataDir' | 'openPanelForTests'>, extra: readonly string[]): Promise<BrowserContext> {
  const args = [
    ...extra,
    `--host-resolver-rules=${options.hostRules}`,
    '--ignore-certificate-errors',
    ...QUIET_ARGS,
    '--no-default-browser-check',
    `--lang=${options.lang ?? 'en-US'}`,
  ];
  if (options.headless) args.unshift('--headless=new');
  args.push(...(options.extraArgs ?? []));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    // Playwright's own headless switch would pick a shell without extensions; --headless=new above.
    headless: false,
    args,
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
    viewport: options.viewport ?? { width: 1440, height: 900 },
    locale: options.lang ?? 'en-US',
    env: { ...process.env, LANGUAGE: (options.lang ?? 'en-US').replace('-', '_') },
  });
}

/**
 * The same kind of browser as launchWithExtension (a profile on disk, the same switches), without
 * the extension: the fair "without" when a benchmark compares page loads.
 */
export async function launchWithoutExtension(options: Omit<LaunchOptions, 'extensionDir' | 'userDataDir' | 'openPanelForTests'>, otherExtensionDir?: string): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'leadlens-plain-profile-'));
  // `otherExtensionDir`: an extension that is not LeadLens (a benchmark's control), loaded as is.
  const extra = otherExtensionDir ? [`--disable-extensions-except=${otherExtensionDir}`, `--load-extension=${otherExtensionDir}`] : [];
  const context = await launchProfile(userDataDir, options, extra);
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function launchWithExtension(options: LaunchOptions): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run \`npm run build\` first`);
  }
  const ownsProfile = !options.userDataDir;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'leadlens-profile-'));
  const context = await launchProfile(userDataDir, options, [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`]);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(worker.url()).host;
  if (options.openPanelForTests) {
    // A production build ignores it (the hook is compiled out there).
    await worker.evaluate((key) => chrome.storage.local.set({ [key]: true }), TEST_OPEN_PANEL_KEY);
  }
  const expected = unpackedExtensionId(extensionDir);
  if (extensionId !== expected) {
    await context.close();
    throw new Error(`Chromium gave the extension id ${extensionId}, not ${expected}: the server's CORS list would not match`);
  }
  return {
    context,
    extensionId,
    worker,
    userDataDir,
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`,
    async close() {
      await context.close();
      if (ownsProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Connect the extension to a scoring API the way a user does: settings page, fields, Save. */
export async function connectThroughOptions(browser: ExtensionBrowser, apiUrl: string, token: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  // Ids, not labels: the demo runs in Japanese too. The e2e tests check the English labels.
  await page.locator('#api-url').fill(apiUrl);
  await page.locator('#api-token').fill(token);
  await page.getByRole('button', { name: /^(Save|保存)$/ }).click();
  await page.getByTestId('connection-result').filter({ hasText: /Saved\.|保存しました/ }).waitFor({ timeout: 15_000 });
  return page;
}
