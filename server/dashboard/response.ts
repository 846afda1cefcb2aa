/**
 * The two-hour response KPI (calls within the window after a need raise conversion several
 * times over): per need, whether it was called in its window, late, missed or still waiting;
 * then per rep and per team, by day or week of the need.
 */
import { callsByLead, firstCallAfter, instant, needKey, type CallRow, type NeedRow } from './activity';
import { minutesToCall, windowEnd, type WindowRule } from './calendar';
import { median, periodOf, type Granularity } from './periods';

export type NeedStatus = 'in_window' | 'late' | 'missed' | 'waiting';

export interface NeedOutcome {
  need: NeedRow;
  needMs: number;
  windowEndsAt: number;
  status: NeedStatus;
  firstCallAt?: number;
  firstCallerId?: string;
  minutesToFirstCall?: number;
}

/** Each distinct need (lead + instant) once, with its first call and status at `now`. */
export function needOutcomes(needs: readonly NeedRow[], calls: readonly CallRow[], rule: WindowRule, now: number): NeedOutcome[] {
  const byLead = callsByLead(calls);
  const seen = new Set<string>();
  const distinct: { need: NeedRow; ms: number }[] = [];
  for (const need of needs) {
    const ms = instant(need.needDetectedAt);
    if (ms === undefined || ms > now) continue;
    const key = needKey(need);
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push({ need, ms });
  }
  // The lead's next need bounds the search: a call after it answers that one, not this one.
  const needTimes = new Map<string, number[]>();
  for (const { need, ms } of distinct) needTimes.set(need.leadId, [...(needTimes.get(need.leadId) ?? []), ms]);
  for (const list of needTimes.values()) list.sort((a, b) => a - b);

  return distinct.map(({ need, ms }) => {
    const next = needTimes.get(need.leadId)?.find((t) => t > ms);
    const end = windowEnd(ms, rule);
    const first = firstCallAfter(byLead.get(need.leadId), ms, next);
    if (first && first.ms <= now) {
      return {
        need, needMs: ms, windowEndsAt: end,
        status: first.ms <= end ? 'in_window' : 'late',
        firstCallAt: first.ms, firstCallerId: first.call.actorId,
        minutesToFirstCall: minutesToCall(ms, first.ms, rule),
      };
    }
    return { need, needMs: ms, windowEndsAt: end, status: now <= end ? 'waiting' : 'missed' };
  });
}

export interface ResponseStats {
  period: string;
  /** The owning rep; undefined in the team rows. */
  repId?: string;
  /** Needs detected in the period. */
  needs: number;
  calledInWindow: number;
  /** Windows that closed without a call in them (called late or not at all). */
  missedWindows: number;
  /** Windows still open and not called yet: not counted in the rate. */
  waiting: number;
  /** calledInWindow / (needs − waiting), whole percent; null when nothing is decided yet. */
  ratePercent: number | null;
  /** Over the needs that were called (in the window or late). */
  medianMinutesToFirstCall: number | null;
}

function stats(period: string, repId: string | undefined, rows: readonly NeedOutcome[]): ResponseStats {
  const count = (s: NeedStatus) => rows.filter((r) => r.status === s).length;
  const calledInWindow = count('in_window');
  const waiting = count('waiting');
  const decided = rows.length - waiting;
  const minutes = rows.flatMap((r) => (r.minutesToFirstCall === undefined ? [] : [r.minutesToFirstCall]));
  return {
    period, repId,
    needs: rows.length, calledInWindow, missedWindows: count('late') + count('missed'), waiting,
    ratePercent: decided === 0 ? null : Math.round((calledInWindow / decided) * 100),
    medianMinutesToFirstCall: median(minutes) ?? null,
  };
}

export interface TwoHourReport {
  team: ResponseStats[];
  reps: ResponseStats[];
}

/** Team and per-rep rows, periods in time order; reps by id within a period. Stock needs count for the team only. */
export function twoHourReport(outcomes: readonly NeedOutcome[], granularity: Granularity, timeZone: string): TwoHourReport {
  const byPeriod = new Map<string, NeedOutcome[]>();
  for (const o of outcomes) {
    const period = periodOf(o.needMs, granularity, timeZone);
    byPeriod.set(period, [...(byPeriod.get(period) ?? []), o]);
  }
  const periods = [...byPeriod.keys()].sort();
  const team = periods.map((p) => stats(p, undefined, byPeriod.get(p) ?? []));
  const reps = periods.flatMap((p) => {
    const rows = byPeriod.get(p) ?? [];
    const repIds = [...new Set(rows.flatMap((r) => (r.need.ownerId ? [r.need.ownerId] : [])))].sort();
    return repIds.map((rep) => stats(p, rep, rows.filter((r) => r.need.ownerId === rep)));
  });
  return { team, reps };
}

/** One rep's windows that closed without a call in them, newest first. */
export function missedOf(outcomes: readonly NeedOutcome[], repId: string): NeedOutcome[] {
  return outcomes
    .filter((o) => o.need.ownerId === repId && (o.status === 'missed' || o.status === 'late'))
    .sort((a, b) => b.needMs - a.needMs);
}
