/**
 * A message the UI shows, kept as an i18n key plus parameters so the decision functions stay
 * pure and language-free. Times are kept as instants, not durations, so a decision stays true
 * until its next boundary: the panel renders "2 h ago" / "1 h 23 min left" from its own
 * ticking clock (components/panel/format.ts), in the reader's locale.
 */
import type { MessageKey } from '../i18n';

export type MessageParam =
  | string
  | number
  /** Time since an instant (ISO): "2 h" / "2時間". */
  | { since: string }
  /** Time left until an instant (ISO): "1 h 23 min" / "1時間23分". */
  | { until: string }
  /** A fixed length of time in ms (a paused window's time left): "1 h 30 min". */
  | { duration: number }
  /** An instant (ISO), as a date and time in the reader's locale and zone. */
  | { time: string }
  /** Another message, e.g. a loss-reason label. */
  | { message: MessageKey };

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** `now` as epoch ms, whichever way the caller holds the clock. */
export const toMs = (now: Date | number): number => (typeof now === 'number' ? now : now.getTime());

/** The label of a value the API sent as a free string; undefined when unknown (prototype keys included). */
export const labelOf = <K extends string>(labels: Readonly<Record<K, MessageKey>>, value: unknown): MessageKey | undefined =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(labels, value) ? labels[value as K] : undefined;
