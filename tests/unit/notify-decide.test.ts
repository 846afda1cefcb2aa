// Who gets notified of what: tables over decideNotifications with a fixed clock (Asia/Tokyo,
// Wednesday 2026-05-13 10:00 unless a row says otherwise). A lead is "mine" when owned by u-me.
import { describe, expect, it } from 'vitest';
import type { LeadSummary } from '../../utils/api/contract';
import { decideNotifications, renderPlan, type DecideInput, type DeferredItem, type LeadChange } from '../../utils/notify/decide';
import type { Translate } from '../../utils/notify/text';
import { Preferences, type PreferencesInput } from '../../utils/preferences/schema';
import en from '../../public/_locales/en/messages.json';
import ja from '../../public/_locales/ja/messages.json';

const catalogue = (messages: Record<string, { message: string }>): Translate => (key, subs = []) => {
  const message = messages[key]?.message;
  if (message === undefined) throw new Error(`missing message ${key}`);
  return message.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');
};
const inEnglish = catalogue(en);
const inJapanese = catalogue(ja);

const at = (local: string) => new Date(`${local}+09:00`);
const WED_10 = '2026-05-13T10:00:00';

function lead(over: Partial<LeadSummary> = {}): LeadSummary {
  return {
    id: 'L1', name: 'Tanaka', company: 'ACME', owner: { id: 'u-me', name: 'Me' },
    score: 80, scoreChange24h: 25, band: 'hot', needDetectedAt: '2026-05-13T09:30:00+09:00',
    stage: 'lead', lastActivityAt: '2026-05-13T09:30:00+09:00', crmRefs: [], updatedAt: '2026-05-13T09:31:00+09:00',
    ...over,
  };
}
const cold = (over: Partial<LeadSummary> = {}) => lead({ band: 'cold', score: 30, needDetectedAt: undefined, ...over });
const becameHot = (over: Partial<LeadSummary> = {}): LeadChange => ({ before: cold({ id: over.id ?? 'L1' }), after: lead(over) });
const teammate = { owner: { id: 'u-other', name: 'Suzuki' } };

const prefs = (input: PreferencesInput = {}) => Preferences.parse(input);

function decide(over: Partial<DecideInput> & { now?: Date } = {}) {
  return decideNotifications({
    changes: [], prefs: prefs(), me: { userId: 'u-me' }, now: at(WED_10), alreadyNotified: new Set(), deferred: [], windowMinutes: 120,
    ...over,
  });
}
const kinds = (result: ReturnType<typeof decide>) => result.notify.map((p) => `${p.kind}:${p.leadId ?? p.items?.length}`);

