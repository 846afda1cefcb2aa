// The team policy over a timeline, merged with the API's cooldowns. Clocks are fixed in JST:
// Tuesday 10:00 (business hours), Saturday 12:00 and Monday 19:30 (outside them).
import { describe, expect, it } from 'vitest';
import type { Cooldown, TimelineEvent } from '../../utils/api/contract';
import { isBusinessOpen, nextBusinessOpening } from '../../utils/policy/business-hours';
import {
  DEFAULT_TEAM_POLICY, evaluateCooldowns, isCallableNow, nextCooldownChange, type CooldownInput, type TeamPolicy,
} from '../../utils/policy/cooldowns';

const H = 3_600_000;
const D = 24 * H;
const TUE_10 = Date.parse('2025-07-15T10:00:00+09:00');
const SAT_12 = Date.parse('2025-07-19T12:00:00+09:00');
const MON_1930 = Date.parse('2025-07-14T19:30:00+09:00');
const iso = (ms: number) => new Date(ms).toISOString();

let seq = 0;
const ev = (type: string, atMs: number, extra: Partial<TimelineEvent> = {}): TimelineEvent => ({ id: `e${++seq}`, at: iso(atMs), type, title: type, ...extra });
const call = (atMs: number, actor?: string, outcome = 'connected') => ev('call', atMs, { ...(actor ? { actor } : {}), meta: { outcome } });
const api = (reason: string, severity: Cooldown['severity'], until?: number, message = `API says ${reason}`): Cooldown =>
  ({ reason, severity, message, ...(until !== undefined ? { until: iso(until) } : {}) });

/** reason/severity/until of each cooldown, in the order returned. */
const brief = (input: CooldownInput, now: number, user?: string, policy: TeamPolicy = DEFAULT_TEAM_POLICY) =>
  evaluateCooldowns(input, policy, now, user).map((c) => [c.reason, c.severity, c.until] as const);

