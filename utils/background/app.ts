/**
 * The background's composition root: one database, one sync engine, one lead service, the
 * message router, the badge and the alarms. Logic lives in the modules it wires; this file only
 * connects them to the browser.
 */
import type { WxtBrowser } from 'wxt/browser';
import { ScoringApiClient } from '../api/client';
import { teamCalendar } from '../policy/calendar';
import { callTime } from '../policy/call-time';
import { openDb, toLeadRow, type LeadLensDb } from '../db/schema';
import { applyLanguage, t, uiLanguage } from '../i18n';
import type { LeadPush, SyncStatusView } from '../messaging';
import { connectionItem, connectionStatusItem, DEFAULT_POLL_SECONDS, loadConnection as loadStoredConnection, pollSecondsItem, type Connection } from '../settings';
import { SyncEngine, type SyncReport } from '../sync/engine';
import { adapterEnabled } from '../preferences/schema';
import { loadTeamPolicy } from '../preferences/team-policy';
import { loadManagedPolicy } from '../preferences/managed';
import { follow, loadPreferences, mute, unfollow, unmute, watchPreferences } from '../preferences/storage';
import { Outbox } from '../sync/outbox';
import { recordUrl } from '../popup/lists';
import { lastCrmItem, panelCollapsedItem, panelWidthsItem } from '../ui-state';
import type { CrmRef } from '../api/contract';
import { LeadService } from './leads';
import { Notifier } from './notifier';
import { panelContext } from './panel-context';
import { startCustomScripts } from './custom-scripts';
import { detectPage } from '../crm/custom';
import { loadCustomRules } from '../crm/custom-storage';
import { createRouter, type WriteHandlers } from './router';
import { SAFETY_NET_POLL_SECONDS, startLive } from './live';
import { classifySender } from './sender';
import { BADGE_ALARM, updateBadge as showBadge } from './badge';

export const SYNC_ALARM = 'leadlens-sync';
export { BADGE_ALARM };
/** A call log waits this long in the outbox before it is sent: the panel offers Undo for UNDO_MS (5 s). */
export const UNDO_HOLD_MS = 6000;

/** A value loaded once and kept until reset() (called when storage says it changed). */
function memo<T>(load: () => Promise<T>): (() => Promise<T>) & { reset(): void } {
  let cached: Promise<T> | undefined;
  const get = () => (cached ??= load().catch((error: unknown) => {
    cached = undefined;
    throw error;
  }));
  return Object.assign(get, { reset: () => { cached = undefined; } });
}

export interface BackgroundOptions {
  browser: WxtBrowser;
  db?: LeadLensDb;
  now?: () => number;
  /** Keep a socket to the server's stream (default true); without it the poll alone syncs. */
  push?: boolean;
}

export { loadTeamPolicy } from '../preferences/team-policy';

