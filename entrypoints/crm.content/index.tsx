import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { LeadPanel, type DockLayout } from '@/components/LeadPanel';
import '@/components/panel.css';
import { PanelController } from '@/utils/content/panel-controller';
import { headerBottom, isFolded, reserve, toggleFold } from '@/utils/content/dock';
import { clampWidth, maxWidth, RAIL_WIDTH } from '@/utils/panel-width';
import { CONTENT_MATCHES, detectRecord } from '@/utils/crm/registry';
import type { CustomPage } from '@/utils/crm/custom';
import { ask, isLeadPush } from '@/utils/messaging';
import type { LookupKey } from '@/utils/messaging-schema';
import { applyLanguage } from '@/utils/i18n';
import { TEST_OPEN_PANEL_KEY } from '@/utils/test-hooks';
import { readEmail } from '@/utils/content/custom-rules';
import { createShadowHost } from '@/utils/content/shadow-host';
import { readPanelCss } from '@/utils/content/panel-css';
import { cell, derived, type Watchable } from '@/utils/cell';
import { domParsed, pageSettled } from '@/utils/content/page-timing';

export default defineContentScript({
  matches: CONTENT_MATCHES,
  // document_start: the lookup is asked while the page is still parsed, so the answer is here
  // by the time the panel may join the page (utils/content/page-timing.ts: after load or idle).
  runAt: 'document_start',
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
    // Folded: the rep's standing choice (stored by the background), or no lead behind this record.
    const chosen = cell(false);
    const openedHere = cell(false);
    const collapsed = derived([chosen, controller.state, openedHere], () => isFolded(chosen.value, controller.state.value.kind, openedHere.value));
    const toggle = () => {
      const next = toggleFold(chosen.value, controller.state.value.kind, openedHere.value);
      chosen.value = next.chosen;
      openedHere.value = next.openedHere;
      if (next.persist) void ask(browser.runtime, { type: 'setCollapsed', collapsed: next.chosen }).catch(() => undefined);
    };

    // Docked beside the CRM: the page keeps the space left of the panel (utils/content/dock.ts).
    let crmKey = 'custom';
    let widths: Record<string, number> = {};
    const wanted = cell<number | undefined>(undefined);
    const mounted = cell(false);
    const dock = cell<DockLayout>({ width: clampWidth(undefined, window.innerWidth), top: 0, max: maxWidth(window.innerWidth) });
    let host: Element | undefined;
    const measure = () => {
      const viewport = window.innerWidth;
      const top = headerBottom(document, document.documentElement.clientWidth - 2, host);
      const next = { width: clampWidth(wanted.value, viewport), top, max: maxWidth(viewport) };
      const was = dock.peek();
      if (next.width !== was.width || next.top !== was.top || next.max !== was.max) dock.value = next;
    };
    const resize = (width: number, commit: boolean) => {
      wanted.value = width;
      measure();
      if (commit) void ask(browser.runtime, { type: 'setPanelWidth', crm: crmKey, width: dock.peek().width }).catch(() => undefined);
    };
    // The page's reserved margin follows the panel: none until mounted, the rail when folded.
    const reservation = derived([mounted, collapsed, dock], () => (!mounted.value ? 0 : collapsed.value ? RAIL_WIDTH : dock.value.width));
    const stopReserve = reservation.subscribe((width) => reserve(document, width));
    const stopDock = () => {
      stopReserve();
      reservation.dispose();
      collapsed.dispose();
    };
    ctx.addEventListener(window, 'resize', measure);
    // One clock for every countdown in the panel ("1 h 23 min left", "2 h ago").
    const now = cell(Date.now());
    ctx.setInterval(() => { now.value = Date.now(); }, 30_000);

    // Built once, on the first record, while that record's lookup is already on its way.
    let ui: ReturnType<typeof mountPanel> | undefined;
    // The rep's settings come from the background: this script reads no extension storage.
    const prefs = () => ask(browser.runtime, { type: 'panelPrefs' }).catch(() => ({ collapsed: false, language: 'auto' as const, widths: undefined, css: undefined }));
    const panel = () => (ui ??= prefs().then((settings) => Promise.all([
      applyLanguage(settings.language).then(() => settings),
      // The stylesheet comes with the settings; fetched here only when the background had none.
      mountPanel(ctx, controller, { collapsed, dock, now, toggle, resize }, settings.css || fetchCss()),
    ])).then(([value, created]) => {
      // Known before the UI is mounted (and rendered): both start together.
      chosen.value = value.collapsed;
      widths = value.widths ?? {};
      wanted.value = widths[crmKey];
      performance.mark('leadlens:ui');
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
      openedHere.value = false;
      navigation?.abort();
      const current = (navigation = new AbortController());
      if (!lookup) {
        void ui?.then((created) => {
          created.remove();
          mounted.value = false;
        });
        return;
      }
      const crm = key?.split('/')[0] ?? 'custom';
      if (crm !== crmKey) {
        crmKey = crm;
        wanted.value = widths[crm];
      }
      void controller.show(lookup, current.signal);
      // The marks split the time to the panel for the bench (tests/bench/run.ts) and for profiling.
      void Promise.all([panel(), pageSettled(window, document).then(() => performance.mark('leadlens:settled'))]).then(([created]) => {
        if (current.signal.aborted) return;
        performance.mark('leadlens:mount');
        if (!created.mounted) created.mount();
        host = created.host;
        mounted.value = true;
        // The CRM's header may have just been drawn (an SPA's new page): measure once it is.
        requestAnimationFrame(measure);
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
      // No built-in CRM: the background applies the rules for in-house CRMs (the settings page
      // changes them). A selector rule reads the page: wait until its DOM is parsed.
      const custom = ask(browser.runtime, { type: 'customPage', href }).catch((): CustomPage => ({ kind: 'none' }));
      void Promise.all([custom, domParsed(document)]).then(([page]) => {
        if (asked !== latest) return;
        if (page.kind === 'record') {
          const { objectType, recordId, host } = page.record;
          display(`custom/${host}/${objectType}/${recordId}`, page.record);
        } else {
          const email = page.kind === 'email' ? readEmail(page) : undefined;
          display(email && `email/${email.toLowerCase()}`, email ? { email } : undefined);
        }
      });
    };

    show(location.href);
    // Fires before the new page's DOM exists; the URL alone decides for every built-in CRM (a
    // selector rule reads the page as it is then: in-house CRMs mostly load whole pages).
    // Fires before the new page's DOM exists, and before location changes: use its newUrl. A page
    // can forge the event, but not its newUrl (properties do not cross into our isolated world).
    // Only same-origin moves are the CRM's own navigation: a click on a tel: or mailto: link
    // (the panel's own number included) also fires it, and must not take the panel away.
    ctx.addEventListener(window, 'wxt:locationchange', (event: { newUrl?: URL }) => {
      if (event.newUrl && event.newUrl.origin === location.origin) show(event.newUrl.href);
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
      stopDock();
      reserve(document, 0);
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

interface PanelWiring {
  collapsed: Watchable<boolean>;
  dock: Watchable<DockLayout>;
  now: Watchable<number>;
  toggle(): void;
  resize(width: number, commit: boolean): void;
}

/** Web-accessible to this script: read here only when the background had none to hand over. */
function fetchCss(): Promise<string> {
  return readPanelCss().catch((error: unknown) => { console.warn('LeadLens: the panel stylesheet did not load', error); return ''; });
}

async function mountPanel(ctx: ContentScriptContext, controller: PanelController, { collapsed, dock, now, toggle, resize }: PanelWiring, css: string | Promise<string>) {
  const ui = await createShadowHost({
    name: 'leadlens-panel',
    mode: await shadowRootMode(),
    loadCss: () => Promise.resolve(css),
    // Keystrokes typed in the panel stay in the panel; the CRM's shortcuts keep working elsewhere.
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount(container) {
      render(
        <LeadPanel
          state={controller.state}
          collapsed={collapsed}
          dock={dock}
          onResize={resize}
          now={now}
          staged
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
