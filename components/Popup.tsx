/**
 * The toolbar popup — the morning list. Asks the background for its lists (the background alone
 * reads the cache), again when the background says the cache changed (a sync landed, a call was
 * logged) and each half minute for the countdowns; and for the sync status and "Sync now".
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import type { CrmRef, LeadSummary } from '../utils/api/contract';
import { errorWords, t } from '../utils/i18n';
import { ask, isPopupChanged, type ConnectionStatus, type MessageTransport, type PopupLists, type SyncStatusView } from '../utils/messaging';
import { formatDuration } from '../utils/policy/call-window';
import { recordUrl } from '../utils/popup/lists';
import { firstSyncUnderway } from '../utils/popup/first-sync';
import { adapterEnabled, type Preferences } from '../utils/preferences/schema';

export interface PopupProps {
  transport: MessageTransport;
  /** Messages from the background ('leadlens:popup': the cache changed); returns the unsubscribe. */
  listen(listener: (message: unknown) => void): () => void;
  preferences(): Promise<Preferences>;
  /** The CRM the rep last worked in: records open there when the lead has one. */
  preferredCrm(): Promise<string | null>;
  openUrl(url: string): void;
  openOptions(): void;
  locale: string;
  now?: () => number;
}

type Tab = 'hot' | 'stock' | 'following';

