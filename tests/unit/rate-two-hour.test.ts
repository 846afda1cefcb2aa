// "My 2-hour rate" (the share of need signals called within two hours: the KPI a team steers by). Fixed clock:
// Wednesday 2026-05-13 18:00 in Tokyo; the week started Monday 2026-05-11 00:00.
import { describe, expect, it } from 'vitest';
import { twoHourRate, twoHourRateText, weekStart, type TwoHourRateInput } from '../../utils/notify/rate';
import { renderText, type Translate } from '../../utils/notify/text';
import en from '../../public/_locales/en/messages.json';
import ja from '../../public/_locales/ja/messages.json';

const catalogue = (messages: Record<string, { message: string }>): Translate => (key, subs = []) =>
  (messages[key]?.message ?? key).replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');

const jst = (local: string) => `${local}+09:00`;
const NOW = new Date(jst('2026-05-13T18:00:00'));
const rate = (over: Partial<TwoHourRateInput>) =>
  twoHourRate({ hotLeads: [], calls: [], windowMinutes: 120, now: NOW, weekStartsOn: 1, ...over });
const hot = (leadId: string, local: string) => ({ leadId, needDetectedAt: jst(local) });
const call = (leadId: string, local: string) => ({ leadId, at: jst(local) });
const OFFICE = { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo' };

describe('twoHourRate', () => {
  it.each<[string, Partial<TwoHourRateInput>, { called: number; total: number; percent: number | null; pending: number }]>([
    ['nothing this week', {}, { called: 0, total: 0, percent: null, pending: 0 }],
    ['called 30 min after', { hotLeads: [hot('A', '2026-05-12T10:00:00')], calls: [call('A', '2026-05-12T10:30:00')] }, { called: 1, total: 1, percent: 100, pending: 0 }],
    ['called at the last minute (inclusive)', { hotLeads: [hot('A', '2026-05-12T10:00:00')], calls: [call('A', '2026-05-12T12:00:00')] }, { called: 1, total: 1, percent: 100, pending: 0 }],
    ['called a minute late', { hotLeads: [hot('A', '2026-05-12T10:00:00')], calls: [call('A', '2026-05-12T12:01:00')] }, { called: 0, total: 1, percent: 0, pending: 0 }],
    ['called before the need', { hotLeads: [hot('A', '2026-05-12T10:00:00')], calls: [call('A', '2026-05-12T09:59:00')] }, { called: 0, total: 1, percent: 0, pending: 0 }],
    ['another lead was called', { hotLeads: [hot('A', '2026-05-12T10:00:00')], calls: [call('B', '2026-05-12T10:30:00')] }, { called: 0, total: 1, percent: 0, pending: 0 }],
    ['window still open, not called: pending', { hotLeads: [hot('A', '2026-05-13T17:00:00')] }, { called: 0, total: 0, percent: null, pending: 1 }],
    ['window still open, called', { hotLeads: [hot('A', '2026-05-13T17:00:00')], calls: [call('A', '2026-05-13T17:10:00')] }, { called: 1, total: 1, percent: 100, pending: 0 }],
    ['last week does not count', { hotLeads: [hot('A', '2026-05-10T23:59:00')] }, { called: 0, total: 0, percent: null, pending: 0 }],
    ['Monday 00:00 counts', { hotLeads: [hot('A', '2026-05-11T00:00:00')] }, { called: 0, total: 1, percent: 0, pending: 0 }],
    ['week starting Sunday takes Sunday in', { hotLeads: [hot('A', '2026-05-10T12:00:00')], weekStartsOn: 0 }, { called: 0, total: 1, percent: 0, pending: 0 }],
    ['the same need listed twice counts once', { hotLeads: [hot('A', '2026-05-12T10:00:00'), hot('A', '2026-05-12T10:00:00')] }, { called: 0, total: 1, percent: 0, pending: 0 }],
    ['hot twice in a week: two chances', { hotLeads: [hot('A', '2026-05-11T10:00:00'), hot('A', '2026-05-12T10:00:00')], calls: [call('A', '2026-05-12T10:05:00')] }, { called: 1, total: 2, percent: 50, pending: 0 }],
    ['a 30-minute window', { hotLeads: [hot('A', '2026-05-12T10:00:00')], calls: [call('A', '2026-05-12T10:45:00')], windowMinutes: 30 }, { called: 0, total: 1, percent: 0, pending: 0 }],
    // With the team's calendar (09:00–19:00 weekdays) the window counts business time, as on the panel.
    ['evening need called next morning, wall clock: late', { hotLeads: [hot('A', '2026-05-12T18:30:00')], calls: [call('A', '2026-05-13T09:30:00')] }, { called: 0, total: 1, percent: 0, pending: 0 }],
    ['same, business time: 30 + 30 minutes, in time', { hotLeads: [hot('A', '2026-05-12T18:30:00')], calls: [call('A', '2026-05-13T09:30:00')], calendar: OFFICE }, { called: 1, total: 1, percent: 100, pending: 0 }],
    ['business time: ended 10:30 uncalled', { hotLeads: [hot('A', '2026-05-12T18:30:00')], calls: [call('A', '2026-05-13T10:31:00')], calendar: OFFICE }, { called: 0, total: 1, percent: 0, pending: 0 }],
    ['business time: 17:30 today keeps 30 minutes for tomorrow: pending', { hotLeads: [hot('A', '2026-05-13T15:30:00'), hot('B', '2026-05-13T17:30:00')], calendar: OFFICE }, { called: 0, total: 1, percent: 0, pending: 1 }],
    ['bad dates are ignored', { hotLeads: [{ leadId: 'A', needDetectedAt: 'yesterday' }], calls: [{ leadId: 'A', at: 'soon' }] }, { called: 0, total: 0, percent: null, pending: 0 }],
  ])('%s', (_name, input, expected) => {
    expect(rate(input)).toMatchObject(expected);
  });

  it('makes "12 of 14 called within 2 h — 86 %"', () => {
    const hotLeads = Array.from({ length: 14 }, (_, i) => hot(`L${i}`, `2026-05-12T${String(8 + i).padStart(2, '0')}:00:00`));
    const calls = hotLeads.slice(0, 12).map((h) => ({ leadId: h.leadId, at: new Date(Date.parse(h.needDetectedAt) + 90 * 60_000).toISOString() }));
    const result = rate({ hotLeads, calls });
    expect(result).toMatchObject({ called: 12, total: 14, percent: 86 });
    expect(renderText(twoHourRateText(result, 120), catalogue(en))).toBe('12 of 14 called within 2 h — 86 %');
    expect(renderText(twoHourRateText(result, 120), catalogue(ja))).toBe('14 件中 12 件に 2 時間以内に架電 — 86%');
    expect(renderText(twoHourRateText(result, 90), catalogue(en))).toBe('12 of 14 called within 90 min — 86 %');
    expect(renderText(twoHourRateText(rate({}), 120), catalogue(en))).toBe('No hot leads to count this week yet');
  });
});

describe('weekStart', () => {
  it.each<[string, string, number, string, string]>([
    ['Wednesday in Tokyo, weeks from Monday', '2026-05-13T18:00:00+09:00', 1, 'Asia/Tokyo', '2026-05-10T15:00:00.000Z'],
    ['Monday 00:00 is its own week start', '2026-05-11T00:00:00+09:00', 1, 'Asia/Tokyo', '2026-05-10T15:00:00.000Z'],
    ['Sunday 23:59 belongs to the week before', '2026-05-10T23:59:00+09:00', 1, 'Asia/Tokyo', '2026-05-03T15:00:00.000Z'],
    ['weeks from Sunday', '2026-05-13T18:00:00+09:00', 0, 'Asia/Tokyo', '2026-05-09T15:00:00.000Z'],
    // London moved to summer time on 2026-03-29 01:00 UTC: Monday 23 March 00:00 was GMT.
    ['across a daylight-saving change', '2026-03-29T12:00:00+01:00', 1, 'Europe/London', '2026-03-23T00:00:00.000Z'],
  ])('%s', (_name, now, startsOn, zone, expected) => {
    expect(new Date(weekStart(new Date(now), startsOn, zone)).toISOString()).toBe(expected);
  });
});
