/**
 * The background's composition root: one database, one sync engine, one lead service, the
 * message router, the badge and the alarms. Logic lives in the modules it wires; this file only
 * connects them to the browser.
 */
import type { WxtBrowser } from 'wxt/browser';
import { ScoringApiClient } from '../api/client';
import { teamCalendar } from '../policy/calendar';
import { openDb, type LeadLensDb } from '../db/schema';
import { applyLanguage, uiLanguage } from '../i18n';
import { POPUP_CHANGED, type SyncStatusView } from '../messaging';
import { connectionItem, connectionStatusItem, DEFAULT_POLL_SECONDS, loadConnection as loadStoredConnection, pollSecondsItem, type Connection } from '../settings';
import { SyncEngine, type SyncReport } from '../sync/engine';
import { syncTeamPolicy } from '../sync/policy';
import { loadTeamPolicy } from '../preferences/team-policy';
import { loadManagedPolicy, managedAtBoot, seenManagedItem } from '../preferences/managed';
import { loadPreferences, watchPreferences } from '../preferences/storage';
import { Outbox } from '../sync/outbox';
import { lastCrmItem, panelCollapsedItem, panelWidthsItem } from '../ui-state';
import { LeadService } from './leads';
import { tabLoaded } from './tab-load';
import { Notifier } from './notifier';
import { panelContext } from './panel-context';
import { readPanelCss } from '../content/panel-css';
import { startCustomScripts } from './custom-scripts';
import { customPage, detectPage } from '../crm/custom';
import { loadCustomRules } from '../crm/custom-storage';
import { createRouter } from './router';
import { SAFETY_NET_POLL_SECONDS, startLive } from './live';
import { classifySender } from './sender';
import { BADGE_ALARM, updateBadge as showBadge } from './badge';
import { openRecord } from './open-record';
import { popupLists } from './popup-lists';
import { createTabPush } from './tab-push';
import { createWritePath } from './write-path';