describe('evaluateCooldowns: the team policy over the timeline', () => {
  it.each<[string, CooldownInput, number, (readonly [string, string, string | undefined])[]]>([
    ['nothing on a Tuesday at 10:00', { timeline: [] }, TUE_10, []],
    ['Saturday 12:00 → quiet hours until Monday 09:00', { timeline: [] }, SAT_12, [['quiet_hours', 'warn', '2025-07-21T00:00:00.000Z']]],
    ['Monday 19:30 → quiet hours until Tuesday 09:00', { timeline: [] }, MON_1930, [['quiet_hours', 'warn', '2025-07-15T00:00:00.000Z']]],
    ['lost 5 days ago → block until lost + 14 days', { timeline: [ev('deal_lost', TUE_10 - 5 * D)] }, TUE_10, [['recently_lost', 'block', iso(TUE_10 + 9 * D)]]],
    ['lost 20 days ago → nothing', { timeline: [ev('deal_lost', TUE_10 - 20 * D)] }, TUE_10, []],
    ['a call logged as lost 5 days ago is a loss', { timeline: [call(TUE_10 - 5 * D, 'Sato', 'lost')] }, TUE_10, [['recently_lost', 'block', iso(TUE_10 + 9 * D)]]],
    ['lost then won → nothing', { timeline: [ev('deal_lost', TUE_10 - 5 * D), ev('deal_won', TUE_10 - 4 * D)] }, TUE_10, []],
    ['complaint 100 days ago → do not call, no end', { timeline: [ev('complaint', TUE_10 - 100 * D)] }, TUE_10, [['do_not_call', 'block', undefined]]],
    ['a colleague called 2 h ago → warn until +48 h', { timeline: [call(TUE_10 - 2 * H, 'Sato')] }, TUE_10, [['recent_call', 'warn', iso(TUE_10 + 46 * H)]]],
    ['no answer 2 h ago → no "called recently": nobody was reached, the chase goes on', { timeline: [call(TUE_10 - 2 * H, 'Sato', 'no_answer')] }, TUE_10, []],
    ['busy and a gatekeeper neither', { timeline: [call(TUE_10 - 3 * H, 'Sato', 'busy'), call(TUE_10 - H, 'Sato', 'gatekeeper')] }, TUE_10, []],
    ['a reached call before an unanswered one still warns from the reached one', { timeline: [call(TUE_10 - 5 * H, 'Sato'), call(TUE_10 - H, 'Sato', 'no_answer')] }, TUE_10, [['recent_call', 'warn', iso(TUE_10 + 43 * H)]]],
    ['unanswered attempts count toward the contact cap', { timeline: [call(TUE_10 - 20 * D, undefined, 'no_answer'), call(TUE_10 - 10 * D, undefined, 'busy'), call(TUE_10 - 3 * D, undefined, 'gatekeeper')] }, TUE_10, [['contact_cap', 'warn', iso(TUE_10 + 10 * D)]]],
    ['called 49 h ago → nothing', { timeline: [call(TUE_10 - 49 * H, 'Sato')] }, TUE_10, []],
    ['3 calls in 30 days → contact cap until the oldest leaves', { timeline: [call(TUE_10 - 25 * D), call(TUE_10 - 10 * D), call(TUE_10 - 3 * D)] }, TUE_10, [['contact_cap', 'warn', iso(TUE_10 + 5 * D)]]],
    ['4 calls → the cap lifts when the 3rd newest leaves', { timeline: [call(TUE_10 - 29 * D), call(TUE_10 - 25 * D), call(TUE_10 - 10 * D), call(TUE_10 - 3 * D)] }, TUE_10, [['contact_cap', 'warn', iso(TUE_10 + 5 * D)]]],
    ['2 calls in 30 days, 1 older → no cap', { timeline: [call(TUE_10 - 31 * D), call(TUE_10 - 10 * D), call(TUE_10 - 3 * D)] }, TUE_10, []],
    ['events after now are ignored', { timeline: [ev('deal_lost', TUE_10 + H), call(TUE_10 + H)] }, TUE_10, []],
    ['timeline order does not matter (newest first here)', { timeline: [ev('deal_won', TUE_10 - 4 * D), ev('deal_lost', TUE_10 - 5 * D)] }, TUE_10, []],
    ['blocks first, then warns in reason order', { timeline: [call(SAT_12 - 20 * D), call(SAT_12 - 10 * D), call(SAT_12 - H, 'Sato', 'complaint')] }, SAT_12,
      [['do_not_call', 'block', undefined], ['recent_call', 'warn', iso(SAT_12 + 47 * H)], ['contact_cap', 'warn', iso(SAT_12 + 10 * D)], ['quiet_hours', 'warn', '2025-07-21T00:00:00.000Z']]],
  ])('%s', (_name, input, now, expected) => {
    expect(brief(input, now)).toEqual(expected);
  });

  it('names a colleague, says "you" for the current user, and keeps the outcome', () => {
    const [colleague] = evaluateCooldowns({ timeline: [call(TUE_10 - 2 * H, 'Sato', 'meeting_set')] }, DEFAULT_TEAM_POLICY, TUE_10, 'Tanaka');
    expect(colleague).toMatchObject({ reason: 'recent_call', actor: 'Sato', byCurrentUser: false, outcome: 'meeting_set', messageKey: 'cooldownRecentCallByMsg', params: ['Sato', { since: iso(TUE_10 - 2 * H) }], source: 'policy' });
    const [mine] = evaluateCooldowns({ timeline: [call(TUE_10 - 2 * H, ' tanaka ')] }, DEFAULT_TEAM_POLICY, new Date(TUE_10), 'Tanaka');
    expect(mine).toMatchObject({ messageKey: 'cooldownRecentCallMineMsg', params: [{ since: iso(TUE_10 - 2 * H) }], byCurrentUser: true });
    const [anonymous] = evaluateCooldowns({ timeline: [call(TUE_10 - 2 * H)] }, DEFAULT_TEAM_POLICY, TUE_10);
    expect(anonymous).toMatchObject({ messageKey: 'cooldownRecentCallMsg', params: [{ since: iso(TUE_10 - 2 * H) }] });
    expect(anonymous).not.toHaveProperty('actor');
  });

  it.each([
    ['price', { message: 'lossReasonPrice' }],
    ['gut_feeling', 'gut_feeling'],
  ])('says why it was lost (%s)', (lossReason, param) => {
    const [lost] = evaluateCooldowns({ timeline: [ev('deal_lost', TUE_10 - 5 * D, { meta: { lossReason } })] }, DEFAULT_TEAM_POLICY, TUE_10);
    expect(lost).toMatchObject({ labelKey: 'cooldownReasonRecentlyLost', messageKey: 'cooldownRecentlyLostReasonMsg', params: [{ since: iso(TUE_10 - 5 * D) }, param] });
  });

  it('follows the given policy: shorter loss cooldown, other time zone, other hours', () => {
    const policy: TeamPolicy = { ...DEFAULT_TEAM_POLICY, lostCooldownDays: 3, businessHours: { start: '08:30', end: '17:00', days: [1, 2, 3, 4, 5, 6], timeZone: 'Europe/London' } };
    // Tuesday 10:00 JST is Tuesday 02:00 in London: closed until 08:30 BST (07:30Z).
    expect(brief({ timeline: [ev('deal_lost', TUE_10 - 5 * D)] }, TUE_10, undefined, policy)).toEqual([['quiet_hours', 'warn', '2025-07-15T07:30:00.000Z']]);
  });
});

