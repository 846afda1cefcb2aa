/** Small predicates over timeline events, shared by the policy functions. */
import type { TimelineEvent } from '../api/contract';

export const metaString = (e: TimelineEvent, key: string): string | undefined => {
  const v = e.meta?.[key];
  return typeof v === 'string' ? v : undefined;
};

export const metaNumber = (e: TimelineEvent, key: string): number | undefined => {
  const v = e.meta?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

export const isCall = (e: TimelineEvent): boolean => e.type === 'call';

/** A call logged as lost is a loss just like a deal_lost event from the CRM (server/scoring/model.ts). */
export const isLoss = (e: TimelineEvent): boolean =>
  e.type === 'deal_lost' || (isCall(e) && metaString(e, 'outcome') === 'lost');

/** A complaint event, or a call whose outcome was a complaint. */
export const isComplaint = (e: TimelineEvent): boolean =>
  e.type === 'complaint' || (isCall(e) && metaString(e, 'outcome') === 'complaint');

/** A form counts as an inquiry unless it says otherwise (meta.form = 'newsletter', ...). */
export const isInquiry = (e: TimelineEvent): boolean =>
  e.type === 'form_submit' && (metaString(e, 'form') ?? 'inquiry') === 'inquiry';

export interface TimedEvent {
  event: TimelineEvent;
  at: number;
}

/**
 * Events up to `now`, oldest first, with parsed times. The API sends the timeline newest
 * first and a freshly logged call may sit on top out of order, so the order is not trusted;
 * events with an unreadable time or in the future (clock skew) are left out.
 */
export function pastEvents(timeline: readonly TimelineEvent[] | undefined, now: number): TimedEvent[] {
  const out: TimedEvent[] = [];
  for (const event of timeline ?? []) {
    const at = Date.parse(event.at);
    if (Number.isFinite(at) && at <= now) out.push({ event, at });
  }
  return out.sort((a, b) => a.at - b.at);
}