describe('decideNotifications: who gets which alert', () => {
  it.each<[string, LeadChange[], PreferencesInput, Partial<DecideInput>, string[]]>([
    ['my lead became hot', [becameHot()], {}, {}, ['becameHot:L1']],
    ['seminar attended', [{ after: lead(), signal: 'seminar_attended' }], {}, {}, ['seminarAttended:L1']],
    ['video watched', [{ after: lead(), signal: 'video_watched' }], {}, {}, ['videoWatched:L1']],
    ['inquiry form', [{ after: lead(), signal: 'form_submit' }], {}, {}, ['inquiryForm:L1']],
    ['dormant customer waking', [{ before: cold({ stage: 'sleep' }), after: cold({ stage: 'sleep', waking: true, lastActivityAt: '2026-05-13T09:00:00+09:00' }) }], {}, {}, ['dormantWaking:L1']],
    ['waking on an activity over a day old', [{ before: cold(), after: cold({ waking: true, lastActivityAt: '2026-05-11T09:00:00+09:00' }) }], {}, {}, []],
    ['already hot, same need, score moved', [{ before: lead({ score: 75 }), after: lead({ score: 85 }) }], {}, {}, []],
    ['already hot, same need spelt in UTC', [{ before: lead({ needDetectedAt: '2026-05-13T00:30:00Z' }), after: lead() }], {}, {}, []],
    ['already hot, a new need', [{ before: lead({ needDetectedAt: '2026-05-12T09:00:00+09:00' }), after: lead() }], {}, {}, ['becameHot:L1']],
    ['first sync (no before)', [{ after: lead() }], {}, {}, ['becameHot:L1']],
    ['need whose window closed', [becameHot({ needDetectedAt: '2026-05-13T07:00:00+09:00' })], {}, {}, []],
    ['signal without needDetectedAt', [{ after: lead({ needDetectedAt: undefined }), signal: 'seminar_attended' }], {}, {}, []],
    ["teammate's lead, scope mine", [becameHot(teammate)], {}, {}, []],
    ["teammate's lead, scope team", [becameHot(teammate)], { notifications: { scope: 'team' } }, {}, ['becameHot:L1']],
    ["teammate's lead I follow, scope mine", [becameHot(teammate)], { followed: ['L1'] }, {}, ['becameHot:L1']],
    ['unowned lead, scope mine', [becameHot({ owner: undefined })], {}, {}, []],
    ['type switched off', [becameHot()], { notifications: { types: { becameHot: false } } }, {}, []],
    ['type switched off, but followed', [becameHot()], { notifications: { types: { becameHot: false } }, followed: ['L1'] }, {}, ['becameHot:L1']],
    ['seminar switched off', [{ after: lead(), signal: 'seminar_attended' }], { notifications: { types: { seminarAttended: false } } }, {}, []],
    ['muted', [becameHot()], { muted: ['L1'] }, {}, []],
    ['muted and followed: mute wins', [becameHot()], { muted: ['L1'], followed: ['L1'] }, {}, []],
    ['muted, scope team', [becameHot(teammate)], { muted: ['L1'], notifications: { scope: 'team' } }, {}, []],
    ['below minimum score', [becameHot({ score: 60 })], { notifications: { minScore: 70 } }, {}, []],
    ['at minimum score', [becameHot({ score: 70 })], { notifications: { minScore: 70 } }, {}, ['becameHot:L1']],
    ['below minimum score, but followed', [becameHot({ score: 60 })], { notifications: { minScore: 70 }, followed: ['L1'] }, {}, ['becameHot:L1']],
    ['snoozed for another hour', [becameHot()], {}, { snoozed: { L1: '2026-05-13T11:00:00+09:00' } }, []],
    ['snooze over', [becameHot()], {}, { snoozed: { L1: '2026-05-13T09:59:00+09:00' } }, ['becameHot:L1']],
    ['snooze of another lead', [becameHot()], {}, { snoozed: { L2: '2026-05-13T11:00:00+09:00' } }, ['becameHot:L1']],
    ['same change twice in one sync', [becameHot(), becameHot()], {}, {}, ['becameHot:L1']],
  ])('%s', (_name, changes, prefsInput, extra, expected) => {
    expect(kinds(decide({ changes, prefs: prefs(prefsInput), ...extra }))).toEqual(expected);
  });
});

describe('decideNotifications: once per need', () => {
  it('announces a need on the first poll and never again on later polls', () => {
    const first = decide({ changes: [becameHot()] });
    expect(kinds(first)).toEqual(['becameHot:L1']);
    expect(first.keysToRecord).toEqual(['L1@2026-05-13T09:30:00+09:00']);

    const alreadyNotified = new Set(first.keysToRecord);
    for (const change of [becameHot(), { before: lead(), after: lead({ score: 90 }) }, { after: lead(), signal: 'seminar_attended' as const }]) {
      const again = decide({ changes: [change], alreadyNotified, now: at('2026-05-13T10:05:00') });
      expect(kinds(again)).toEqual([]);
      expect(again.keysToRecord).toEqual([]);
    }
  });

  it('records a need whose window has closed, so it is never announced later', () => {
    const late = decide({ changes: [becameHot({ needDetectedAt: '2026-05-13T07:00:00+09:00' })] });
    expect(late.notify).toEqual([]);
    expect(late.keysToRecord).toEqual(['L1@2026-05-13T07:00:00+09:00']);
  });

  it('does not record what it skipped for mute, scope or a switched-off type (a later change of mind still counts)', () => {
    for (const p of [prefs({ muted: ['L1'] }), prefs({ notifications: { types: { becameHot: false } } })]) {
      expect(decide({ changes: [becameHot()], prefs: p }).keysToRecord).toEqual([]);
    }
    expect(decide({ changes: [becameHot(teammate)] }).keysToRecord).toEqual([]);
  });
});

