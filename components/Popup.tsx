/**
 * The toolbar popup — the morning list. Reads the background's IndexedDB cache directly
 * (read-only, Dexie liveQuery: it updates when a sync lands, without polling) and asks the
 * background for the sync status and "Sync now". Opens instantly from the cache.
 */
import { useSignal } from '@preact/signals';
import Dexie, { liveQuery } from 'dexie';
import { useEffect } from 'preact/hooks';
import type { CrmRef, LeadSummary } from '../utils/api/contract';
import { todoInputs } from '../utils/db/queries';
import type { LeadLensDb, OutboxRow } from '../utils/db/schema';
import { errorWords, t } from '../utils/i18n';
import { ask, type ConnectionStatus, type MessageTransport, type SyncStatusView } from '../utils/messaging';
import { twoHourRate, twoHourRateText } from '../utils/notify/rate';
import { renderText } from '../utils/notify/text';
import { formatDuration } from '../utils/policy/call-window';
import { recordUrl, stockOf } from '../utils/popup/lists';
import { firstSyncUnderway } from '../utils/popup/first-sync';
import { adapterEnabled, type Preferences } from '../utils/preferences/schema';
import type { BusinessCalendar } from '../utils/policy/business-hours';
import { teamCalendar } from '../utils/policy/calendar';
import { loadTeamPolicy } from '../utils/preferences/team-policy';
import type { TeamPolicy } from '../utils/policy/team-policy';
import { todoCounts, todoRows, type TodoCounts, type TodoRow } from '../utils/policy/todo';

export interface PopupProps {
  db: LeadLensDb;
  transport: MessageTransport;
  preferences(): Promise<Preferences>;
  /** The CRM the rep last worked in: records open there when the lead has one. */
  preferredCrm(): Promise<string | null>;
  openUrl(url: string): void;
  openOptions(): void;
  locale: string;
  now?: () => number;
  /** The team policy in force (the settings page's under the administrator's). */
  teamPolicy?: () => Promise<TeamPolicy>;
}

interface Lists {
  /** Hot leads not yet reached in their window, most pressing first. */
  hot: TodoRow[];
  counts: TodoCounts;
  calendar: BusinessCalendar;
  stock: LeadSummary[];
  following: LeadSummary[];
  rate: string;
  windowMinutes: number;
}

type Tab = 'hot' | 'stock' | 'following';

async function loadLists(db: LeadLensDb, prefs: Preferences, policy: TeamPolicy, now: number): Promise<Lists> {
  const state = await db.syncState.get('main');
  const windowMinutes = state?.callWindowMinutes ?? policy.callWindowMinutes;
  const weekAgo = now - 7 * 86_400_000;
  const [todo, warmRows, followedRows, recentNeeds, calls] = await Promise.all([
    todoInputs(db, now),
    db.leads.where('[mine+band+cooldownAt]').between([0, 'warm', Dexie.minKey], [0, 'warm', now], true, true).limit(500).toArray(),
    db.leads.bulkGet(prefs.followed),
    Promise.all((['hot', 'warm', 'cold'] as const).map((band) =>
      db.leads.where('[mine+band+needAt]').between([1, band, weekAgo], [1, band, now], true, true).toArray())),
    db.outbox.where('status').anyOf('pending', 'sent').filter((row: OutboxRow) => row.kind === 'activity').toArray(),
  ]);
  const rate = twoHourRate({
    hotLeads: recentNeeds.flat().map((row) => ({ leadId: row.id, needDetectedAt: row.summary.needDetectedAt ?? '' })),
    calls: calls.map((row) => ({ leadId: row.leadId, at: (row.body as { at: string }).at })),
    windowMinutes, now: new Date(now), weekStartsOn: 1, timeZone: prefs.notifications.timeZone,
  });
  // The badge's rules exactly (utils/policy/todo.ts): the two never disagree.
  const calendar = teamCalendar(policy, now);
  const hot = todoRows(todo, { callWindowMinutes: windowMinutes, retryMinutes: policy.retryMinutes }, calendar, now);
  return {
    hot,
    counts: todoCounts(hot, calendar, now),
    calendar,
    stock: stockOf(warmRows.map((row) => row.summary)),
    following: followedRows.flatMap((row) => (row ? [row.summary] : [])),
    rate: renderText(twoHourRateText(rate, windowMinutes), (key, params) => t(key, params)),
    windowMinutes,
  };
}

export function Popup({ db, transport, preferences, preferredCrm, openUrl, openOptions, locale, now = () => Date.now(), teamPolicy = () => loadTeamPolicy() }: PopupProps) {
  const lists = useSignal<Lists | undefined>(undefined);
  const status = useSignal<ConnectionStatus | undefined>(undefined);
  const prefs = useSignal<Preferences | undefined>(undefined);
  const policy = useSignal<TeamPolicy | undefined>(undefined);
  const tab = useSignal<Tab>('hot');
  const syncing = useSignal(false);
  const clock = useSignal(now());

  useEffect(() => {
    void ask(transport, { type: 'status' }).then((value) => { status.value = value; });
    void preferences().then((value) => { prefs.value = value; });
    void teamPolicy().then((value) => { policy.value = value; });
    // Countdowns move each minute; the lists move when the cache does (liveQuery).
    const ticker = setInterval(() => { clock.value = now(); }, 30_000);
    return () => clearInterval(ticker);
  }, [transport]);

  useEffect(() => {
    const current = prefs.value;
    const team = policy.value;
    if (!current || !team) return undefined;
    const subscription = liveQuery(() => loadLists(db, current, team, clock.value)).subscribe({
      next: (value) => { lists.value = value; },
      error: (error: unknown) => console.warn('LeadLens popup: cache read failed', error),
    });
    return () => subscription.unsubscribe();
  }, [prefs.value, policy.value, clock.value]);

  // The status line follows the sync as it goes (a first sync's pages, its end, a failure): each
  // write of the sync state asks the background for the status again.
  useEffect(() => {
    const subscription = liveQuery(() => db.syncState.get('main')).subscribe({
      next: () => void ask(transport, { type: 'status' }).then((value) => { status.value = value; }),
      error: (error: unknown) => console.warn('LeadLens popup: sync state read failed', error),
    });
    return () => subscription.unsubscribe();
  }, [transport]);
  const partial = firstSyncUnderway(status.value);

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
  const when = (ms: number | string) => new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: current?.calendar.timeZone }).format(new Date(ms));
  const hhmm = (ms: number) => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: current?.calendar.timeZone }).format(ms);
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
