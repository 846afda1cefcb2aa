/**
 * The running state's stored text (server/scoring/state-codec.ts): the current encoding read
 * back, the first encoding (a JSON object) still read, and anything else refused so the lead is
 * re-scored in full. Summaries are checked against the model (scoreLead), the oracle.
 */
import { describe, expect, it } from 'vitest';
import { addEvents, buildState, summaryFromState, type ScoreState } from '../../server/scoring/incremental';
import { scoreLead, type LeadEvent, type LeadProfile } from '../../server/scoring/model';
import { DEFAULT_RULES } from '../../server/scoring/rules';
import { decodeState, encodeState } from '../../server/scoring/state-codec';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const now = Date.parse('2026-11-25T02:00:00Z');
const profile: LeadProfile = { employees: 400, createdAt: now - 60 * DAY };

const history: LeadEvent[] = [
  { id: 'a', at: now - 20 * DAY, type: 'download', title: 'Price list', channel: 'web', meta: { topic: '料金', campaign: 'autumn' } },
  { id: 'b', at: now - 9 * DAY, type: 'call', title: 'Call', meta: { outcome: 'lost', lossReason: 'budget', note: 'x'.repeat(2000) } },
  { id: 'c', at: now - 3 * HOUR, type: 'video_watched', title: 'Demo', meta: { watchedPercent: 91, topic: 'kintone' } },
  { id: 'd', at: now - 2 * HOUR, type: 'form_submit', title: 'Newsletter', meta: { form: 'newsletter', utm: 'mail' } },
  { id: 'e', at: now - HOUR, type: 'email_open', title: 'Mail', channel: '' },
];

/** The model's answer, in the summary's shape. */
function want(events: readonly LeadEvent[], at: number) {
  const s = scoreLead(profile, events, at, DEFAULT_RULES);
  return { score: s.score, band: s.band, stage: s.stage, needAt: s.needDetectedAt, cooldownUntil: s.cooldownUntil };
}

function got(state: ScoreState, at: number) {
  const s = summaryFromState(state, at, DEFAULT_RULES, profile);
  if (!s) throw new Error('the state did not answer');
  return { score: s.score, band: s.band, stage: s.stage, needAt: s.need ? new Date(s.need.at).toISOString() : undefined, cooldownUntil: s.cooldownUntil };
}

describe('running state as stored text', () => {
  it('reads back what it wrote: tail events keep id, time, type, title, channel and only the meta the summary reads', () => {
    const state = buildState(history, now, DEFAULT_RULES, profile);
    const back = decodeState(encodeState(state));
    expect(back?.tail).toEqual([
      { id: 'c', at: now - 3 * HOUR, type: 'video_watched', title: 'Demo', meta: { watchedPercent: 91 } },
      { id: 'd', at: now - 2 * HOUR, type: 'form_submit', title: 'Newsletter', meta: { form: 'newsletter' } },
      { id: 'e', at: now - HOUR, type: 'email_open', title: 'Mail', channel: '' },
    ]);
    // The folded part as the fold left it (the lost call is before the cut).
    expect({ ...back, tail: [] }).toEqual({ ...state, tail: [] });
    expect(back?.losses).toEqual([now - 9 * DAY]);
    const next = back && addEvents(back, [{ id: 'f', at: now + HOUR, type: 'seminar_attended', title: 'Seminar' }], now + 2 * HOUR, DEFAULT_RULES, profile);
    if (!next) throw new Error('the fold refused');
    const all = [...history, { id: 'f', at: now + HOUR, type: 'seminar_attended', title: 'Seminar' }];
    expect(got(next, now + 2 * HOUR)).toEqual(want(all, now + 2 * HOUR));
  });

  it('reads a state written before this encoding (the ScoreState as a JSON object) and folds the next events into it', () => {
    const state = buildState(history, now, DEFAULT_RULES, profile);
    // What the previous server version stored for this lead.
    const old = JSON.stringify(state);
    expect(old.startsWith('{"v":1,')).toBe(true);
    const read = decodeState(old);
    expect(read).toEqual(state);
    if (!read) throw new Error('the old state did not read');
    const next = addEvents(read, [{ id: 'f', at: now + 3 * DAY, type: 'form_submit', title: 'Inquiry' }], now + 3 * DAY, DEFAULT_RULES, profile);
    if (!next) throw new Error('the fold refused');
    expect(got(next, now + 3 * DAY)).toEqual(want([...history, { id: 'f', at: now + 3 * DAY, type: 'form_submit', title: 'Inquiry' }], now + 3 * DAY));
  });

  it('reads the current encoding as written out by hand', () => {
    const text = '[2,1,"rk",7,70,1000,12.5,900,[900],[950,960],1,"web",["i",940,"form_submit","Inquiry","web"],[930,72,"download","Guide"],'
      + '100,990,990,980,[900,1],[970,990],800,[["t1",1500,"call","Call",null,{"outcome":"no_answer"}],["t2",1600,"email_open","Mail"]]]';
    expect(decodeState(text)).toEqual({
      v: 1, rules: 'rk', profile: 7, hot: 70, cut: 1000, total: 12.5, loss: 900, losses: [900], calls: [950, 960], complained: true, channel: 'web',
      intent: { id: 'i', at: 940, type: 'form_submit', title: 'Inquiry', channel: 'web' },
      crossing: { at: 930, score: 72, trigger: { type: 'download', title: 'Guide' } },
      first: 100, last: 990, lastMeaningful: 990, lastLight: 980, deal: { at: 900, loss: true }, recent: [970, 990], beforeRecent: 800,
      tail: [{ id: 't1', at: 1500, type: 'call', title: 'Call', meta: { outcome: 'no_answer' } }, { id: 't2', at: 1600, type: 'email_open', title: 'Mail' }],
    });
    // A crossing without a trigger (a penalty expired), no intent, no deal.
    const bare = decodeState('[2,1,"rk",0,70,null,0,null,[],[],0,null,null,[930,71],null,null,null,null,null,[],null,[]]');
    expect(bare?.crossing).toEqual({ at: 930, score: 71 });
    expect(bare?.complained).toBe(false);
    expect(bare?.deal).toBeNull();
  });

  it.each([
    ['no state yet', null],
    ['not JSON', '{"v":1,'],
    ['another state version (current encoding)', '[2,99,"rk",0,70,null,0,null,[],[],0,null,null,null,null,null,null,null,null,[],null,[]]'],
    ['another state version (first encoding)', '{"v":0,"tail":[]}'],
    ['an encoding this build does not know', '[3,1,"rk",0,70,null,0,null,[],[],0,null,null,null,null,null,null,null,null,[],null,[]]'],
    ['a cut-short array', '[2,1,"rk"]'],
    ['a number', '42'],
    ['a tail entry that is not an event', '[2,1,"rk",0,70,null,0,null,[],[],0,null,null,null,null,null,null,null,null,[],null,[null]]'],
    ['lists missing (current encoding)', '[2,1,"rk",0,70,null,0,null,null,[],0,null,null,null,null,null,null,null,null,[],null,[]]'],
    ['lists missing (first encoding)', '{"v":1}'],
  ])('refuses %s: the lead is re-scored from its history', (_, text) => {
    expect(decodeState(text)).toBeUndefined();
  });
});
