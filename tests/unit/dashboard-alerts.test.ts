// @vitest-environment node
// Alert decisions, Tokyo 09:00–19:00 Mon–Fri, alert after 30 min, 2-hour window.
import { describe, expect, it } from 'vitest';
import type { CallRow, NeedRow } from '../../server/dashboard/activity';
import { DEFAULT_ALERT_SETTINGS, decideAlerts, digestContent, digestDue, type AlertInput, type AlertSettings } from '../../server/dashboard/alerts';
import type { WindowRule } from '../../server/dashboard/calendar';
import { needOutcomes } from '../../server/dashboard/response';

const jst = (local: string): string => `${local}+09:00`;
const at = (local: string): number => Date.parse(jst(local));
const need = (leadId: string, local: string, ownerId = 'r1'): NeedRow => ({ leadId, leadName: leadId, ownerId, needDetectedAt: jst(local), needReason: 'inquiry' });
const call = (leadId: string, local: string): CallRow => ({ id: `${leadId}-${local}`, leadId, actorId: 'r1', at: jst(local), outcome: 'connected' });
const calendar = { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo', closedDates: [], japaneseHolidays: true };
const rule: WindowRule = { windowMinutes: 120, calendar };
const settings: AlertSettings = { ...DEFAULT_ALERT_SETTINGS, address: 'team@example.jp' };
const emails: Record<string, string> = { r1: 'sato@example.jp', r2: 'team@example.jp' };

const thursday = [
  need('N1', '2026-11-26T13:30:00'),
  need('N2', '2026-11-26T13:45:00'),
  need('N3', '2026-11-26T12:30:00'),
  need('N4', '2026-11-26T11:00:00'),
  need('N5', '2026-11-26T13:00:00'),
];
const input = (over: Partial<AlertInput>): AlertInput => ({
  hotNeeds: thursday, calls: [call('N3', '2026-11-26T12:50:00')], rule, settings,
  alreadySent: new Set([`N5@${new Date(jst('2026-11-26T13:00:00')).toISOString()}`]),
  ownerEmail: (id) => emails[id], now: at('2026-11-26T14:00:00'), ...over,
});
const summary = (over: Partial<AlertInput>) => decideAlerts(input(over)).map((m) => [m.need.leadId, m.to.join(';'), m.cc.join(';'), m.timeLeftMs / 60_000]);

describe('decideAlerts', () => {
  it.each<[string, Partial<AlertInput>, unknown[]]>([
    ['30 min uncalled, window open: one mail; too fresh, called, closed or already sent: none', {}, [['N1', 'team@example.jp', '', 90]]],
    ['29 minutes is not yet', { now: at('2026-11-26T13:59:00') }, []],
    ['after hours: nothing', { now: at('2026-11-26T19:10:00'), hotNeeds: [need('X', '2026-11-26T18:30:00')] }, []],
    ['Saturday: nothing', { now: at('2026-11-28T11:00:00'), hotNeeds: [need('X', '2026-11-28T10:00:00')] }, []],
    ['public holiday: nothing', { now: at('2026-11-23T11:00:00'), hotNeeds: [need('X', '2026-11-23T10:00:00')] }, []],
    ['owner in copy', { settings: { ...settings, ccOwner: true } }, [['N1', 'team@example.jp', 'sato@example.jp', 90]]],
    ['owner is the alert address: no copy to self', { settings: { ...settings, ccOwner: true }, hotNeeds: [need('N1', '2026-11-26T13:30:00', 'r2')] }, [['N1', 'team@example.jp', '', 90]]],
    ['no team address: the owner gets it', { settings: { ...settings, address: '', ccOwner: true } }, [['N1', 'sato@example.jp', '', 90]]],
    ['no team address, owner not asked: nobody', { settings: { ...settings, address: '' } }, []],
    ['instant mails off (digest only)', { settings: { ...settings, instant: false, digest: true } }, []],
    ['a 45-minute delay', { settings: { ...settings, afterMinutes: 45 }, now: at('2026-11-26T14:15:00') }, [['N1', 'team@example.jp', '', 75]]],
  ])('%s', (_n, over, expected) => {
    expect(summary(over)).toEqual(expected);
  });

  it('counts the delay in working minutes, as the window', () => {
    const friday = { hotNeeds: [need('W', '2026-11-27T18:50:00')], calls: [], alreadySent: new Set<string>(), rule };
    expect(summary({ ...friday, now: at('2026-11-30T09:19:00') })).toEqual([]);
    expect(summary({ ...friday, now: at('2026-11-30T09:20:00') })).toEqual([['W', 'team@example.jp', '', 90]]);
  });
});

describe('digestDue', () => {
  const digest = { ...settings, digest: true };
  it.each<[string, string, string | undefined, AlertSettings, string | undefined]>([
    ['before the hour', '2026-11-26T08:29:00', '2026-11-25', digest, undefined],
    ['at the hour', '2026-11-26T08:30:00', '2026-11-25', digest, '2026-11-26'],
    ['later the same day, never sent', '2026-11-26T15:00:00', undefined, digest, '2026-11-26'],
    ['already sent today', '2026-11-26T09:00:00', '2026-11-26', digest, undefined],
    ['Saturday', '2026-11-28T09:00:00', '2026-11-27', digest, undefined],
    ['option off', '2026-11-26T09:00:00', '2026-11-25', settings, undefined],
  ])('%s', (_n, now, last, s, expected) => {
    expect(digestDue(at(now), last, s, rule)).toBe(expected);
  });

  it('lists windows that closed uncalled since the last digest', () => {
    const needs = [need('M1', '2026-11-25T10:00:00'), need('M2', '2026-11-25T17:30:00'), need('M3', '2026-11-24T10:00:00'), need('OK', '2026-11-25T11:00:00')];
    const outcomes = needOutcomes(needs, [call('OK', '2026-11-25T11:30:00')], rule, at('2026-11-26T08:30:00'));
    // M2 (17:30) had 90 working minutes on Wednesday and keeps 30 for Thursday 09:00–09:30: still open.
    expect(digestContent(outcomes, at('2026-11-25T08:30:00'), at('2026-11-26T08:30:00')).map((o) => o.need.leadId)).toEqual(['M1']);
  });
});
