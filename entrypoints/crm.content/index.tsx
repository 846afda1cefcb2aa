import { signal, type Signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { LeadPanel } from '@/components/LeadPanel';
import '@/components/panel.css';
import { PanelController } from '@/utils/content/panel-controller';
import { CONTENT_MATCHES, detectRecord } from '@/utils/crm/registry';
import { detectCustom } from '@/utils/crm/custom';
import { ask, isLeadPush } from '@/utils/messaging';
import type { LookupKey } from '@/utils/messaging-schema';
import { applyLanguage } from '@/utils/i18n';
import { TEST_OPEN_PANEL_KEY } from '@/utils/test-hooks';
import { readCustomRules, readEmail } from '@/utils/content/custom-rules';
import { createShadowHost } from '@/utils/content/shadow-host';

export default defineContentScript({
  matches: CONTENT_MATCHES,
  // document_end: the panel only needs <body>; waiting for idle (after load) cost tens of ms.
  runAt: 'document_end',
  cssInjectionMode: 'ui',
  // Don't announce ourselves to the page: the announcement names the event that stops us.
  noScriptStartedPostMessage: true,
  main(ctx) {
    // WXT stops an older copy of this script when a newer one starts, through a DOM event any
    // page script can forge. A real newer copy only comes after an extension update, which
    // orphans this one (runtime.id gone); while we are current, the page cannot switch us off.
    ctx.addEventListener(window, `${browser.runtime.id}:crm:wxt:content-script-started`, (event: Event) => {
      if (browser.runtime?.id) event.stopImmediatePropagation();
    }, { capture: true });
    const controller = new PanelController(browser.runtime, {
      setTimeout: (callback, ms) => ctx.setTimeout(callback, ms),
      clearTimeout: (id) => clearTimeout(id),
    });
    const collapsed = signal(false);
    const toggle = () => {
      collapsed.value = !collapsed.value;
      void ask(browser.runtime, { type: 'setCollapsed', collapsed: collapsed.value }).catch(() => undefined);
    };
    // One clock for every countdown in the panel ("1 h 23 min left", "2 h ago").
    const now = signal(Date.now());
    ctx.setInterval(() => { now.value = Date.now(); }, 30_000);

    // Built once, on the first record, while that record's lookup is already on its way.
    let ui: ReturnType<typeof mountPanel> | undefined;
    // The rep's settings come from the background: this script reads no extension storage.
    const prefs = () => ask(browser.runtime, { type: 'panelPrefs' }).catch(() => ({ collapsed: false, language: 'auto' as const }));
    const panel = () => (ui ??= Promise.all([
      prefs().then(async (value) => { await applyLanguage(value.language); return value.collapsed; }),
      mountPanel(ctx, controller, collapsed, now, toggle),
    ]).then(([value, created]) => {
      // Known before the UI is mounted (and rendered): both start together.
      collapsed.value = value;
      return created;
    }));

    // One AbortController per record shown: a navigation aborts the previous record's work.
    let navigation: AbortController | undefined;
    let shownKey: string | undefined;
    let shownLookup: LookupKey | undefined;
    const display = (key: string | undefined, lookup: LookupKey | undefined) => {
      if (key === shownKey) return; // e.g. a kintone hash change that keeps the record
      shownKey = key;
      shownLookup = lookup;
      navigation?.abort();
      const current = (navigation = new AbortController());
      if (!lookup) {
        void ui?.then((mounted) => mounted.remove());
        return;
      }
      void controller.show(lookup, current.signal);
      void panel().then((mounted) => {
        if (!current.signal.aborted && !mounted.mounted) mounted.mount();
      });
    };

    let latest = 0;
    const show = (href: string) => {
      const asked = ++latest;
      const detection = detectRecord(href);
      if (detection) {
        const { crm, objectType, recordId, host } = detection.record;
        display(`${crm}/${host}/${objectType}/${recordId}`, detection.record);
        return;
      }
      // No built-in CRM: the rules for in-house CRMs, read afresh (the settings page changes them).
      void readCustomRules().then((rules) => {
        if (asked !== latest) return;
        const custom = detectCustom(rules, href);
        if (custom?.kind === 'record') {
          const { objectType, recordId, host } = custom.record;
          display(`custom/${host}/${objectType}/${recordId}`, custom.record);
        } else {
          const email = custom && readEmail(custom);
          display(email && `email/${email.toLowerCase()}`, email ? { email } : undefined);
        }
      });
    };

    show(location.href);
    // Fires before the new page's DOM exists; the URL alone decides for every built-in CRM (a
    // selector rule reads the page as it is then: in-house CRMs mostly load whole pages).
    // Fires before the new page's DOM exists, and before location changes: use its newUrl. A page
    // can forge the event, but not its newUrl (properties do not cross into our isolated world).
    ctx.addEventListener(window, 'wxt:locationchange', (event: { newUrl?: URL }) => {
      if (event.newUrl) show(event.newUrl.href);
    });

    // Back to this tab after a while (a call made elsewhere, a colleague's note): ask again.
    ctx.addEventListener(document, 'visibilitychange', () => {
      if (document.visibilityState === 'visible' && shownLookup && navigation) void controller.revalidate(shownLookup, navigation.signal);
    });

    // Fresher data for the lead on screen, pushed by the background (ours only: no tab sender).
    const onPush = (message: unknown, sender: { id?: string; tab?: unknown }) => {
      if (sender.id !== browser.runtime.id || sender.tab) return;
      if (isLeadPush(message)) controller.apply(message);
      else if ((message as { type?: unknown } | null)?.type === 'leadlens:toggle' && shownKey) toggle();
    };
    browser.runtime.onMessage.addListener(onPush);
    ctx.onInvalidated(() => {
      navigation?.abort();
      controller.dispose();
      browser.runtime.onMessage.removeListener(onPush);
    });
  },
});

/**
 * Closed: the page cannot reach into the panel (`host.shadowRoot` is null), so it can neither read
 * the lead nor find its buttons. Only an e2e build (`wxt build --mode e2e`, never shipped) may
 * open it, and only when the test set the flag in extension storage, which the page cannot
 * write: Playwright's locators need an open root. In a production build the condition is false
 * at build time and the whole branch is left out of the bundle (a test checks).
 */
async function shadowRootMode(): Promise<'open' | 'closed'> {
  if (import.meta.env.MODE === 'e2e') {
    const stored = await browser.storage.local.get(TEST_OPEN_PANEL_KEY);
    if (stored[TEST_OPEN_PANEL_KEY] === true) return 'open';
  }
  return 'closed';
}

async function mountPanel(ctx: ContentScriptContext, controller: PanelController, collapsed: Signal<boolean>, now: Signal<number>, toggle: () => void) {
  const ui = await createShadowHost({
    name: 'leadlens-panel',
    mode: await shadowRootMode(),
    // cssInjectionMode 'ui': the built stylesheet (not a typed public path), web-accessible to this script.
    loadCss: () => fetch((browser.runtime.getURL as (path: string) => string)('/content-scripts/crm.css')).then((response) => response.text())
      .catch((error: unknown) => { console.warn('LeadLens: the panel stylesheet did not load', error); return ''; }),
    // Keystrokes typed in the panel stay in the panel; the CRM's shortcuts keep working elsewhere.
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount(container) {
      render(
        <LeadPanel
          state={controller.state}
          collapsed={collapsed}
          now={now}
          onToggle={toggle}
          onOpenSettings={() => void ask(browser.runtime, { type: 'openOptions' })}
          onLogCall={(entry) => controller.logCall(entry)}
          onUndoCall={(key) => controller.undoCall(key)}
          onRecycle={(entry) => void controller.recycle(entry)}
          onFollowChange={(followed) => void controller.follow(followed)}
          onMuteChange={(muted) => void controller.mute(muted)}
          onLoadOlder={() => void controller.loadOlder()}
        />,
        container,
      );
    },
    onRemove(container) {
      render(null, container);
    },
  });
  ctx.onInvalidated(() => ui.remove());
  return ui;
}
