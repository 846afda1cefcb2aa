// What a logged call does to the need: retry, reached, and the to-do list that follows.
import { describe, expect, it } from 'vitest';
import { CALL_OUTCOMES } from '../../utils/api/contract';
import { CONFIRMED_OUTCOMES, isUnreachedOutcome, needProgress, OUTCOME_EFFECTS, type CallRecord } from '../../utils/policy/outcomes';

const MIN = 60_000;
const NEED = Date.parse('2026-11-27T10:00:00+09:00');
const NEED_ISO = new Date(NEED).toISOString();
const at = (minutes: number, outcome?: string): CallRecord => ({ at: NEED + minutes * MIN, ...(outcome ? { outcome } : {}) });

describe('outcome effects', () => {
  it('every contract outcome has one effect', () => {
    expect(Object.keys(OUTCOME_EFFECTS).sort()).toEqual([...CALL_OUTCOMES].sort());
  });

  it.each([
    ['no_answer', true], ['busy', true], ['gatekeeper', true],
    ['connected', false], ['meeting_set', false], ['lost', false], ['complaint', false],
    ['voicemail_left', false], [undefined, false], ['toString', false],
  ])('%s reaches nobody: %s', (outcome, unreached) => {
    expect(isUnreachedOutcome(outcome)).toBe(unreached);
  });

  it('asks to confirm only what blocks the whole team', () => {
    expect([...CONFIRMED_OUTCOMES].sort()).toEqual(['complaint', 'lost']);
  });
});

describe('needProgress', () => {
  it.each<[string, string | undefined, CallRecord[], number, unknown]>([
    ['no need → none', undefined, [at(5, 'connected')], 10, { state: 'none' }],
    ['nobody called → untried', NEED_ISO, [], 10, { state: 'untried' }],
    ['a call before the need does not count', NEED_ISO, [at(-60, 'connected')], 10, { state: 'untried' }],
    ['a call logged in the future (skew) does not count yet', NEED_ISO, [at(30, 'connected')], 10, { state: 'untried' }],
    ['no answer at +10 → retry due at +40', NEED_ISO, [at(10, 'no_answer')], 15,
      { state: 'retry', attempts: 1, lastAttemptAt: NEED + 10 * MIN, lastOutcome: 'no_answer', nextTryAt: NEED + 40 * MIN }],
    ['busy then gatekeeper → two attempts, due 30 min after the last', NEED_ISO, [at(40, 'gatekeeper'), at(10, 'busy')], 45,
      { state: 'retry', attempts: 2, lastAttemptAt: NEED + 40 * MIN, lastOutcome: 'gatekeeper', nextTryAt: NEED + 70 * MIN }],
    ['connected → reached', NEED_ISO, [at(10, 'no_answer'), at(45, 'connected')], 50, { state: 'reached', at: NEED + 45 * MIN, outcome: 'connected' }],
    ['meeting set → reached', NEED_ISO, [at(5, 'meeting_set')], 50, { state: 'reached', at: NEED + 5 * MIN, outcome: 'meeting_set' }],
    ['a loss reached them too', NEED_ISO, [at(5, 'lost')], 50, { state: 'reached', at: NEED + 5 * MIN, outcome: 'lost' }],
    ['a CRM call without an outcome counts as reached', NEED_ISO, [at(5)], 50, { state: 'reached', at: NEED + 5 * MIN }],
    ['the first reach wins over later attempts', NEED_ISO, [at(5, 'connected'), at(20, 'no_answer')], 50, { state: 'reached', at: NEED + 5 * MIN, outcome: 'connected' }],
  ])('%s', (_name, need, calls, nowMinutes, expected) => {
    expect(needProgress(need, calls, 30, NEED + nowMinutes * MIN)).toEqual(expected);
  });

  it('a cadence of 10 minutes brings the next try forward', () => {
    const progress = needProgress(NEED_ISO, [at(10, 'no_answer')], 10, NEED + 12 * MIN);
    expect(progress).toMatchObject({ state: 'retry', nextTryAt: NEED + 20 * MIN });
  });
});