describe('decideNotifications: the deadline is a business-hours one', () => {
  const calendar = { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo', closedDates: ['2026-11-23'] };
  it.each([
    ['Friday 18:30 need → 30 min Friday, the rest Monday: "before 11/30 10:30"', '2026-11-27T18:30:00', '2026-11-27T18:31:00', 'Score rose to 80 — call before 11/30 10:30 while the need is fresh.'],
    ['before a Monday holiday → Tuesday', '2026-11-20T18:30:00', '2026-11-20T18:31:00', 'Score rose to 80 — call before 11/24 10:30 while the need is fresh.'],
    ['inside the day → today', '2026-11-26T10:00:00', '2026-11-26T10:01:00', 'Score rose to 80 — call before 12:00 while the need is fresh.'],
  ])('%s', (_name, need, now, message) => {
    const change = becameHot({ needDetectedAt: `${need}+09:00` });
    const { notify } = decide({ changes: [change], now: at(now), calendar, prefs: prefs({ notifications: { workingDays: [0, 1, 2, 3, 4, 5, 6], quietHours: { enabled: false, start: '20:00', end: '08:00' } } }) });
    expect(renderPlan(notify[0]!, inEnglish).message).toBe(message);
  });

  it('"No answer" does not silence the window-ending alert; "Connected" does', () => {
    const standing = [lead({ needDetectedAt: '2026-05-13T08:30:00+09:00' })];
    const now = at('2026-05-13T10:15:00');
    expect(kinds(decide({ standing, now, calls: [{ leadId: 'L1', at: '2026-05-13T09:00:00+09:00', outcome: 'no_answer' }] }))).toEqual(['windowEnding:L1']);
    expect(kinds(decide({ standing, now, calls: [{ leadId: 'L1', at: '2026-05-13T09:00:00+09:00', outcome: 'connected' }] }))).toEqual([]);
  });
});

describe('decideNotifications: the text names the lead, the reason and the next action', () => {
  it.each<[string, LeadChange, Partial<LeadSummary>, string, string]>([
    ['seminar', { after: lead(), signal: 'seminar_attended' }, { needReason: 'Attended seminar: kintone for IT' },
      'Seminar attended: Tanaka (ACME)', 'Attended seminar: kintone for IT — check the post-seminar survey, then call before 11:30.'],
    ['hot, no reason given', becameHot(), {}, 'Hot now: Tanaka (ACME)', 'Score rose to 80 — call before 11:30 while the need is fresh.'],
    ['video, no company', { after: lead(), signal: 'video_watched' }, { company: undefined, needReason: 'Watched 92 % of the kintone demo' },
      'Video watched: Tanaka', 'Watched 92 % of the kintone demo — ask what they thought of the video; call before 11:30.'],
    ['inquiry', { after: lead(), signal: 'form_submit' }, {}, 'New inquiry: Tanaka (ACME)', 'Sent an inquiry — answer the inquiry by phone before 11:30.'],
    ['in cooldown', becameHot(), { cooldownUntil: '2026-05-14T09:00:00+09:00', needReason: 'Visited pricing' },
      'Hot now: Tanaka (ACME)', 'Visited pricing — but a cooldown applies until 5/14 09:00: check the panel before calling.'],
  ])('%s', (_name, change, over, title, message) => {
    const { notify } = decide({ changes: [{ ...change, after: { ...change.after, ...over } }] });
    expect(notify).toHaveLength(1);
    const plan = notify[0]!;
    expect(plan.buttons).toEqual(['open', 'snooze']);
    expect(renderPlan(plan, inEnglish)).toMatchObject({ title, message });
  });

  it('renders in Japanese from the same plan', () => {
    const { notify } = decide({ changes: [{ after: lead({ name: '田中 太郎', company: '株式会社アクメ', needReason: 'セミナー参加: kintone 活用術' }), signal: 'seminar_attended' }] });
    expect(renderPlan(notify[0]!, inJapanese)).toEqual({
      title: 'セミナー参加: 田中 太郎 様(株式会社アクメ)',
      message: 'セミナー参加: kintone 活用術 — 事後アンケートを確認して、11:30 までに電話しましょう。',
      items: [],
    });
  });

  it('gives a stable id per alert', () => {
    const a = decide({ changes: [becameHot()] }).notify[0]!;
    const b = decide({ changes: [becameHot()], now: at('2026-05-13T10:01:00') }).notify[0]!;
    expect(a.id).toBe(b.id);
  });
});

describe('decideNotifications: quiet hours and working days (20:00–08:00, Mon–Fri, Asia/Tokyo)', () => {
  // A need detected a minute before each instant, so it is always fresh.
  const changeAt = (local: string): LeadChange => {
    const need = new Date(at(local).getTime() - 60_000).toISOString();
    return becameHot({ needDetectedAt: need });
  };
  it.each<[string, string, PreferencesInput, 'now' | 'held']>([
    ['Wednesday 19:59', '2026-05-13T19:59:00', {}, 'now'],
    ['Wednesday 20:00', '2026-05-13T20:00:00', {}, 'held'],
    ['Thursday 07:59 (wrapped midnight)', '2026-05-14T07:59:00', {}, 'held'],
    ['Thursday 08:00', '2026-05-14T08:00:00', {}, 'now'],
    ['Saturday noon', '2026-05-16T12:00:00', {}, 'held'],
    ['Sunday 23:00', '2026-05-17T23:00:00', {}, 'held'],
    ['Monday 08:00', '2026-05-18T08:00:00', {}, 'now'],
    ['Wednesday 22:00, quiet hours off', '2026-05-13T22:00:00', { notifications: { quietHours: { enabled: false } } }, 'now'],
    ['Saturday noon, quiet hours off (still not a working day)', '2026-05-16T12:00:00', { notifications: { quietHours: { enabled: false } } }, 'held'],
    ['Saturday noon, Saturday is a working day', '2026-05-16T12:00:00', { notifications: { workingDays: [1, 2, 3, 4, 5, 6] } }, 'now'],
    ['12:30 inside a lunch break 12:00–13:00', '2026-05-13T12:30:00', { notifications: { quietHours: { start: '12:00', end: '13:00' } } }, 'held'],
    ['13:00 after a lunch break 12:00–13:00', '2026-05-13T13:00:00', { notifications: { quietHours: { start: '12:00', end: '13:00' } } }, 'now'],
    ['start = end means no quiet time', '2026-05-13T22:00:00', { notifications: { quietHours: { start: '22:00', end: '22:00' } } }, 'now'],
    ['Wednesday 10:00 in London is 18:00 in Tokyo', '2026-05-13T18:00:00', { notifications: { timeZone: 'Europe/London' } }, 'now'],
    ['Wednesday 21:00 in Tokyo is 13:00 in London', '2026-05-13T21:00:00', { notifications: { timeZone: 'Europe/London' } }, 'now'],
  ])('%s → %s', (_name, local, prefsInput, expected) => {
    const result = decide({ changes: [changeAt(local)], now: at(local), prefs: prefs(prefsInput) });
    expect(result.keysToRecord).toHaveLength(1);
    if (expected === 'now') {
      expect(kinds(result)).toEqual(['becameHot:L1']);
      expect(result.defer).toEqual([]);
    } else {
      expect(result.notify).toEqual([]);
      expect(result.defer.map((d) => d.plan.kind)).toEqual(['becameHot']);
    }
  });

  it('holds overnight, does not hold twice, and delivers ONE summary when the quiet time ends', () => {
    const evening = decide({ changes: [becameHot({ id: 'L1', needDetectedAt: '2026-05-13T20:50:00+09:00' })], now: at('2026-05-13T21:00:00') });
    expect(evening.notify).toEqual([]);
    const seen = new Set(evening.keysToRecord);

    const later = decide({
      changes: [becameHot({ id: 'L1', needDetectedAt: '2026-05-13T20:50:00+09:00' }), becameHot({ id: 'L2', name: 'Sato', needDetectedAt: '2026-05-13T22:50:00+09:00' })],
      now: at('2026-05-13T23:00:00'), alreadyNotified: seen, deferred: evening.defer,
    });
    expect(later.notify).toEqual([]);
    expect(later.defer.map((d) => d.plan.leadId)).toEqual(['L1', 'L2']);

    const morning = decide({ now: at('2026-05-14T08:00:00'), deferred: later.defer, alreadyNotified: new Set([...seen, ...later.keysToRecord]) });
    expect(morning.defer).toEqual([]);
    expect(morning.notify).toHaveLength(1);
    const summary = morning.notify[0]!;
    expect(summary.kind).toBe('summary');
    expect(renderPlan(summary, inEnglish)).toEqual({
      title: 'While notifications were on hold: 2 alerts',
      message: 'Tanaka (ACME), Sato (ACME) — open LeadLens and start with the most urgent.',
      items: [{ title: 'Tanaka (ACME)', message: 'Became hot' }, { title: 'Sato (ACME)', message: 'Became hot' }],
    });
  });

  it('holds over the weekend and sums up on Monday morning, with what arrives then', () => {
    const saturday = decide({ changes: [becameHot({ needDetectedAt: '2026-05-16T11:50:00+09:00' })], now: at('2026-05-16T12:00:00') });
    expect(saturday.defer).toHaveLength(1);
    const monday = decide({
      changes: [becameHot({ id: 'L9', name: 'Ito', needDetectedAt: '2026-05-18T08:55:00+09:00' })],
      now: at('2026-05-18T09:00:00'), deferred: saturday.defer, alreadyNotified: new Set(saturday.keysToRecord),
    });
    expect(kinds(monday)).toEqual(['summary:2']);
    expect(monday.notify[0]?.items?.map((i) => i.leadId)).toEqual(['L1', 'L9']);
  });

  it('delivers a single held alert as itself', () => {
    const held: DeferredItem[] = decide({ changes: [becameHot({ needDetectedAt: '2026-05-13T20:50:00+09:00' })], now: at('2026-05-13T21:00:00') }).defer;
    expect(kinds(decide({ now: at('2026-05-14T08:00:00'), deferred: held }))).toEqual(['becameHot:L1']);
  });

  it('drops held alerts about a lead muted in the meantime', () => {
    const held = decide({ changes: [becameHot({ needDetectedAt: '2026-05-13T20:50:00+09:00' })], now: at('2026-05-13T21:00:00') }).defer;
    expect(decide({ now: at('2026-05-14T08:00:00'), deferred: held, prefs: prefs({ muted: ['L1'] }) }).notify).toEqual([]);
  });
});

describe('decideNotifications: more than three at once become one summary', () => {
  const names = ['Tanaka', 'Sato', 'Suzuki', 'Ito', 'Kato', 'Yamada', 'Abe'];
  const hot = (n: number) => names.slice(0, n).map((name, i) => becameHot({ id: `L${i + 1}`, name, company: undefined }));

  it.each<[string, LeadChange[], string[], string | undefined, string | undefined]>([
    ['three stay single', hot(3), ['becameHot:L1', 'becameHot:L2', 'becameHot:L3'], undefined, undefined],
    ['five become "5 new hot leads"', hot(5), ['summary:5'], '5 new hot leads', 'Tanaka, Sato, Suzuki, Ito, Kato — open LeadLens and start with the most urgent.'],
    ['seven name five "and 2 more"', hot(7), ['summary:7'], '7 new hot leads', 'Tanaka, Sato, Suzuki, Ito, Kato and 2 more — open LeadLens and start with the most urgent.'],
    ['mixed kinds', [...hot(3), { after: lead({ id: 'L8', name: 'Mori', company: undefined }), signal: 'seminar_attended' }, {
      before: cold({ id: 'L9' }), after: cold({ id: 'L9', name: 'Ueda', company: undefined, waking: true }),
    }], ['summary:5'], '5 new hot leads', undefined],
  ])('%s', (_name, changes, expected, title, message) => {
    const result = decide({ changes });
    expect(kinds(result)).toEqual(expected);
    if (title) expect(renderPlan(result.notify[0]!, inEnglish).title).toBe(title);
    if (message) expect(renderPlan(result.notify[0]!, inEnglish).message).toBe(message);
    expect(result.keysToRecord).toHaveLength(changes.length);
  });

  it('calls a mix of hot and stale alerts "LeadLens alerts", and keeps the same id whatever the order', () => {
    const stale = cold({ id: 'S1', name: 'Old', company: undefined, lastActivityAt: '2026-05-01T10:00:00+09:00' });
    const p = prefs({ notifications: { types: { staleAssigned: true } } });
    const a = decide({ changes: hot(3), standing: [stale], prefs: p });
    const b = decide({ changes: [...hot(3)].reverse(), standing: [stale], prefs: p });
    expect(renderPlan(a.notify[0]!, inEnglish).title).toBe('4 new LeadLens alerts');
    expect(a.notify[0]!.id).toBe(b.notify[0]!.id);
    expect(a.notify[0]!.buttons).toEqual(['open']);
  });
});

describe('decideNotifications: call window ending (need 09:30 + 120 min = 11:30)', () => {
  const standingHot = lead();
  it.each<[string, string, Partial<LeadSummary>, Partial<DecideInput>, string[]]>([
    ['10:59, not yet', '2026-05-13T10:59:00', {}, {}, []],
    ['11:00, 30 min left', '2026-05-13T11:00:00', {}, {}, ['windowEnding:L1']],
    ['11:29, 1 min left', '2026-05-13T11:29:00', {}, {}, ['windowEnding:L1']],
    ['11:30, closed', '2026-05-13T11:30:00', {}, {}, []],
    ['called already', '2026-05-13T11:00:00', {}, { calls: [{ leadId: 'L1', at: '2026-05-13T10:15:00+09:00' }] }, []],
    ['a call before the need does not count', '2026-05-13T11:00:00', {}, { calls: [{ leadId: 'L1', at: '2026-05-13T09:00:00+09:00' }] }, ['windowEnding:L1']],
    ['in cooldown', '2026-05-13T11:00:00', { cooldownUntil: '2026-05-14T09:00:00+09:00' }, {}, []],
    ['no longer hot', '2026-05-13T11:00:00', { band: 'warm' }, {}, []],
    ['switched off', '2026-05-13T11:00:00', {}, { prefs: prefs({ notifications: { types: { windowEnding: false } } }) }, []],
    ['a 30-minute window has no separate ending alert', '2026-05-13T09:45:00', {}, { windowMinutes: 30 }, []],
  ])('%s', (_name, local, over, extra, expected) => {
    expect(kinds(decide({ standing: [{ ...standingHot, ...over }], now: at(local), ...extra }))).toEqual(expected);
  });

  it('says how long is left and until when', () => {
    const { notify } = decide({ standing: [standingHot], now: at('2026-05-13T11:10:00') });
    expect(renderPlan(notify[0]!, inEnglish)).toMatchObject({
      title: 'Call window ends soon: Tanaka (ACME)',
      message: '20 minutes left to the call deadline (11:30) — call now.',
    });
  });

  it('fires once per need', () => {
    const first = decide({ standing: [standingHot], now: at('2026-05-13T11:00:00') });
    expect(first.keysToRecord).toEqual(['L1@2026-05-13T09:30:00+09:00#ending']);
    const second = decide({ standing: [standingHot], now: at('2026-05-13T11:10:00'), alreadyNotified: new Set(first.keysToRecord) });
    expect(second.notify).toEqual([]);
  });

  it('is not sent next to the need alert that already names the deadline', () => {
    const late = decide({ changes: [becameHot()], now: at('2026-05-13T11:05:00') });
    expect(kinds(late)).toEqual(['becameHot:L1']);
    expect(late.keysToRecord).toEqual(['L1@2026-05-13T09:30:00+09:00', 'L1@2026-05-13T09:30:00+09:00#ending']);
  });

  it('still comes when the need alert itself was switched off', () => {
    const p = prefs({ notifications: { types: { becameHot: false } } });
    expect(kinds(decide({ changes: [becameHot()], now: at('2026-05-13T11:05:00'), prefs: p }))).toEqual(['windowEnding:L1']);
  });
});

describe('decideNotifications: stale assigned leads ("recycle?")', () => {
  const staleOn = prefs({ notifications: { types: { staleAssigned: true }, staleAfterDays: 7 } });
  const idle = (days: number, over: Partial<LeadSummary> = {}) =>
    cold({ id: 'S1', lastActivityAt: new Date(at(WED_10).getTime() - days * 86_400_000).toISOString(), ...over });
  it.each<[string, LeadSummary, ReturnType<typeof prefs>, string[]]>([
    ['8 idle days', idle(8), staleOn, ['staleAssigned:S1']],
    ['exactly 7', idle(7), staleOn, ['staleAssigned:S1']],
    ['6 idle days', idle(6), staleOn, []],
    ['off by default', idle(8), prefs(), []],
    ["a teammate's lead", idle(8, teammate), staleOn, []],
    ["a teammate's lead I follow (recycling is the owner's call)", idle(8, teammate), prefs({ notifications: { types: { staleAssigned: true } }, followed: ['S1'] }), []],
    ['my lead at stage sleep (already nurtured)', idle(8, { stage: 'sleep' }), staleOn, []],
    ['at stage process', idle(8, { stage: 'process' }), staleOn, ['staleAssigned:S1']],
    ['no activity date', idle(8, { lastActivityAt: undefined }), staleOn, []],
    ['minimum score does not apply', idle(8, { score: 5 }), prefs({ notifications: { types: { staleAssigned: true }, minScore: 50 } }), ['staleAssigned:S1']],
    ['muted', idle(8), prefs({ notifications: { types: { staleAssigned: true } }, muted: ['S1'] }), []],
    ['staleAfterDays 30', idle(8), prefs({ notifications: { types: { staleAssigned: true }, staleAfterDays: 30 } }), []],
  ])('%s', (_name, standing, p, expected) => {
    expect(kinds(decide({ standing: [standing], prefs: p }))).toEqual(expected);
  });

  it('nudges once per lead per lastActivityAt, and again after a new activity goes stale', () => {
    const first = decide({ standing: [idle(8)], prefs: staleOn });
    expect(renderPlan(first.notify[0]!, inEnglish)).toMatchObject({
      title: 'Recycle? Tanaka (ACME)',
      message: "No activity for 8 days. How is it going? If you won't follow up, recycle it to nurture mail.",
    });
    const seen = new Set(first.keysToRecord);
    expect(decide({ standing: [idle(8)], prefs: staleOn, alreadyNotified: seen, now: at('2026-05-14T10:00:00') }).notify).toEqual([]);
    const newActivity = idle(8, { lastActivityAt: '2026-05-05T09:00:00+09:00' });
    expect(kinds(decide({ standing: [newActivity], prefs: staleOn, alreadyNotified: seen }))).toEqual(['staleAssigned:S1']);
  });
});
