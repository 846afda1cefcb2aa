// The team policy as the options page stores it: valid policies pass, broken ones fall back.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/cooldowns';
import { parseTeamPolicy, TeamPolicySchema } from '../../utils/policy/schema';

const hours = DEFAULT_TEAM_POLICY.businessHours;

describe('TeamPolicySchema', () => {
  it.each([
    ['the default', DEFAULT_TEAM_POLICY, true],
    ['another zone and Saturday mornings', { ...DEFAULT_TEAM_POLICY, businessHours: { ...hours, days: [1, 2, 3, 4, 5, 6], timeZone: 'America/New_York' } }, true],
    ['closing at 24:00', { ...DEFAULT_TEAM_POLICY, businessHours: { ...hours, end: '24:00' } }, true],
    ['an unknown time zone', { ...DEFAULT_TEAM_POLICY, businessHours: { ...hours, timeZone: 'Mars/Olympus' } }, false],
    ['opening after closing', { ...DEFAULT_TEAM_POLICY, businessHours: { ...hours, start: '19:00', end: '09:00' } }, false],
    ['a malformed time', { ...DEFAULT_TEAM_POLICY, businessHours: { ...hours, start: '9am' } }, false],
    ['day 7', { ...DEFAULT_TEAM_POLICY, businessHours: { ...hours, days: [1, 7] } }, false],
    ['a day twice', { ...DEFAULT_TEAM_POLICY, businessHours: { ...hours, days: [1, 1] } }, false],
    ['no business day', { ...DEFAULT_TEAM_POLICY, businessHours: { ...hours, days: [] } }, false],
    ['a negative cooldown', { ...DEFAULT_TEAM_POLICY, lostCooldownDays: -1 }, false],
    ['a zero-minute call window', { ...DEFAULT_TEAM_POLICY, callWindowMinutes: 0 }, false],
    ['a missing field', { ...DEFAULT_TEAM_POLICY, contactCapDays: undefined }, false],
  ])('%s → valid %s', (_name, value, valid) => {
    expect(TeamPolicySchema.safeParse(value).success).toBe(valid);
  });

  it.each([
    [undefined, DEFAULT_TEAM_POLICY],
    [{ ...DEFAULT_TEAM_POLICY, recentCallHours: 24 }, { ...DEFAULT_TEAM_POLICY, recentCallHours: 24 }],
    [{ ...DEFAULT_TEAM_POLICY, recentCallHours: 'soon' }, DEFAULT_TEAM_POLICY],
  ])('parseTeamPolicy(%j)', (value, expected) => {
    expect(parseTeamPolicy(value)).toEqual(expected);
  });
});