export const SYNC_ALARM = 'leadlens-sync';
export { BADGE_ALARM };

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
  // Decisions start from the managed policy last seen: at a browser start the live read takes
  // seconds, and the first panel must not wait for it. A different live one decides again.
  const managedForDecisions = managedAtBoot(managedPolicy, seenManagedItem, () => {
    teamPolicy.reset();
    void updateBadge();
    void tabs.redecide(new Set());
  });
  const teamPolicy = memo(() => loadTeamPolicy(managedForDecisions));
  const userName = memo(async () => (await connectionStatusItem.getValue()).user?.name);
  // The panel's fold and widths, read by every page load's panelPrefs: a storage read took 1-20 ms
  // there, which the panel waited for after the lookup had long answered from memory.
  const panelCollapsed = memo(() => panelCollapsedItem.getValue());
  const panelWidths = memo(() => panelWidthsItem.getValue());
  // The panel's stylesheet, read once per worker (it changes only with the extension); a failed
  // read is tried again next time, and meanwhile the content script reads it itself.
  const stylesheet = memo(readPanelCss);
  const panelCss = () => stylesheet().catch((error: unknown) => {
    console.warn('LeadLens: reading the panel stylesheet failed', error);
    return '';
  });
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed') managedPolicy.reset();
    if (area === 'local' && 'panelCollapsed' in changes) panelCollapsed.reset();
    if (area === 'local' && 'panelWidths' in changes) panelWidths.reset();
    if (area === 'managed' || area === 'sync') {
      prefsMemo.reset();
      teamPolicy.reset();
    }
    // Business hours, closed days and the retry cadence change what the badge counts.
    // The server's policy is written by runSync itself, which resets and redraws; this covers
    // another writer (an extension page, a second worker instance).
    if (area === 'local' && 'serverTeamPolicy' in changes) teamPolicy.reset();
    if ((area === 'sync' && 'teamPolicy' in changes) || area === 'managed' || (area === 'local' && 'serverTeamPolicy' in changes)) void updateBadge();
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
    push: (tabId, message) => tabs.send(tabId, message),
    pageLoaded: (tabId) => tabLoaded(browser, tabId),
  });
  const tabs = createTabPush({ browser, db, leads, context, now });

  async function syncStatus(): Promise<SyncStatusView | undefined> {
    const [state, alarm, count] = await Promise.all([db.syncState.get('main'), browser.alarms.get(SYNC_ALARM), db.leads.count()]);
    if (!state) return undefined;
    const { status, lastSuccessAt, lastError, nextAttemptAt, skippedTotal, recentSkipped, snapshotComplete } = state;
    return { status, lastSuccessAt, lastError, nextAttemptAt, skippedTotal, recentSkipped, snapshotComplete, running: engine.running, live: live.state() === 'live', nextSyncAt: alarm?.scheduledTime, leads: count };
  }

  // The badge and an open popup show the same cache: whatever recounts the one refreshes the other.
  const updateBadge = async (): Promise<void> => {
    await showBadge({ browser, db, teamPolicy, now });
    // No page listening (the popup is closed) is the usual case, not an error.
    await browser.runtime.sendMessage({ type: POPUP_CHANGED }).catch(() => undefined);
  };

  const notifier = new Notifier({ browser, db, preferences, now, openLead, calendar: async (at) => teamCalendar(await teamPolicy(), at) });

  async function openLead(leadId: string): Promise<void> {
    await openRecord({ browser, db, preferences, lastCrm: () => lastCrmItem.getValue() }, leadId);
  }

  const writePath = createWritePath({
    db, outbox, leads, tabs, context, followedIds, updateBadge, now,
    preferencesChanged: () => prefsMemo.reset(),
  });
  const deliverOutbox = writePath.deliver;

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
    // The team policy follows a sync that reached the server (the feed names its ETag), or goes
    // with the connection; never while the token is refused or the server asked us to wait.
    const policyChanged = report.outcome === 'updated' || report.outcome === 'idle' || report.outcome === 'not_connected'
      ? await refreshTeamPolicy(report.policyTag)
      : false;
    await updateBadge();
    if (report.changes.length || report.removed.length) await tabs.changes(report.changes.map((change) => change.after));
    // Under a new policy every panel on screen re-decides, not only the leads whose summary
    // changed (a shorter wait after a call moves no summary field).
    if (policyChanged) await tabs.redecide(new Set(report.changes.map((change) => change.after.id)));
    // Writes are tried at each poll (the outbox stops at the first failure: one request a poll),
    // but not while the token is refused or the server asked us to wait (Retry-After).
    const state = await db.syncState.get('main');
    const held = report.outcome === 'paused' || report.outcome === 'not_connected' || (state?.retryAfterUntil ?? 0) > now();
    if (!held) await deliverOutbox();
    // Held alerts and "window ending" depend on the clock alone: decide after every poll.
    await notifier.run(report).catch((error: unknown) => console.warn('LeadLens: notifications failed', error));
    return report;
  }

  /** Fetches the server's team policy; true when the policy in force may have changed. */
  async function refreshTeamPolicy(policyTag: string | null | undefined): Promise<boolean> {
    const policy = await syncTeamPolicy({ loadConnection, createClient, now }, policyTag);
    if (policy.error?.kind === 'bad_shape') console.warn('LeadLens: the server sent a team policy this build cannot read; the last one stays in force:', policy.error.issues.join('; '));
    if (policy.outcome !== 'updated' && policy.outcome !== 'cleared') return false;
    teamPolicy.reset();
    return true;
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
      const [collapsed, prefs, widths, css] = await Promise.all([panelCollapsed(), preferences(), panelWidths(), panelCss()]);
      return { collapsed, language: prefs.language, widths, css };
    },
    // Forgotten at once, not only on storage's change notice: the next page load reads the new value.
    setCollapsed: async (collapsed) => {
      await panelCollapsedItem.setValue(collapsed);
      panelCollapsed.reset();
    },
    leadNames: async (ids) => {
      const rows = await db.leads.bulkGet([...ids]);
      return Object.fromEntries(rows.flatMap((row) => (row ? [[row.id, { name: row.summary.name, ...(row.summary.company ? { company: row.summary.company } : {}) }]] : [])));
    },
    setPanelWidth: async (crm, width) => {
      await panelWidthsItem.setValue({ ...(await panelWidthsItem.getValue()), [crm]: width });
      panelWidths.reset();
    },
    // Exactly where the content script itself looks a lead up by email: a custom rule's page
    // without a record id in its URL (a built-in CRM's page never does).
    emailLookupAllowed: async (url) => detectPage((await loadCustomRules(managedPolicy)).rules, url)?.kind === 'email',
    writes: writePath.handlers,
    popupLists: () => popupLists({ db, preferences, teamPolicy, now }),
    customPage: async (href, pageUrl) => customPage((await loadCustomRules(managedPolicy)).rules, href, pageUrl),
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

  return { db, engine, leads, tabs, writePath, outbox, notifier, router, ready, sync, updateBadge, customScripts, live };
}
