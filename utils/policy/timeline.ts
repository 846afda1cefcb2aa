/**
 * The timeline as the panel shows it: the API's events plus the calls this user logged that
 * are still in the outbox (sending), just delivered (sent, until the refreshed timeline has
 * them) or refused for good (failed). Pure; used to build the panel's state and, since a
 * call just logged counts for "called recently", to evaluate the cooldowns over the same list.
 */
import type { TimelineEvent } from '../api/contract';
import type { OutboxItemView } from '../messaging';

export type PanelEventStatus = 'sending' | 'sent' | 'failed';

export type PanelEvent = TimelineEvent & {
  /** Still in the outbox (same as status 'sending'). */
  pending?: boolean;
  status?: PanelEventStatus;
  /** Why a failed write was refused (API text). */
  error?: string;
};

export function timelineWithOutbox(timeline: readonly TimelineEvent[], outbox: readonly OutboxItemView[], actor?: string): PanelEvent[] {
  const sent = new Set<string>();
  const extra: PanelEvent[] = [];
  const known = new Set(timeline.map((e) => e.id));
  for (const item of outbox) {
    if (item.kind !== 'activity' || !item.call) continue;
    if (item.status === 'sent') {
      if (!item.event) continue;
      if (known.has(item.event.id)) sent.add(item.event.id);
      else extra.push({ ...item.event, status: 'sent' });
      continue;
    }
    const { outcome, lossReason, note, at } = item.call;
    extra.push({
      id: `outbox:${item.key}`,
      at,
      type: 'call',
      title: '',
      ...(note ? { detail: note } : {}),
      ...(actor ? { actor } : {}),
      meta: { outcome, ...(lossReason ? { lossReason } : {}) },
      ...(item.status === 'failed' ? { status: 'failed' as const, ...(item.lastError ? { error: item.lastError } : {}) } : { pending: true, status: 'sending' as const }),
    });
  }
  return [...extra, ...timeline.map((e) => (sent.has(e.id) ? { ...e, status: 'sent' as const } : e))];
}
