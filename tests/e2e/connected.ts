// The setup most end-to-end files share: the demo stack, Chromium with the extension, and the
// extension connected through its settings page as a user would.
import { connectThroughOptions, launchWithExtension, type ExtensionBrowser } from '../../demo/browser';
import { DEMO_TOKEN, startDemoStack, type DemoStack } from '../../demo/stack';

export async function startConnected(): Promise<{ stack: DemoStack; browser: ExtensionBrowser }> {
  const stack = await startDemoStack({ api: { rescoreMs: 0 } });
  const browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true });
  await (await connectThroughOptions(browser, stack.api.url, DEMO_TOKEN)).close();
  return { stack, browser };
}
