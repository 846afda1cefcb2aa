/**
 * The running state as stored (lead_states.state, a text column) and read back.
 *
 * Every ingest batch reads and writes the state of each lead it touches, so its text form is on
 * the hot path twice per lead. It is a JSON array by position, not an object: JSON.parse and
 * JSON.stringify are the fastest (de)serialisers Node has, and without the keys the text is
 * about half as long and parses in about half the time. Tail events keep only what the summary
 * reads of them (SUMMARY_META_KEYS of their meta): a connector's meta may hold up to 8 KB per event.
 *
 * States written before this encoding (a JSON object, `{"v":1,…}`) are still read: their
 * meaning is the same ScoreState, so nothing has to be rebuilt for them.
 *
 * A text that does not read as a state of this version gives undefined: the caller then
 * re-scores the lead from its full history, which writes a fresh state.
 */
import { SCORE_STATE_VERSION, SUMMARY_META_KEYS, type ScoreState } from './incremental';
import type { LeadEvent } from './model';

/** First element of the array: the encoding's own version (the state's is SCORE_STATE_VERSION, next to it). */
const ENCODING = 2;

/** [id, at, type, title] then channel (null when none) and meta, each only when present. */
type EventRow = [string, number, string, string, (string | null)?, Record<string, unknown>?];

type Row = [
  encoding: number, v: number, rules: string, profile: number, hot: number, cut: number | null, total: number,
  loss: number | null, losses: number[], calls: number[], complained: 0 | 1, channel: string | null, intent: EventRow | null,
  crossing: [number, number] | [number, number, string, string] | null, first: number | null, last: number | null,
  lastMeaningful: number | null, lastLight: number | null, deal: [number, 0 | 1] | null, recent: number[],
  beforeRecent: number | null, tail: EventRow[],
];

function slimMeta(meta: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (meta === undefined) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const k of SUMMARY_META_KEYS) {
    if (meta[k] !== undefined) (out ??= {})[k] = meta[k];
  }
  return out;
}

function eventRow(e: LeadEvent): EventRow {
  const meta = slimMeta(e.meta);
  if (meta) return [e.id, e.at, e.type, e.title, e.channel ?? null, meta];
  if (e.channel !== undefined) return [e.id, e.at, e.type, e.title, e.channel];
  return [e.id, e.at, e.type, e.title];
}

function eventOf(r: EventRow): LeadEvent {
  const e: LeadEvent = { id: r[0], at: r[1], type: r[2], title: r[3] };
  if (r[4] !== undefined && r[4] !== null) e.channel = r[4];
  if (r[5] !== undefined) e.meta = r[5];
  return e;
}

export function encodeState(s: ScoreState): string {
  const c = s.crossing;
  const row: Row = [
    ENCODING, s.v, s.rules, s.profile, s.hot, s.cut, s.total, s.loss, s.losses, s.calls, s.complained ? 1 : 0, s.channel,
    s.intent ? eventRow(s.intent) : null,
    c ? (c.trigger ? [c.at, c.score, c.trigger.type, c.trigger.title] : [c.at, c.score]) : null,
    s.first, s.last, s.lastMeaningful, s.lastLight, s.deal ? [s.deal.at, s.deal.loss ? 1 : 0] : null, s.recent, s.beforeRecent,
    s.tail.map(eventRow),
  ];
  return JSON.stringify(row);
}

function stateOf(r: Row): ScoreState {
  const c = r[13];
  const deal = r[18];
  return {
    v: r[1], rules: r[2], profile: r[3], hot: r[4], cut: r[5], total: r[6], loss: r[7], losses: r[8], calls: r[9],
    complained: r[10] === 1, channel: r[11], intent: r[12] ? eventOf(r[12]) : null,
    crossing: c ? { at: c[0], score: c[1], ...(c.length === 4 ? { trigger: { type: c[2], title: c[3] } } : {}) } : null,
    first: r[14], last: r[15], lastMeaningful: r[16], lastLight: r[17], deal: deal ? { at: deal[0], loss: deal[1] === 1 } : null,
    recent: r[19], beforeRecent: r[20], tail: r[21].map(eventOf),
  };
}

/** A stored state still usable by this version of the fold; undefined otherwise (the lead is then re-scored in full). */
export function decodeState(text: string | null): ScoreState | undefined {
  if (text === null) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (Array.isArray(v)) {
    if (v.length !== 22 || v[0] !== ENCODING || v[1] !== SCORE_STATE_VERSION) return undefined;
    // The lists the fold walks: a text of the right version but another shape is refused, not thrown on.
    const [losses, calls, recent, tail] = [v[8], v[9], v[19], v[21]] as unknown[];
    if (!Array.isArray(losses) || !Array.isArray(calls) || !Array.isArray(recent) || !Array.isArray(tail) || !tail.every(Array.isArray)) return undefined;
    return stateOf(v as Row);
  }
  // The first encoding: the ScoreState object itself.
  if (v === null || typeof v !== 'object') return undefined;
  const s = v as Partial<Record<keyof ScoreState, unknown>>;
  if (s.v !== SCORE_STATE_VERSION || !Array.isArray(s.losses) || !Array.isArray(s.calls) || !Array.isArray(s.recent) || !Array.isArray(s.tail)) return undefined;
  return v as ScoreState;
}
