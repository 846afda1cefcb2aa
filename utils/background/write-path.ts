/**
 * The write path: the rep's calls, recycles, follows and mutes. Calls and recycles go into the
 * outbox (an idempotency key each, kept across restarts) and are delivered from there; follows and
 * mutes are the rep's own preferences and restamp which leads count as mine. After each write the
 * badge is recounted and the panels showing the lead get fresh decisions.
 */
import type { Outbox } from '../sync/outbox';
import { toLeadRow, type LeadLensDb } from '../db/schema';
import { t } from '../i18n';
import { callTime } from '../policy/call-time';
import type { PanelContext } from '../messaging';
import { follow, mute, unfollow, unmute } from '../preferences/storage';
import type { LeadService } from './leads';
import type { WriteHandlers } from './router';
import type { TabPush } from './tab-push';

/** A call log waits this long in the outbox before it is sent: the panel offers Undo for UNDO_MS (5 s). */
export const UNDO_HOLD_MS = 6000;

export interface WritePathDeps {
  db: LeadLensDb;
  outbox: Pick<Outbox, 'enqueue' | 'withdraw' | 'deliver'>;
  leads: Pick<LeadService, 'watching' | 'refresh'>;
  tabs: Pick<TabPush, 'context'>;
  context(leadId: string): Promise<PanelContext>;
  followedIds(): Promise<ReadonlySet<string>>;
  updateBadge(): Promise<void>;
  /** The preferences just written: forget the ones read before (storage's own event comes later). */
  preferencesChanged(): void;
  now(): number;
  /** Runs `deliver` once a call's undo time is over (default: a timer). */
  later?(run: () => void, ms: number): void;
}

export interface WritePath {
  handlers: WriteHandlers;
  /** Sends what waits in the outbox, then refreshes the panels of the leads it touched. */
  deliver(): Promise<void>;
}

export function createWritePath(deps: WritePathDeps): WritePath {
  const { db, outbox, leads, tabs, context, now } = deps;
  const later = deps.later ?? ((run, ms) => { setTimeout(run, ms); });

  async function deliver(): Promise<void> {
    const delivered = await outbox.deliver();
    const touched = new Set([...delivered.sent, ...delivered.failed].map((row) => row.leadId));
    for (const [tabId, leadId] of leads.watching(touched)) {
      await tabs.context(tabId, leadId);
      if (delivered.sent.some((row) => row.leadId === leadId)) await leads.refresh(leadId, tabId);
    }
  }

  /** Following changes whether a lead counts as mine (badge, notifications). */
  async function restampMine(leadId: string): Promise<void> {
    const [row, state, followed] = await Promise.all([db.leads.get(leadId), db.syncState.get('main'), deps.followedIds()]);
    if (row) {
      await db.leads.put(toLeadRow(row.summary, state?.userId, followed));
      await deps.updateBadge();
    }
  }

  const handlers: WriteHandlers = {
    async logCall(request) {
      const { leadId, outcome, lossReason, note } = request;
      if (outcome === 'lost' && !lossReason) return { ok: false, message: t('logCallLossReasonRequired') };
      const row = await outbox.enqueue('activity', leadId, { type: 'call', outcome, ...(lossReason ? { lossReason } : {}), ...(note ? { note } : {}), at: callTime(request.startedAt, now()) }, UNDO_HOLD_MS);
      // Sent once the undo time is over (the next poll sends it too, should the worker sleep).
      later(() => void deliver(), UNDO_HOLD_MS + 50);
      await deps.updateBadge();
      return { ok: true, key: row.key, context: await context(leadId) };
    },
    async undoCall({ leadId, key }) {
      const undone = await outbox.withdraw(key, leadId);
      await deps.updateBadge();
      for (const [tabId] of leads.watching([leadId])) await tabs.context(tabId, leadId);
      return { ok: true, undone, context: await context(leadId) };
    },
    async recycle(request) {
      const { leadId, track, frequency, email } = request;
      await outbox.enqueue('recycle', leadId, { track, frequency, email });
      void deliver();
      return { ok: true, context: await context(leadId) };
    },
    async setFollow({ leadId, followed }) {
      const saved = followed ? await follow(leadId) : await unfollow(leadId);
      deps.preferencesChanged(); // before storage's change event: the lines below read the new lists
      if (!saved.ok) return { ok: false, message: saved.errors.map((e) => e.path).join(', ') };
      await restampMine(leadId);
      return { ok: true, context: await context(leadId) };
    },
    async setMute({ leadId, muted }) {
      const saved = muted ? await mute(leadId) : await unmute(leadId);
      deps.preferencesChanged();
      if (!saved.ok) return { ok: false, message: saved.errors.map((e) => e.path).join(', ') };
      await restampMine(leadId);
      return { ok: true, context: await context(leadId) };
    },
  };

  return { handlers, deliver };
}
