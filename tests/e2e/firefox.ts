/**
 * Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi, with the e2e Firefox build
 * installed as a temporary add-on. Firefox has no --host-resolver-rules: the CRMs' real host names
 * reach the look-alike site through a local HTTPS proxy (CONNECT to our one port), so the
 * manifest's own match patterns decide where the content script runs, as in Chromium.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const FIREFOX_E2E_DIR = resolve(import.meta.dirname, '../../.output/firefox-mv3-e2e');
export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
/** The add-on's id (wxt.config.ts: browser_specific_settings.gecko.id). */
const ADDON_ID = 'leadlens@leadlens.example';
/** Pinned (Firefox draws a random one per profile) so the test knows its pages' URLs. */
const ADDON_UUID = '3c9b1f0e-5d7a-4e21-9a4b-6f2d8c1e7a53';
/** The add-on's origin, for the server's CORS list. */
export const FIREFOX_EXTENSION_ORIGIN = `moz-extension://${ADDON_UUID}`;

/** HTTP proxy whose only verb is CONNECT, tunnelled to the look-alike site whatever host was asked. */
async function startTunnel(sitePort: number): Promise<{ proxy: Server; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const proxy = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  proxy.on('connect', (_req, client: Socket, head) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const upstream = connect(sitePort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  return {
    proxy,
    close: () => new Promise<void>((done) => {
      for (const socket of sockets) socket.destroy();
      proxy.close(() => done());
    }),
  };
}

export interface FirefoxWithExtension {
  browser: Browser;
  /** moz-extension://…/<path> */
  extensionUrl(path: string): string;
  /** Opens one of the extension's pages in a new tab, loaded. */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchFirefox(sitePort: number): Promise<FirefoxWithExtension> {
  if (!existsSync(FIREFOX_PATH)) throw new Error(`No Firefox at ${FIREFOX_PATH}: apt-get install -y firefox-esr, or set FIREFOX_PATH`);
  if (!existsSync(join(FIREFOX_E2E_DIR, 'manifest.json'))) throw new Error(`No Firefox build in ${FIREFOX_E2E_DIR}: run npm run build:e2e`);
  const tunnel = await startTunnel(sitePort);
  const profile = mkdtempSync(join(tmpdir(), 'leadlens-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: profile,
    // As in the Chromium tests: a desktop window, the panel whole on screen.
    defaultViewport: { width: 1440, height: 900 },
    // The look-alike site's certificate is self-signed.
    acceptInsecureCerts: true,
    // Lets WebDriver open moz-extension:// pages (the settings page, the popup) in a tab.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': (tunnel.proxy.address() as AddressInfo).port,
      // The scoring API (plain http on loopback) is reached directly.
      'network.proxy.no_proxies_on': 'localhost, 127.0.0.1',
      'network.proxy.allow_hijacking_localhost': false,
      'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: ADDON_UUID }),
      'intl.locale.requested': 'en-US',
      'intl.accept_languages': 'en-US',
    },
  });
  const installed = await browser.installExtension(FIREFOX_E2E_DIR);
  if (installed !== ADDON_ID) throw new Error(`Installed ${installed}, expected ${ADDON_ID}`);
  const extensionUrl = (path: string) => `moz-extension://${ADDON_UUID}/${path.replace(/^\//, '')}`;
  return {
    browser,
    extensionUrl,
    async openExtensionPage(path) {
      const page = await browser.newPage();
      const url = extensionUrl(path);
      // Firefox loads an extension page in the extension's process: puppeteer's goto never sees it
      // finish loading (it times out), so the test waits for the page itself instead.
      page.goto(url).catch(() => undefined);
      // Polled by hand, not waitForFunction: an evaluation that lands while the page moves into
      // the extension's process can fail inside Firefox's remote agent ("right-hand side of 'in'
      // should be an object, got null"), which ends waitForFunction; here it is asked again.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const loaded = await page.evaluate((href) => location.href === href && document.readyState === 'complete', url).catch(() => false);
        if (loaded) return page;
        if (Date.now() > deadline) throw new Error(`${url} did not finish loading within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await browser.close();
      await tunnel.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