describe('evaluateCooldowns: merged with the API', () => {
  it.each<[string, CooldownInput, number, (readonly [string, string, string | undefined])[]]>([
    ['API block and local warn for the same reason → block', { timeline: [call(TUE_10 - 2 * H, 'Sato')], cooldowns: [api('recent_call', 'block', TUE_10 + D)] }, TUE_10, [['recent_call', 'block', iso(TUE_10 + D)]]],
    ['same severity → the later end wins (API)', { timeline: [call(TUE_10 - 2 * H)], cooldowns: [api('recent_call', 'warn', TUE_10 + 60 * H)] }, TUE_10, [['recent_call', 'warn', iso(TUE_10 + 60 * H)]]],
    ['same severity → the later end wins (local)', { timeline: [call(TUE_10 - 2 * H)], cooldowns: [api('recent_call', 'warn', TUE_10 + H)] }, TUE_10, [['recent_call', 'warn', iso(TUE_10 + 46 * H)]]],
    ['no end beats any end', { timeline: [], cooldowns: [api('recently_lost', 'block', TUE_10 + D), api('recently_lost', 'block')] }, TUE_10, [['recently_lost', 'block', undefined]]],
    ['an expired API cooldown is dropped (cached detail)', { timeline: [], cooldowns: [api('recently_lost', 'block', TUE_10 - H)] }, TUE_10, []],
    ['the API knows of a loss the cached timeline does not show', { timeline: [], cooldowns: [api('recently_lost', 'block', TUE_10 + 3 * D)] }, TUE_10, [['recently_lost', 'block', iso(TUE_10 + 3 * D)]]],
    ['a far-future end is "no end"', { cooldowns: [api('do_not_call', 'block', Date.parse('9999-12-31T00:00:00Z'))], cooldownUntil: '9999-12-31T00:00:00.000Z' }, TUE_10, [['do_not_call', 'block', undefined]]],
    ['summary only: cooldownUntil in the future → blocked', { cooldownUntil: iso(TUE_10 + 2 * D) }, TUE_10, [['blocked', 'block', iso(TUE_10 + 2 * D)]]],
    ['summary only: cooldownUntil past → nothing', { cooldownUntil: iso(TUE_10 - 1) }, TUE_10, []],
    ['a known block makes cooldownUntil redundant', { timeline: [ev('deal_lost', TUE_10 - 5 * D)], cooldownUntil: iso(TUE_10 + 9 * D) }, TUE_10, [['recently_lost', 'block', iso(TUE_10 + 9 * D)]]],
  ])('%s', (_name, input, now, expected) => {
    expect(brief(input, now)).toEqual(expected);
  });

  it('keeps an unknown reason with its own message, and local evidence for a known one', () => {
    const result = evaluateCooldowns(
      { timeline: [call(TUE_10 - 2 * H, 'Sato')], cooldowns: [api('legal_hold', 'block', undefined, 'Legal hold: <b>ask Legal</b>'), api('recent_call', 'block', TUE_10 + D)] },
      DEFAULT_TEAM_POLICY, TUE_10,
    );
    expect(result).toEqual([
      { reason: 'recent_call', severity: 'block', until: iso(TUE_10 + D), labelKey: 'cooldownReasonRecentCall', messageKey: 'cooldownRecentCallByMsg', params: ['Sato', { since: iso(TUE_10 - 2 * H) }], actor: 'Sato', byCurrentUser: false, outcome: 'connected', since: iso(TUE_10 - 2 * H), apiMessage: 'API says recent_call', source: 'both' },
      { reason: 'legal_hold', severity: 'block', labelKey: 'cooldownReasonOther', messageKey: 'cooldownApiMsg', params: ['Legal hold: <b>ask Legal</b>'], apiMessage: 'Legal hold: <b>ask Legal</b>', source: 'api' },
    ]);
  });
});

