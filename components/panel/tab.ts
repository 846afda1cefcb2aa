/**
 * What the folded panel's tab says. A score alone hid the one thing a folded panel must not
 * hide: a do-not-call lead showed as a calm number. So the tab leads with the block (⛔) or the
 * warning (⚠) in force, then the score, then the call window's time left while it runs (never
 * for a blocked lead: a countdown would invite the call the block forbids). Pure: the panel
 * hands in the cooldowns and window it already computed.
 */
import type { LeadSummary } from '../../utils/api/contract';
import type { CallWindowState } from '../../utils/policy/call-window';
import type { EvaluatedCooldown } from '../../utils/policy/cooldown-merge';

export type TabMark = 'block' | 'warn' | 'none';

export interface TabView {
  mark: TabMark;
  /** Rounded; undefined while there is no lead behind the record. */
  score?: number;
  band: string;
  /** The window's time left (ms), while it is open or paused and no block is in force. */
  leftMs?: number;
  /** The window stands still (outside business hours). */
  paused?: boolean;
}

/** In force at `now`: no end, or an end still ahead. */
const inForce = (c: EvaluatedCooldown, now: number) => c.until === undefined || Date.parse(c.until) > now;

export function tabView(lead: Pick<LeadSummary, 'score' | 'band'> | undefined, cooldowns: readonly EvaluatedCooldown[], window: CallWindowState, now: number): TabView {
  if (!lead) return { mark: 'none', band: 'none' };
  const active = cooldowns.filter((c) => inForce(c, now));
  const mark: TabMark = active.some((c) => c.severity === 'block') ? 'block' : active.some((c) => c.severity === 'warn') ? 'warn' : 'none';
  const running = (window.state === 'open' || window.state === 'paused') && mark !== 'block';
  return {
    mark,
    score: Math.round(lead.score),
    band: lead.band,
    ...(running ? { leftMs: window.remainingMs, ...(window.state === 'paused' ? { paused: true } : {}) } : {}),
  };
}

/** "1:23" / "0:07": the tab is 44 px wide, the aria-label carries the words. */
export function compactLeft(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
