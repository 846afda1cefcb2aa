// @vitest-environment node
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { CallOutcome, CallRow, LossReason } from '../../server/dashboard/activity';
import { BOM, csvCell, toCsv } from '../../server/dashboard/csv';
import { searchNotes, vocReport } from '../../server/dashboard/voc';

const jst = (local: string): string => `${local}+09:00`;
let n = 0;
const call = (local: string, outcome: CallOutcome, lossReason?: LossReason, note?: string): CallRow =>
  ({ id: `c${++n}`, leadId: `L${n}`, actorId: 'r1', at: jst(local), outcome, lossReason, note });

// Week of 11-16: 4 calls (2 lost: price, price; 1 complaint; 1 connected).
// Week of 11-23: 5 calls (1 lost: timing; 1 lost: price; 3 meeting_set).
const calls: CallRow[] = [
  call('2026-11-16T10:00:00', 'lost', 'price'),
  call('2026-11-17T10:00:00', 'lost', 'price'),
  call('2026-11-18T10:00:00', 'complaint'),
  call('2026-11-22T23:59:00', 'connected'), // Sunday night: still the week of the 16th
  call('2026-11-23T00:00:00', 'lost', 'timing'),
  call('2026-11-24T10:00:00', 'lost', 'price'),
  call('2026-11-25T10:00:00', 'meeting_set'),
  call('2026-11-25T11:00:00', 'meeting_set'),
  call('2026-11-26T11:00:00', 'meeting_set'),
  call('2026-12-10T11:00:00', 'complaint'), // outside the range asked for
];
const FROM = Date.parse(jst('2026-11-01T00:00:00'));
const TO = Date.parse(jst('2026-12-01T00:00:00'));

describe('vocReport', () => {
  const r = vocReport(calls, 'week', 'Asia/Tokyo', FROM, TO);

  it('counts and shares per week', () => {
    expect(r.periods.map((p) => [p.period, p.calls, p.outcomes.lost.count, p.outcomes.lost.percent, p.complaintsPer100Calls])).toEqual([
      ['2026-11-16', 4, 2, 50, 25],
      ['2026-11-23', 5, 2, 40, 0],
    ]);
    expect(r.periods[1]?.lossReasons.price).toEqual({ count: 1, percent: 50 });
    expect(r.periods[1]?.outcomes.meeting_set).toEqual({ count: 3, percent: 60 });
  });

  it('totals over the range and the trend between the last two periods', () => {
    expect(r.total.calls).toBe(9);
    expect(r.total.lossReasons.price).toEqual({ count: 3, percent: 75 });
    expect(r.total.complaintsPer100Calls).toBe(11.1);
    expect(r.trend.outcomes.meeting_set).toBe(60);
    expect(r.trend.outcomes.lost).toBe(-10);
    expect(r.trend.lossReasons.timing).toBe(50);
  });

  it('no trend with a single period', () => {
    expect(vocReport(calls.slice(0, 2), 'week', 'Asia/Tokyo', FROM, TO).trend.outcomes.lost).toBeNull();
  });
});

describe('searchNotes', () => {
  const noted = [
    call('2026-11-20T10:00:00', 'lost', 'price', '価格が高いとのこと。来期予算で再検討'),
    call('2026-11-21T10:00:00', 'lost', 'competitor', 'ＡＢＣ社に決定'),
    call('2026-11-22T10:00:00', 'connected', undefined, 'Price list requested'),
    call('2026-11-22T11:00:00', 'connected'),
  ];
  it.each<[string, string, string[]]>([
    ['Japanese substring', '価格', ['価格が高いとのこと。来期予算で再検討']],
    ['full-width matches half-width, any case', 'abc', ['ＡＢＣ社に決定']],
    ['every word must appear (full-width space too)', '価格　予算', ['価格が高いとのこと。来期予算で再検討']],
    ['English, case-insensitive', 'PRICE', ['Price list requested']],
    ['empty query lists every note, newest first', '', ['Price list requested', 'ＡＢＣ社に決定', '価格が高いとのこと。来期予算で再検討']],
  ])('%s', (_n, q, expected) => {
    expect(searchNotes(noted, q).map((c) => c.note)).toEqual(expected);
  });
});

describe('CSV for Excel', () => {
  it.each<[string, string | number | undefined, string]>([
    ['plain', 'abc', 'abc'],
    ['comma', 'a,b', '"a,b"'],
    ['quote', 'say "hi"', '"say ""hi"""'],
    ['newline', 'line1\nline2', '"line1\nline2"'],
    ['number', 42.5, '42.5'],
    ['negative number stays a number', -3, '-3'],
    ['empty', undefined, ''],
    ['formula is neutralised', '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['at sign', '@SUM(A1)', "'@SUM(A1)"],
  ])('%s', (_n, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('starts with a BOM, ends lines with CRLF and parses back', () => {
    const text = toCsv(['日時', 'メモ'], [['2026-11-20', '価格が高い, "再検討"\n来期'], ['2026-11-21', '']]);
    expect(text.startsWith(BOM)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows).toEqual([['日時', 'メモ'], ['2026-11-20', '価格が高い, "再検討"\n来期'], ['2026-11-21', '']]);
  });
});