describe('business hours in a time zone', () => {
  const tokyo = DEFAULT_TEAM_POLICY.businessHours;
  const newYork = { ...tokyo, timeZone: 'America/New_York' };
  it.each([
    ['Tue 10:00 JST', tokyo, TUE_10, true, '2025-07-16T00:00:00.000Z'],
    ['Mon 09:00 JST (opening)', tokyo, Date.parse('2025-07-14T09:00:00+09:00'), true, '2025-07-15T00:00:00.000Z'],
    ['Mon 18:59 JST', tokyo, Date.parse('2025-07-14T18:59:00+09:00'), true, '2025-07-15T00:00:00.000Z'],
    ['Mon 19:00 JST (closing)', tokyo, Date.parse('2025-07-14T19:00:00+09:00'), false, '2025-07-15T00:00:00.000Z'],
    ['Mon 08:59 JST', tokyo, Date.parse('2025-07-14T08:59:00+09:00'), false, '2025-07-14T00:00:00.000Z'],
    ['Fri 19:30 JST → Monday', tokyo, Date.parse('2025-07-18T19:30:00+09:00'), false, '2025-07-21T00:00:00.000Z'],
    ['Sat 12:00 JST → Monday', tokyo, SAT_12, false, '2025-07-21T00:00:00.000Z'],
    // Daylight saving starts on Sunday 9 March 2025 in New York: Monday opens at 09:00 EDT (13:00Z).
    ['Sat 8 Mar 12:00 EST → Mon 09:00 EDT', newYork, Date.parse('2025-03-08T12:00:00-05:00'), false, '2025-03-10T13:00:00.000Z'],
    ['Fri 7 Mar 20:00 EST → Mon 09:00 EDT', newYork, Date.parse('2025-03-07T20:00:00-05:00'), false, '2025-03-10T13:00:00.000Z'],
  ])('%s: open %s, next opening after it %s', (_name, hours, ms, open, next) => {
    expect(isBusinessOpen(ms, hours)).toBe(open);
    expect(iso(nextBusinessOpening(ms, hours) ?? NaN)).toBe(next);
  });

  it('has no next opening without business days', () => {
    expect(nextBusinessOpening(TUE_10, { ...tokyo, days: [] })).toBeUndefined();
    expect(brief({ timeline: [] }, TUE_10, undefined, { ...DEFAULT_TEAM_POLICY, businessHours: { ...tokyo, days: [] } })).toEqual([['quiet_hours', 'warn', undefined]]);
  });
});

describe('isCallableNow (summary only)', () => {
  it.each([
    ['no cooldown', undefined, true],
    ['cooldown ended', iso(TUE_10 - 1), true],
    ['cooldown ends exactly now', iso(TUE_10), true],
    ['cooldown in the future', iso(TUE_10 + 1), false],
    ['do not call (9999-12-31)', '9999-12-31T00:00:00.000Z', false],
  ])('%s → %s', (_name, cooldownUntil, callable) => {
    expect(isCallableNow(cooldownUntil === undefined ? {} : { cooldownUntil }, TUE_10)).toBe(callable);
  });
});

describe('nextCooldownChange', () => {
  it.each([
    ['Tuesday 10:00, nothing → closing at 19:00', { timeline: [] }, TUE_10, '2025-07-15T10:00:00.000Z'],
    ['Tuesday 10:00, called 1 h ago → still closing first', { timeline: [call(TUE_10 - H)] }, TUE_10, '2025-07-15T10:00:00.000Z'],
    ['Tuesday 18:00, called 47.5 h ago → the warning ends first', { timeline: [call(TUE_10 + 8 * H - 47.5 * H)] }, TUE_10 + 8 * H, iso(TUE_10 + 8.5 * H)],
    ['Saturday → Monday opening', { timeline: [] }, SAT_12, '2025-07-21T00:00:00.000Z'],
  ])('%s → %s', (_name, input, now, expected) => {
    expect(iso(nextCooldownChange(input, DEFAULT_TEAM_POLICY, now) ?? NaN)).toBe(expected);
  });
});
