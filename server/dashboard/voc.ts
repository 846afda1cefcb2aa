/**
 * Voice of the customer: what the calls said, over time. Most answers are "no", and the reasons
 * behind them are what product and promotion can act on; complaints per 100 calls shows whether
 * the cooldowns are right.
 */
import { CALL_OUTCOMES, LOSS_REASONS } from '../../utils/api/contract';
import { instant, type CallOutcome, type CallRow, type LossReason } from './activity';
import { periodOf, type Granularity } from './periods';

export interface Share {
  count: number;
  /** Share of the period's calls (outcomes) or of its losses (loss reasons), percent, one decimal. */
  percent: number;
}

export interface VocPeriod {
  period: string;
  calls: number;
  outcomes: Record<CallOutcome, Share>;
  lossReasons: Record<LossReason, Share>;
  complaintsPer100Calls: number;
}

export interface VocTrend {
  /** Change in share between the last two periods, percentage points (null with fewer than two periods). */
  outcomes: Record<CallOutcome, number | null>;
  lossReasons: Record<LossReason, number | null>;
}

export interface VocReport {
  periods: VocPeriod[];
  total: Omit<VocPeriod, 'period'>;
  trend: VocTrend;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const pct = (count: number, of: number): number => (of === 0 ? 0 : round1((count / of) * 100));

function summarise(calls: readonly CallRow[]): Omit<VocPeriod, 'period'> {
  const outcomes = Object.fromEntries(CALL_OUTCOMES.map((o) => {
    const count = calls.filter((c) => c.outcome === o).length;
    return [o, { count, percent: pct(count, calls.length) }];
  })) as Record<CallOutcome, Share>;
  const reasons = calls.filter((c) => c.lossReason !== undefined);
  const lossReasons = Object.fromEntries(LOSS_REASONS.map((r) => {
    const count = reasons.filter((c) => c.lossReason === r).length;
    return [r, { count, percent: pct(count, reasons.length) }];
  })) as Record<LossReason, Share>;
  return { calls: calls.length, outcomes, lossReasons, complaintsPer100Calls: pct(outcomes.complaint.count, calls.length) };
}

function delta<K extends string>(keys: readonly K[], a: Record<K, Share> | undefined, b: Record<K, Share> | undefined): Record<K, number | null> {
  return Object.fromEntries(keys.map((k) => [k, a && b ? round1(b[k].percent - a[k].percent) : null])) as Record<K, number | null>;
}

/** Calls between `from` (inclusive) and `to` (exclusive), bucketed by their local day or week. */
export function vocReport(calls: readonly CallRow[], granularity: Granularity, timeZone: string, from: number, to: number): VocReport {
  const inRange = calls.filter((c) => {
    const ms = instant(c.at);
    return ms !== undefined && ms >= from && ms < to;
  });
  const byPeriod = new Map<string, CallRow[]>();
  for (const c of inRange) {
    const period = periodOf(Date.parse(c.at), granularity, timeZone);
    byPeriod.set(period, [...(byPeriod.get(period) ?? []), c]);
  }
  const periods = [...byPeriod.keys()].sort().map((period) => ({ period, ...summarise(byPeriod.get(period) ?? []) }));
  const [prev, last] = periods.slice(-2);
  const pair = periods.length >= 2 ? [prev, last] : [undefined, undefined];
  return {
    periods,
    total: summarise(inRange),
    trend: {
      outcomes: delta(CALL_OUTCOMES, pair[0]?.outcomes, pair[1]?.outcomes),
      lossReasons: delta(LOSS_REASONS, pair[0]?.lossReasons, pair[1]?.lossReasons),
    },
  };
}

/** Fold width and case so "ｶｶｸ", "カカク" and "KAKAKU" searches behave as people expect. */
export const normaliseForSearch = (text: string): string => text.normalize('NFKC').toLowerCase();

/** Calls whose note contains every word of the query (space or full-width space separated), newest first. */
export function searchNotes(calls: readonly CallRow[], query: string): CallRow[] {
  const words = normaliseForSearch(query).split(/\s+/u).filter(Boolean);
  return calls
    .filter((c) => c.note !== undefined && words.every((w) => normaliseForSearch(c.note ?? '').includes(w)))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
