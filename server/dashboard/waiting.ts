/**
 * "Waiting now": hot leads nobody has called since their need, the least time left first
 * (windows already closed come first, most overdue on top: they are the ones to rescue).
 */
import type { CallRow, NeedRow } from './activity';
import { workingMinutesBetween, type WindowRule } from './calendar';
import { needOutcomes } from './response';

export interface WaitingRow {
  need: NeedRow;
  windowEndsAt: number;
  /** Working time left, as the rep's panel counts it; once closed, minus the wall-clock time since. */
  timeLeftMs: number;
}

/** `hotNeeds`: the current need of each lead that is hot now (older needs of a lead are ignored). */
export function waitingNow(hotNeeds: readonly NeedRow[], calls: readonly CallRow[], rule: WindowRule, now: number): WaitingRow[] {
  const latest = new Map<string, NeedRow>();
  for (const need of hotNeeds) {
    const prev = latest.get(need.leadId);
    if (!prev || Date.parse(need.needDetectedAt) > Date.parse(prev.needDetectedAt)) latest.set(need.leadId, need);
  }
  return needOutcomes([...latest.values()], calls, rule, now)
    .filter((o) => o.status === 'waiting' || o.status === 'missed')
    .map((o) => ({ need: o.need, windowEndsAt: o.windowEndsAt, timeLeftMs: o.windowEndsAt > now ? workingMinutesBetween(now, o.windowEndsAt, rule.calendar) * 60_000 : o.windowEndsAt - now }))
    .sort((a, b) => a.timeLeftMs - b.timeLeftMs || a.need.leadName.localeCompare(b.need.leadName));
}