export function startBackground(options: BackgroundOptions) {
  const { browser } = options;
  const db = options.db ?? openDb();
  const now = options.now ?? (() => Date.now());
  const push = options.push ?? true;
  // Settings read on every lookup are kept in memory until storage says they changed: a cached
  // lookup must not parse preferences and read enterprise policy each time.
  const managedPolicy = memo(() => loadManagedPolicy());
  const prefsMemo = memo(async () => (await loadPreferences()).prefs);
  const teamPolicy = memo(() => loadTeamPolicy(managedPolicy));
  const userName = memo(async () => (await connectionStatusItem.getValue()).user?.name);
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed') managedPolicy.reset();
    if (area === 'managed' || area === 'sync') {
      prefsMemo.reset();
      teamPolicy.reset();
    }
    // Business hours, closed days and the retry cadence change what the badge counts.
    if ((area === 'sync' && 'teamPolicy' in changes) || area === 'managed') void updateBadge();
  });
  const preferences = prefsMemo;
  const loadConnection = () => loadStoredConnection(async () => (await managedPolicy()).apiUrl);
  const followedIds = async () => new Set((await preferences()).followed);
  // The server answers in the language the UI speaks (the rep's choice, else the browser's).
  const createClient = (connection: Connection) => new ScoringApiClient({ baseUrl: connection.apiUrl, token: connection.token, language: uiLanguage() });
  const context = (leadId: string) => panelContext({
    db, preferences, teamPolicy, now, userName,
  }, leadId);
  const outbox = new Outbox({ db, loadConnection, createClient, now, newKey: () => crypto.randomUUID() });

  const engine = new SyncEngine({ db, loadConnection, createClient, followedIds, language: uiLanguage, now, random: Math.random });
  const leads = new LeadService({
    db, loadConnection, createClient, followedIds, now, context,
    workedIn: async (crm) => { if ((await lastCrmItem.getValue()) !== crm) await lastCrmItem.setValue(crm); },
    push: async (tabId, message) => {
      await browser.tabs.sendMessage(tabId, message).catch(() => leads.watchers.delete(tabId));
    },
  });

  async function syncStatus(): Promise<SyncStatusView | undefined> {
    const [state, alarm, count] = await Promise.all([db.syncState.get('main'), browser.alarms.get(SYNC_ALARM), db.leads.count()]);
    if (!state) return undefined;
    const { status, lastSuccessAt, lastError, nextAttemptAt, skippedTotal, recentSkipped, snapshotComplete } = state;
    return { status, lastSuccessAt, lastError, nextAttemptAt, skippedTotal, recentSkipped, snapshotComplete, running: engine.running, live: live.state() === 'live', nextSyncAt: alarm?.scheduledTime, leads: count };
  }

  const updateBadge = async (): Promise<void> => {
    await showBadge({ browser, db, teamPolicy, now });
  };

  const notifier = new Notifier({ browser, db, preferences, now, openLead, calendar: async (at) => teamCalendar(await teamPolicy(), at) });

  async function openLead(leadId: string): Promise<void> {
    const lead = (await db.leads.get(leadId))?.summary;
    const prefs = await preferences();
    const preferred = (await lastCrmItem.getValue()) as CrmRef['crm'] | null;
    const url = lead && recordUrl(lead, (crm) => adapterEnabled(prefs.adapters, crm), preferred ?? undefined);
    if (url) await browser.tabs.create({ url });
  }

  // Alarms, "Sync now" and start-up may overlap: they share one run, its badge and its alerts.
  let syncing: Promise<SyncReport> | undefined;
  function sync(manual: boolean): Promise<SyncReport> {
    syncing ??= runSync(manual).finally(() => {
      syncing = undefined;
    });
    return syncing;
  }

  async function runSync(manual: boolean): Promise<SyncReport> {
    const report = await engine.sync({ manual });
    await updateBadge();
    if (report.changes.length || report.removed.length) await pushToWatchers(report);
    // Writes are tried at each poll (the outbox stops at the first failure: one request a poll),
    // but not while the token is refused or the server asked us to wait (Retry-After).
    const state = await db.syncState.get('main');
    const held = report.outcome === 'paused' || report.outcome === 'not_connected' || (state?.retryAfterUntil ?? 0) > now();
    if (!held) await deliverOutbox();
    // Held alerts and "window ending" depend on the clock alone: decide after every poll.
    await notifier.run(report).catch((error: unknown) => console.warn('LeadLens: notifications failed', error));
    return report;
  }

  /** Sends what waits in the outbox, then refreshes the panels of the leads it touched. */
  async function deliverOutbox(): Promise<void> {
    const delivered = await outbox.deliver();
    const touched = new Set([...delivered.sent, ...delivered.failed].map((row) => row.leadId));
    for (const [tabId, leadId] of leads.watching(touched)) {
      await pushContext(tabId, leadId);
      if (delivered.sent.some((row) => row.leadId === leadId)) await leads.refresh(leadId, tabId);
    }
  }

  async function pushContext(tabId: number, leadId: string): Promise<void> {
    await browser.tabs.sendMessage(tabId, { type: 'leadlens:context', leadId, context: await context(leadId) } satisfies LeadPush)
      .catch(() => leads.watchers.delete(tabId));
  }

  const writes: WriteHandlers = {
    async logCall(request) {
      const { leadId, outcome, lossReason, note } = request;
      if (outcome === 'lost' && !lossReason) return { ok: false, message: t('logCallLossReasonRequired') };
      const row = await outbox.enqueue('activity', leadId, { type: 'call', outcome, ...(lossReason ? { lossReason } : {}), ...(note ? { note } : {}), at: callTime(request.startedAt, now()) }, UNDO_HOLD_MS);
      // Sent once the undo time is over (the next poll sends it too, should the worker sleep).
      setTimeout(() => void deliverOutbox(), UNDO_HOLD_MS + 50);
      await updateBadge();
      return { ok: true, key: row.key, context: await context(leadId) };
    },
    async undoCall({ leadId, key }) {
      const undone = await outbox.withdraw(key, leadId);
      await updateBadge();
      for (const [tabId] of leads.watching([leadId])) await pushContext(tabId, leadId);
      return { ok: true, undone, context: await context(leadId) };
    },
    async recycle(request) {
      const { leadId, track, frequency, email } = request;
      await outbox.enqueue('recycle', leadId, { track, frequency, email });
      void deliverOutbox();
      return { ok: true, context: await context(request.leadId) };
    },
    async setFollow({ leadId, followed }) {
      const saved = followed ? await follow(leadId) : await unfollow(leadId);
      prefsMemo.reset(); // before storage's change event: the lines below read the new lists
      if (!saved.ok) return { ok: false, message: saved.errors.map((e) => e.path).join(', ') };
      await restampMine(leadId);
      return { ok: true, context: await context(leadId) };
    },
    async setMute({ leadId, muted }) {
      const saved = muted ? await mute(leadId) : await unmute(leadId);
      prefsMemo.reset();
      if (!saved.ok) return { ok: false, message: saved.errors.map((e) => e.path).join(', ') };
      await restampMine(leadId);
      return { ok: true, context: await context(leadId) };
    },
  };

  /** Following changes whether a lead counts as mine (badge, notifications). */
  async function restampMine(leadId: string): Promise<void> {
    const [row, state, followed] = await Promise.all([db.leads.get(leadId), db.syncState.get('main'), followedIds()]);
    if (row) {
      await db.leads.put(toLeadRow(row.summary, state?.userId, followed));
      await updateBadge();
    }
  }

  /**
   * One truth per record: a sync that touched a lead on screen pushes its summary at once, with
   * fresh decisions, then re-fetches its detail (timeline, why, next action) and pushes that too,
   * so the score, the countdown, the timeline and the next action never disagree.
   */
  async function pushToWatchers(report: SyncReport): Promise<void> {
    const byId = new Map(report.changes.map((change) => [change.after.id, change.after]));
    const asOf = new Date(now()).toISOString();
    await Promise.all(leads.watching(byId.keys()).map(async ([tabId, leadId]) => {
      const lead = byId.get(leadId);
      if (!lead) return;
      const detail = (await db.details.get(leadId))?.detail;
      const message: LeadPush = { type: 'leadlens:lead', lead, detail: detail && { ...detail, ...lead }, asOf, stale: false, context: await context(leadId) };
      await browser.tabs.sendMessage(tabId, message).catch(() => leads.watchers.delete(tabId));
      await leads.refresh(leadId, tabId);
    }));
  }

  const live = startLive({
    loadConnection, createClient,
    sync: () => void sync(false),
    liveChanged: () => void schedule(),
  });

  // One at a time: a start-up run that read an old interval must not finish after a newer one.
  let scheduling = Promise.resolve();
  function schedule(): Promise<void> {
    scheduling = scheduling.then(scheduleNow, scheduleNow);
    return scheduling;
  }

  async function scheduleNow(): Promise<void> {
    const [own, managed] = await Promise.all([pollSecondsItem.getValue(), managedPolicy()]);
    const interval = Math.max(1, managed.pollIntervalSeconds ?? (own || DEFAULT_POLL_SECONDS));
    const seconds = live.state() === 'live' ? Math.max(interval, SAFETY_NET_POLL_SECONDS) : interval;
    const existing = await browser.alarms.get(SYNC_ALARM);
    if (existing?.periodInMinutes !== seconds / 60) {
      await browser.alarms.create(SYNC_ALARM, { periodInMinutes: seconds / 60, delayInMinutes: seconds / 60 });
    }
  }

  const router = createRouter({
    loadConnection,
    saveConnection: async (connection) => {
      // An administrator's API URL is not the rep's to change: keep it, store only the token.
      const adminUrl = (await managedPolicy()).apiUrl;
      await connectionItem.setValue(adminUrl ? { ...connection, apiUrl: adminUrl.replace(/\/+$/, '') } : connection);
    },
    loadStatus: () => connectionStatusItem.getValue(),
    saveStatus: async (status) => {
      await connectionStatusItem.setValue(status);
      userName.reset();
    },
    openOptionsPage: () => browser.runtime.openOptionsPage(),
    createClient,
    leads,
    syncNow: async () => {
      await sync(true);
      return (await syncStatus()) as SyncStatusView;
    },
    syncStatus,
    connectionChanged: () => {
      void sync(true);
      if (push) live.stream.retryNow();
    },
    panelPrefs: async () => {
      const [collapsed, prefs, widths] = await Promise.all([panelCollapsedItem.getValue(), preferences(), panelWidthsItem.getValue()]);
      return { collapsed, language: prefs.language, widths };
    },
    setCollapsed: (collapsed) => panelCollapsedItem.setValue(collapsed),
    leadNames: async (ids) => {
      const rows = await db.leads.bulkGet([...ids]);
      return Object.fromEntries(rows.flatMap((row) => (row ? [[row.id, { name: row.summary.name, ...(row.summary.company ? { company: row.summary.company } : {}) }]] : [])));
    },
    setPanelWidth: async (crm, width) => panelWidthsItem.setValue({ ...(await panelWidthsItem.getValue()), [crm]: width }),
    // Exactly where the content script itself looks a lead up by email: a custom rule's page
    // without a record id in its URL (a built-in CRM's page never does).
    emailLookupAllowed: async (url) => detectPage((await loadCustomRules(managedPolicy)).rules, url)?.kind === 'email',
    writes,
    panelContext: context,
  });

  const origin = browser.runtime.getURL('/');
  // In-house CRMs: the content script registered at run time on the sites custom rules name.
  const customScripts = startCustomScripts(browser);
  const senderKind = (sender: Parameters<typeof classifySender>[0]) =>
    classifySender(sender, browser.runtime.id, origin, customScripts.matchPatterns());
  // Chromium and Firefox both accept a Promise returned from onMessage as the reply.
  browser.runtime.onMessage.addListener((message, sender) => {
    const kind = senderKind(sender);
    const from = { tabId: sender.tab?.id, frameId: sender.frameId, url: sender.url };
    // A worker woken by a custom CRM page's message learns where it runs once the first sync is done.
    if (kind || !sender.tab) return router.handle(message, { kind, ...from });
    return customScripts.ready.then(() => router.handle(message, { kind: senderKind(sender), ...from }));
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void sync(false);
    else if (alarm.name === BADGE_ALARM) void updateBadge();
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    leads.watchers.delete(tabId);
    router.forgetTab(tabId);
  });
  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== 'toggle-panel') return;
    void (async () => {
      const tabId = tab?.id ?? (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id;
      // A tab without our content script (not a CRM page) simply has no panel to toggle.
      if (tabId !== undefined) await browser.tabs.sendMessage(tabId, { type: 'leadlens:toggle' }).catch(() => undefined);
    })();
  });
  browser.notifications.onClicked.addListener((id) => void notifier.clicked(id));
  browser.notifications.onButtonClicked.addListener((id, index) => void notifier.buttonClicked(id, index));
  pollSecondsItem.watch(() => void schedule());
  // Enterprise policy can arrive after the worker starts, and can change while it runs.
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') void schedule();
  });

  // Every start of the worker (install, browser start, wake-up): make sure the alarm exists,
  // show what the cache knows, and sync.
  const ready = (async () => {
    // Notifications and the badge's tooltip speak the rep's chosen language.
    await applyLanguage((await preferences()).language);
    watchPreferences((prefs) => {
      const before = uiLanguage();
      void applyLanguage(prefs.language).then(async () => {
        await updateBadge();
        // Another language: fetch the server's texts in it now rather than at the next poll.
        if (uiLanguage() !== before) await sync(true);
      });
    });
    await schedule();
    await updateBadge();
    await notifier.prune();
    await sync(false);
    if (push) live.stream.start();
  })();
  // Back online: reconnect now rather than at the next backoff step.
  if (push) globalThis.addEventListener?.('online', () => live.stream.retryNow());

  return { db, engine, leads, outbox, notifier, router, ready, sync, updateBadge, customScripts, live };
}
