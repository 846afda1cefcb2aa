// The setup most end-to-end files share: the demo stack (the real server, seeded with the story data), Chromium with the extension, and the
// extension connected through its settings page as a user would.
import { connectThroughOptions, E2E_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser';
import { startDemoStack, type DemoStack } from '../../demo/stack';
import { openAllWeek } from './open-all-week';

/** `openPanel`: the e2e build's test hook, so Playwright's locators reach the panel (closed as shipped). */
export async function startConnected(options: { openPanel?: boolean; lang?: 'en-US' | 'ja' } = {}): Promise<{ stack: DemoStack; browser: ExtensionBrowser }> {
  const stack = await startDemoStack();
  const browser = await launchWithExtension({
    hostRules: stack.site.hostRules, headless: true, extensionDir: E2E_EXTENSION_DIR, openPanelForTests: options.openPanel ?? true, lang: options.lang,
  });
  await openAllWeek(browser, stack.api);
  await (await connectThroughOptions(browser, stack.api.url, stack.token)).close();
  return { stack, browser };
}
