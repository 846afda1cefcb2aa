/**
 * The background's composition root: one database, one sync engine, one lead service, the
 * message router, the badge and the alarms. Logic lives in the modules it wires; this file only
 * connects them to the browser.
 */
import type { WxtBrowser } from 'wxt/browser';
import { ScoringApiClient } from '../api/client';
import { countHotCallable, endingSoon, nextBadgeBoundary } from '../db/queries';
import { openDb, type LeadLensDb } from '../db/schema';
import { t } from '../i18n';
import type { LeadPush, SyncStatusView } from '../messaging';
import { connectionItem, connectionStatusItem, DEFAULT_POLL_SECONDS, loadConnection, pollSecondsItem, type Connection } from '../settings';
import { badgeView } from '../sync/badge';
import { SyncEngine, type SyncReport } from '../sync/engine';
import { LeadService } from './leads';
import { createRouter } from './router';
import { classifySender } from './sender';

export const SYNC_ALARM = 'leadlens-sync';
export const BADGE_ALARM = 'leadlens-badge';
const DEFAULT_WINDOW_MINUTES = 120;

export interface BackgroundOptions {
  browser: WxtBrowser;
  db?: LeadLensDb;
  followedIds?: () => Promise<ReadonlySet<string>>;
  /** Called after every sync that changed something (notifications hook in here). */
  afterSync?: (report: SyncReport) => Promise<void>;
  now?: () => number;
}

export function startBackground(options: BackgroundOptions) {
  const { browser } = options;
  const db = options.db ?? openDb();
  const now = options.now ?? (() => Date.now());
  const followedIds = options.followedIds ?? (async () => new Set<string>());
  const createClient = (connection: Connection) => new ScoringApiClient({ baseUrl: connection.apiUrl, token: connection.token });

  const engine = new SyncEngine({ db, loadConnection, createClient, followedIds, now, random: Math.random });
  const leads = new LeadService({
    db, loadConnection, createClient, followedIds, now,
    push: async (tabId, message) => {
      await browser.tabs.sendMessage(tabId, message).catch(() => leads.watchers.delete(tabId));
    },
  });

  async function syncStatus(): Promise<SyncStatusView | undefined> {
    const [state, alarm, count] = await Promise.all([db.syncState.get('main'), browser.alarms.get(SYNC_ALARM), db.leads.count()]);
    if (!state) return undefined;
    const { status, lastSuccessAt, lastError, nextAttemptAt, skippedTotal, recentSkipped } = state;
    return { status, lastSuccessAt, lastError, nextAttemptAt, skippedTotal, recentSkipped, running: engine.running, nextSyncAt: alarm?.scheduledTime, leads: count };
  }

  async function updateBadge(): Promise<void> {
    const at = now();
    const state = await db.syncState.get('main');
    const windowMs = (state?.callWindowMinutes ?? DEFAULT_WINDOW_MINUTES) * 60_000;
    const [count, urgent, boundary] = await Promise.all([
      countHotCallable(db, at), endingSoon(db, at, windowMs).count(), nextBadgeBoundary(db, at, windowMs),
    ]);
    const view = badgeView({ count, urgent, now: at, state }, {
      name: t('extName'),
      count: (n) => t('badgeCount', String(n)),
      urgent: (n) => t('badgeUrgent', String(n)),
      signIn: t('badgeSignIn'),
      failing: (message) => t('badgeFailing', message),
      asOf: (time) => t('panelAsOf', new Date(time).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })),
    });
    await Promise.all([
      browser.action.setBadgeText({ text: view.text }),
      browser.action.setBadgeBackgroundColor({ color: view.color }),
      browser.action.setTitle({ title: view.title }),
    ]);
    // Time alone changes the answer when a cooldown ends or a window nears its end.
    if (boundary) await browser.alarms.create(BADGE_ALARM, { when: boundary + 1000 });
    else await browser.alarms.clear(BADGE_ALARM);
  }

  async function sync(manual: boolean): Promise<SyncReport> {
    const report = await engine.sync({ manual });
    await updateBadge();
    if (report.changes.length || report.removed.length) {
      await pushToWatchers(report);
      await options.afterSync?.(report);
    }
    return report;
  }

  async function pushToWatchers(report: SyncReport): Promise<void> {
    const byId = new Map(report.changes.map((change) => [change.after.id, change.after]));
    const asOf = new Date(now()).toISOString();
    await Promise.all(leads.watching(byId.keys()).map(async ([tabId, leadId]) => {
      const lead = byId.get(leadId);
      if (!lead) return;
      const detail = (await db.details.get(leadId))?.detail;
      const message: LeadPush = { type: 'leadlens:lead', lead, detail: detail && { ...detail, ...lead }, asOf, stale: false };
      await browser.tabs.sendMessage(tabId, message).catch(() => leads.watchers.delete(tabId));
    }));
  }

  async function schedule(): Promise<void> {
    const seconds = Math.max(1, (await pollSecondsItem.getValue()) || DEFAULT_POLL_SECONDS);
    const existing = await browser.alarms.get(SYNC_ALARM);
    if (existing?.periodInMinutes !== seconds / 60) {
      await browser.alarms.create(SYNC_ALARM, { periodInMinutes: seconds / 60, delayInMinutes: seconds / 60 });
    }
  }

  const router = createRouter({
    loadConnection,
    saveConnection: (connection) => connectionItem.setValue(connection),
    loadStatus: () => connectionStatusItem.getValue(),
    saveStatus: (status) => connectionStatusItem.setValue(status),
    openOptionsPage: () => browser.runtime.openOptionsPage(),
    createClient,
    leads,
    syncNow: async () => {
      await sync(true);
      return (await syncStatus()) as SyncStatusView;
    },
    syncStatus,
    connectionChanged: () => void sync(true),
  });

  const origin = browser.runtime.getURL('/');
  // Chromium and Firefox both accept a Promise returned from onMessage as the reply.
  browser.runtime.onMessage.addListener((message, sender) =>
    router.handle(message, { kind: classifySender(sender, browser.runtime.id, origin), tabId: sender.tab?.id }),
  );
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void sync(false);
    else if (alarm.name === BADGE_ALARM) void updateBadge();
  });
  browser.tabs.onRemoved.addListener((tabId) => leads.watchers.delete(tabId));
  pollSecondsItem.watch(() => void schedule());

  // Every start of the worker (install, browser start, wake-up): make sure the alarm exists,
  // show what the cache knows, and sync.
  const ready = (async () => {
    await schedule();
    await updateBadge();
    await sync(false);
  })();

  return { db, engine, leads, router, ready, sync, updateBadge };
}