export function Popup({ transport, listen, preferences, preferredCrm, openUrl, openOptions, locale, now = () => Date.now() }: PopupProps) {
  const lists = useSignal<PopupLists | undefined>(undefined);
  const status = useSignal<ConnectionStatus | undefined>(undefined);
  const prefs = useSignal<Preferences | undefined>(undefined);
  const tab = useSignal<Tab>('hot');
  const syncing = useSignal(false);
  const clock = useSignal(now());

  useEffect(() => {
    void ask(transport, { type: 'status' }).then((value) => { status.value = value; });
    void preferences().then((value) => { prefs.value = value; });
    // Answers may cross: only the newest request's lists are shown.
    let asked = 0;
    const load = () => {
      const mine = ++asked;
      void ask(transport, { type: 'popupLists' }).then(
        (value) => { if (mine === asked) lists.value = value; },
        (error: unknown) => console.warn('LeadLens popup: lists failed', error),
      );
    };
    load();
    const unlisten = listen((message) => {
      if (!isPopupChanged(message)) return;
      load();
      void ask(transport, { type: 'status' }).then((value) => { status.value = value; });
    });
    // Countdowns move each minute: the clock and the lists (a window closes, a block ends) with it.
    const ticker = setInterval(() => {
      clock.value = now();
      load();
    }, 30_000);
    return () => {
      clearInterval(ticker);
      unlisten();
    };
  }, [transport]);

  const partial = firstSyncUnderway(status.value);
  // The status line follows a first sync page by page: its pages land without a badge recount,
  // so while it runs the popup asks for the status (and the lists so far) every second.
  useEffect(() => {
    if (!partial) return undefined;
    const follow = setInterval(() => {
      void ask(transport, { type: 'status' }).then((value) => { status.value = value; });
      void ask(transport, { type: 'popupLists' }).then((value) => { lists.value = value; }, () => undefined);
    }, 1_000);
    return () => clearInterval(follow);
  }, [partial, transport]);

  const syncNow = async () => {
    syncing.value = true;
    try {
      const sync = await ask(transport, { type: 'syncNow' });
      status.value = status.value ? { ...status.value, sync } : status.value;
    } finally {
      syncing.value = false;
    }
  };

  const open = async (lead: LeadSummary) => {
    const enabled = prefs.value?.adapters;
    const preferred = (await preferredCrm()) as CrmRef['crm'] | null;
    const url = recordUrl(lead, (crm) => adapterEnabled(enabled, crm), preferred ?? undefined);
    if (url) openUrl(url);
  };

  const current = lists.value;
  const rows = current ? (tab.value === 'hot' ? current.hot.map((r) => r.lead) : tab.value === 'stock' ? current.stock : current.following) : [];
  const todo = new Map(current?.hot.map((r) => [r.lead.id, r]));
  const when = (ms: number | string) => new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: current?.timeZone }).format(new Date(ms));
  const hhmm = (ms: number) => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: current?.timeZone }).format(ms);
  return (
    <main class="popup">
      <header class="popup-head">
        <h1>{t('popupTitle')}</h1>
        <button type="button" class="primary" disabled={syncing.value || !status.value?.hasToken} onClick={() => void syncNow()}>
          {syncing.value ? t('popupSyncing') : t('popupSyncNow')}
        </button>
      </header>
      <p class="status" data-testid="popup-status">{status.value ? describeStatus(status.value, locale) : '…'}</p>
      {status.value?.sync?.skippedTotal ? (
        <p class="status skipped" data-testid="popup-skipped">
          {t('popupSkipped', [String(status.value.sync.skippedTotal), status.value.sync.recentSkipped[0]?.issues[0] ?? ''])}
        </p>
      ) : null}
      {status.value && (!status.value.hasToken || status.value.sync?.status === 'signin') ? (
        <button type="button" class="link" onClick={openOptions}>{t('popupOpenSettings')}</button>
      ) : null}
      {current ? <p class="rate" data-testid="popup-rate">{t('popupRateLabel')} {current.rate}</p> : null}
      <nav class="tabs" role="tablist">
        {(['hot', 'stock', 'following'] as const).map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab.value === name} class={tab.value === name ? 'active' : ''} onClick={() => { tab.value = name; }}>
            {t(name === 'hot' ? 'popupTabHot' : name === 'stock' ? 'popupTabStock' : 'popupTabFollowing')}
            {current && !partial ? ` (${name === 'hot' ? current.hot.length : name === 'stock' ? current.stock.length : current.following.length})` : ''}
          </button>
        ))}
      </nav>
      {tab.value === 'hot' && current?.counts.opensAt !== undefined && rows.length > 0 ? (
        <p class="queue" data-testid="popup-queue">{t('popupQueueTitle', when(current.counts.opensAt))}</p>
      ) : null}
      {current && rows.length === 0 ? (
        <p class="muted empty">{t(partial ? 'popupFirstSyncEmpty' : tab.value === 'hot' ? 'popupEmptyHot' : tab.value === 'stock' ? 'popupEmptyStock' : 'popupEmptyFollowing')}</p>
      ) : null}
      <ul class="leads" role="tabpanel" data-testid={`popup-list-${tab.value}`}>
        {rows.map((lead) => {
          const row = tab.value === 'hot' ? todo.get(lead.id) : undefined;
          const window = row?.window;
          const retry = row?.progress.state === 'retry' && row.progress.nextTryAt > clock.value ? row.progress.nextTryAt : undefined;
          const blocked = lead.cooldownUntil !== undefined && Date.parse(lead.cooldownUntil) > clock.value;
          return (
            <li key={lead.id}>
              <button type="button" class={`lead-row band-${lead.band}`} data-lead-id={lead.id} onClick={() => void open(lead)}>
                <span class="row-main">
                  <span class="row-name">{lead.name}</span>
                  {lead.company ? <span class="row-company">{lead.company}</span> : null}
                  {lead.needReason ? <span class="row-reason">{lead.needReason}</span> : null}
                </span>
                <span class="row-side">
                  <span class="row-score">{Math.round(lead.score)}</span>
                  {window?.state === 'open' ? <span class={`row-left${window.remainingMs < 30 * 60_000 ? ' urgent' : ''}`}>{t('popupTimeLeft', formatDuration(window.remainingMs, locale))}</span> : null}
                  {window?.state === 'paused' ? <span class="row-left paused">{t('popupPaused', [formatDuration(window.remainingMs, locale), when(window.resumesAt)])}</span> : null}
                  {retry !== undefined ? <span class="row-retry" data-testid="popup-next-try">{t('popupNextTry', hhmm(retry))}</span> : null}
                  {window?.state === 'missed' ? <span class="row-left missed">{t('popupMissed')}</span> : null}
                  {blocked ? <span class="row-cooldown" title={t('popupCooldownMark')}>⛔︎</span> : null}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </main>
  );
}

function describeStatus(status: ConnectionStatus, locale: string): string {
  if (!status.apiUrl || !status.hasToken) return t('popupNotConnected');
  const sync: SyncStatusView | undefined = status.sync;
  const clock = (ms: number) => new Date(ms).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (sync?.status === 'signin') return t('popupConnectionProblem', sync.lastError ? errorWords(sync.lastError, locale) : t('badgeSignIn'));
  if (sync?.lastError && (sync.status === 'stale' || sync.status === 'backoff')) {
    return t('popupSyncProblem', [errorWords(sync.lastError, locale), sync.lastSuccessAt ? clock(sync.lastSuccessAt) : '—']);
  }
  // Partial pages are not "synced at": say how far the first sync has come.
  if (firstSyncUnderway(status)) return t('popupFirstSync', String(sync?.leads ?? 0));
  if (sync?.live && sync.lastSuccessAt) return t('popupLive', [clock(sync.lastSuccessAt), status.user?.name ?? '']);
  if (sync?.lastSuccessAt) {
    const next = sync.nextSyncAt ? clock(sync.nextSyncAt) : '—';
    return t('popupSynced', [clock(sync.lastSuccessAt), next, status.user?.name ?? '']);
  }
  if (status.lastError) return t('popupConnectionProblem', status.lastError);
  return t('popupConnectedAs', [new URL(status.apiUrl).host, status.user?.name ?? '?']);
}
