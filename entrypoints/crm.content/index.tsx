import { signal, type Signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { LeadPanel, type PanelState } from '@/components/LeadPanel';
import '@/components/panel.css';
import { CONTENT_MATCHES, detectRecord, type RecordRef } from '@/utils/crm/registry';
import { ask, isLeadPush } from '@/utils/messaging';
import { panelCollapsedItem } from '@/utils/ui-state';

export default defineContentScript({
  matches: CONTENT_MATCHES,
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  main(ctx) {
    const state = signal<PanelState>({ kind: 'loading' });
    const collapsed = signal(false);
    // Built once, on the first record, while that record's lookup is already on its way.
    let ui: ReturnType<typeof mountPanel> | undefined;
    const panel = () => (ui ??= panelCollapsedItem.getValue().then((value) => {
      collapsed.value = value;
      return mountPanel(ctx, state, collapsed);
    }));

    // One controller per record shown: a navigation aborts the previous record's work.
    let navigation: AbortController | undefined;
    let shownKey: string | undefined;
    const show = (href: string) => {
      const detection = detectRecord(href);
      const key = detection && `${detection.record.crm}/${detection.record.objectType}/${detection.record.recordId}`;
      if (key === shownKey) return; // e.g. a kintone hash change that keeps the record
      shownKey = key;
      navigation?.abort();
      const current = (navigation = new AbortController());
      if (!detection) {
        void ui?.then((mounted) => mounted.remove());
        return;
      }
      void showRecord(detection.record, current.signal, state);
      void panel().then((mounted) => {
        if (!current.signal.aborted && !mounted.mounted) mounted.mount();
      });
    };

    show(location.href);
    // Fires before the new page's DOM exists; the URL alone decides, so that is enough.
    ctx.addEventListener(window, 'wxt:locationchange', ({ newUrl }) => show(newUrl.href));

    // Fresher data for the lead on screen, pushed by the background (ours only: no tab sender).
    const onPush = (message: unknown, sender: { id?: string; tab?: unknown }) => {
      if (sender.id !== browser.runtime.id || sender.tab || !isLeadPush(message)) return;
      const current = state.value;
      if (current.kind !== 'found') return;
      if (message.type === 'leadlens:lead' && current.lead.id === message.lead.id) {
        state.value = { ...current, lead: message.lead, detail: message.detail ?? current.detail, asOf: message.asOf, stale: message.stale };
      }
    };
    browser.runtime.onMessage.addListener(onPush);
    ctx.onInvalidated(() => {
      navigation?.abort();
      browser.runtime.onMessage.removeListener(onPush);
    });
  },
});

async function showRecord(record: RecordRef, signal: AbortSignal, state: Signal<PanelState>) {
  state.value = { kind: 'loading' };
  let next: PanelState;
  try {
    // Measured so the benchmark (and anyone profiling) can read the round trip to the background.
    const started = performance.now();
    const reply = await ask(browser.runtime, { type: 'lookup', record });
    performance.measure('leadlens:lookup', { start: started, end: performance.now() });
    next = reply.status === 'found' ? { kind: 'found', lead: reply.lead, detail: reply.detail, asOf: reply.asOf, stale: reply.stale }
      : reply.status === 'error' ? { kind: 'error', message: reply.message }
      : { kind: reply.status };
  } catch (error) {
    next = { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
  if (!signal.aborted) state.value = next;
}

async function mountPanel(ctx: ContentScriptContext, state: Signal<PanelState>, collapsed: Signal<boolean>) {
  const ui = await createShadowRootUi(ctx, {
    name: 'leadlens-panel',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    // Keystrokes typed in the panel stay in the panel; the CRM's shortcuts keep working elsewhere.
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount(container) {
      const toggle = () => {
        collapsed.value = !collapsed.value;
        void panelCollapsedItem.setValue(collapsed.value);
      };
      const openSettings = () => void ask(browser.runtime, { type: 'openOptions' });
      render(
        <LeadPanel state={state} collapsed={collapsed} onToggle={toggle} onOpenSettings={openSettings} />,
        container,
      );
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  return ui;
}
