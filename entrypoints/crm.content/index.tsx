import { signal, type Signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { LeadPanel } from '@/components/LeadPanel';
import '@/components/panel.css';
import { PanelController } from '@/utils/content/panel-controller';
import { CONTENT_MATCHES, detectRecord } from '@/utils/crm/registry';
import { ask, isLeadPush } from '@/utils/messaging';
import { loadCollapsed, saveCollapsed } from '@/utils/content/collapsed';

export default defineContentScript({
  matches: CONTENT_MATCHES,
  runAt: 'document_idle',
  cssInjectionMode: 'ui',
  main(ctx) {
    const controller = new PanelController(browser.runtime, {
      setTimeout: (callback, ms) => ctx.setTimeout(callback, ms),
      clearTimeout: (id) => clearTimeout(id),
    });
    const collapsed = signal(false);
    // One clock for every countdown in the panel ("1 h 23 min left", "2 h ago").
    const now = signal(Date.now());
    ctx.setInterval(() => { now.value = Date.now(); }, 30_000);

    // Built once, on the first record, while that record's lookup is already on its way.
    let ui: ReturnType<typeof mountPanel> | undefined;
    const panel = () => (ui ??= loadCollapsed().then((value) => {
      collapsed.value = value;
      return mountPanel(ctx, controller, collapsed, now);
    }));

    // One AbortController per record shown: a navigation aborts the previous record's work.
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
      void controller.show(detection.record, current.signal);
      void panel().then((mounted) => {
        if (!current.signal.aborted && !mounted.mounted) mounted.mount();
      });
    };

    show(location.href);
    // Fires before the new page's DOM exists; the URL alone decides, so that is enough.
    ctx.addEventListener(window, 'wxt:locationchange', ({ newUrl }) => show(newUrl.href));

    // Fresher data for the lead on screen, pushed by the background (ours only: no tab sender).
    const onPush = (message: unknown, sender: { id?: string; tab?: unknown }) => {
      if (sender.id === browser.runtime.id && !sender.tab && isLeadPush(message)) controller.apply(message);
    };
    browser.runtime.onMessage.addListener(onPush);
    ctx.onInvalidated(() => {
      navigation?.abort();
      controller.dispose();
      browser.runtime.onMessage.removeListener(onPush);
    });
  },
});

function mountPanel(ctx: ContentScriptContext, controller: PanelController, collapsed: Signal<boolean>, now: Signal<number>) {
  return createShadowRootUi(ctx, {
    name: 'leadlens-panel',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    // Keystrokes typed in the panel stay in the panel; the CRM's shortcuts keep working elsewhere.
    isolateEvents: ['keydown', 'keyup', 'keypress'],
    onMount(container) {
      const toggle = () => {
        collapsed.value = !collapsed.value;
        void saveCollapsed(collapsed.value);
      };
      render(
        <LeadPanel
          state={controller.state}
          collapsed={collapsed}
          now={now}
          onToggle={toggle}
          onOpenSettings={() => void ask(browser.runtime, { type: 'openOptions' })}
          onLogCall={(entry) => void controller.logCall(entry)}
          onRecycle={(entry) => void controller.recycle(entry)}
          onFollowChange={(followed) => void controller.follow(followed)}
          onMuteChange={(muted) => void controller.mute(muted)}
          onLoadOlder={() => void controller.loadOlder()}
        />,
        container,
      );
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
}
