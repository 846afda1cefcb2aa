/**
 * Turns what a sync saw into notifications, through the pure decideNotifications(): this class
 * only gathers its inputs (preferences, earlier keys, held alerts, snoozes, logged calls),
 * shows what it decides and remembers what it showed. It runs after every poll, idle ones
 * included, because held alerts and "window ending" depend on the clock alone.
 */
import type { WxtBrowser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { LeadSummary } from '../api/contract';
import type { LeadLensDb } from '../db/schema';
import { t, type MessageKey } from '../i18n';
import type { BusinessCalendar } from '../policy/business-hours';
import { decideNotifications, renderPlan, type DeferredItem, type LeadChange, type NeedSignal, type NotificationPlan } from '../notify/decide';
import type { Preferences } from '../preferences/schema';
import type { SyncReport } from '../sync/engine';

const NEED_SIGNALS = new Set<NeedSignal>(['seminar_attended', 'video_watched', 'form_submit']);
const KEEP_KEYS_MS = 30 * 24 * 3_600_000;
const SNOOZE_MS = 60 * 60_000;

export const deferredItem = storage.defineItem<DeferredItem[]>('local:deferredNotifications', { fallback: [] });
export const snoozedItem = storage.defineItem<Record<string, string>>('local:snoozedLeads', { fallback: {} });
/** Which lead each shown notification is about, for its click and its buttons. */
export interface ShownNotification {
  leadId?: string;
  buttons: string[];
  title: string;
  message: string;
  at: number;
}
export const shownItem = storage.defineItem<Record<string, ShownNotification>>('local:shownNotifications', { fallback: {} });

export interface NotifierDeps {
  browser: WxtBrowser;
  db: LeadLensDb;
  preferences(): Promise<Preferences>;
  now(): number;
  /** Opens the lead's record in the rep's CRM. */
  openLead(leadId: string): Promise<void>;
  /**
   * Firefox refuses the whole notification when it has buttons ("Property buttons is unsupported
   * by Firefox"): there, the notification alone, whose click opens the lead. Default: by build.
   */
  buttonsSupported?: boolean;
  /** The team's business calendar around an instant (utils/policy/calendar.ts). */
  calendar?(now: number): Promise<BusinessCalendar>;
}

/** The high-intent event behind a change, when the need is new. */
function signalOf(change: { before?: LeadSummary; after: LeadSummary }): NeedSignal | undefined {
  const { before, after } = change;
  if (after.waking && !before?.waking) return 'waking';
  if (!after.needDetectedAt || after.needDetectedAt === before?.needDetectedAt) return undefined;
  return NEED_SIGNALS.has(after.needSignal as NeedSignal) ? (after.needSignal as NeedSignal) : undefined;
}

/**
 * What chrome.notifications.create gets. `buttonsSupported` false (Firefox): no `buttons` key at
 * all, since Firefox rejects a notification that has one; its click still opens the lead.
 */
export function notificationOptions(
  plan: Pick<NotificationPlan, 'buttons' | 'priority'>,
  rendered: ReturnType<typeof renderPlan>,
  iconUrl: string,
  buttonsSupported: boolean,
) {
  const buttons = buttonsSupported && plan.buttons.length
    ? { buttons: plan.buttons.map((button) => ({ title: t(button === 'open' ? 'notifyButtonOpen' : 'notifyButtonSnooze') })) }
    : {};
  const base = { iconUrl, title: rendered.title, message: rendered.message, priority: plan.priority, ...buttons };
  return rendered.items.length ? { type: 'list' as const, ...base, items: rendered.items } : { type: 'basic' as const, ...base };
}

export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  async run(report: Pick<SyncReport, 'changes'>): Promise<NotificationPlan[]> {
    const { db } = this.deps;
    const now = this.deps.now();
    const state = await db.syncState.get('main');
    if (!state?.userId || !state.snapshotComplete) return [];
    const windowMinutes = state.callWindowMinutes ?? 120;
    const prefs = await this.deps.preferences();
    const [notified, deferred, snoozed, standing, calls] = await Promise.all([
      db.notified.toCollection().primaryKeys(),
      deferredItem.getValue(),
      snoozedItem.getValue(),
      this.standing(now, windowMinutes, prefs, state.userId),
      db.outbox.where('leadId').notEqual('').filter((row) => row.kind === 'activity').toArray(),
    ]);
    const changes: LeadChange[] = report.changes.map((change) => ({ ...change, signal: signalOf(change) }));
    const result = decideNotifications({
      changes, prefs, me: { userId: state.userId }, now: new Date(now), alreadyNotified: new Set(notified),
      deferred, windowMinutes, snoozed, standing,
      calls: calls.map((row) => ({ leadId: row.leadId, at: (row.body as { at: string }).at, outcome: (row.body as { outcome?: string }).outcome })),
      ...(this.deps.calendar ? { calendar: await this.deps.calendar(now) } : {}),
    });
    await Promise.all(result.notify.map((plan) => this.show(plan)));
    if (result.keysToRecord.length) await db.notified.bulkPut(result.keysToRecord.map((key) => ({ key, at: now })));
    if (JSON.stringify(result.defer) !== JSON.stringify(deferred)) await deferredItem.setValue(result.defer);
    return result.notify;
  }

  /** Forget keys old enough that their need can no longer come back (keys carry their timestamp). */
  async prune(): Promise<void> {
    await this.deps.db.notified.where('at').below(this.deps.now() - KEEP_KEYS_MS).delete();
  }

  async clicked(notificationId: string): Promise<void> {
    const shown = (await shownItem.getValue())[notificationId];
    if (shown?.leadId) await this.deps.openLead(shown.leadId);
    await this.deps.browser.notifications.clear(notificationId);
  }

  async buttonClicked(notificationId: string, index: number): Promise<void> {
    const shown = (await shownItem.getValue())[notificationId];
    const button = shown?.buttons[index];
    if (button === 'open') return this.clicked(notificationId);
    if (button === 'snooze' && shown?.leadId) {
      const snoozed = await snoozedItem.getValue();
      const now = this.deps.now();
      // Expired snoozes are dropped on each write so the record stays small.
      const kept = Object.fromEntries(Object.entries(snoozed).filter(([, until]) => Date.parse(until) > now));
      await snoozedItem.setValue({ ...kept, [shown.leadId]: new Date(now + SNOOZE_MS).toISOString() });
    }
    await this.deps.browser.notifications.clear(notificationId);
  }

  /** Leads that did not change but whose time-based alerts may be due. */
  private async standing(now: number, windowMinutes: number, prefs: Preferences, userId: string): Promise<LeadSummary[]> {
    const { db } = this.deps;
    const windowMs = windowMinutes * 60_000;
    const open = await db.leads.where('[mine+band+needAt]').between([1, 'hot', now - windowMs], [1, 'hot', now], true, true).toArray();
    const stale = prefs.notifications.types.staleAssigned
      ? await db.leads.where('ownerId').equals(userId)
        .filter((row) => now - Date.parse(row.summary.lastActivityAt ?? row.summary.updatedAt) > prefs.notifications.staleAfterDays * 86_400_000)
        .limit(200).toArray()
      : [];
    return [...open, ...stale].map((row) => row.summary);
  }

  private async show(plan: NotificationPlan): Promise<void> {
    const rendered = renderPlan(plan, (key, params) => t(key as MessageKey, params));
    const { notifications, runtime } = this.deps.browser;
    const options = notificationOptions(plan, rendered, runtime.getURL('/icon/128.png'), this.deps.buttonsSupported ?? !import.meta.env.FIREFOX);
    await notifications.create(plan.id, options);
    // The last 50 are enough: older notifications have left the notification centre.
    const shown = Object.entries(await shownItem.getValue()).filter(([id]) => id !== plan.id).slice(-49);
    const entry: ShownNotification = { leadId: plan.leadId, buttons: options.buttons ? plan.buttons : [], title: rendered.title, message: rendered.message, at: this.deps.now() };
    await shownItem.setValue(Object.fromEntries([...shown, [plan.id, entry]]));
  }
}
