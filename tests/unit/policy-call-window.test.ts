// The call window after a need signal (two hours by default), and durations in both locales.
import { describe, expect, it } from 'vitest';
import { callWindow, formatDuration, nextBoundary } from '../../utils/policy/call-window';

const MIN = 60_000;
const H = 60 * MIN;
const NOW = Date.parse('2025-07-15T10:00:00+09:00');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

describe('callWindow', () => {
  it.each([
    ['no need signal', undefined, 120, { state: 'none' }],
    ['an unreadable date', 'yesterday', 120, { state: 'none' }],
    ['37 min ago, 2 h window', ago(37 * MIN), 120, { state: 'open', detectedAt: ago(37 * MIN), detectedAgoMs: 37 * MIN, remainingMs: 83 * MIN, endsAt: ago(-83 * MIN) }],
    ['just now', ago(0), 120, { state: 'open', detectedAt: ago(0), detectedAgoMs: 0, remainingMs: 2 * H, endsAt: ago(-2 * H) }],
    ['in the future (clock skew)', ago(-5 * MIN), 120, { state: 'open', detectedAt: ago(-5 * MIN), detectedAgoMs: 0, remainingMs: 125 * MIN, endsAt: ago(-125 * MIN) }],
    ['exactly 2 h ago → missed by 0', ago(2 * H), 120, { state: 'missed', detectedAt: ago(2 * H), detectedAgoMs: 2 * H, missedByMs: 0, endedAt: ago(0) }],
    ['2 h 20 min ago → missed by 20 min', ago(140 * MIN), 120, { state: 'missed', detectedAt: ago(140 * MIN), detectedAgoMs: 140 * MIN, missedByMs: 20 * MIN, endedAt: ago(20 * MIN) }],
    ['a 30 min window', ago(20 * MIN), 30, { state: 'open', detectedAt: ago(20 * MIN), detectedAgoMs: 20 * MIN, remainingMs: 10 * MIN, endsAt: ago(-10 * MIN) }],
  ])('%s', (_name, needDetectedAt, minutes, expected) => {
    expect(callWindow(needDetectedAt, minutes, NOW)).toEqual(expected);
    expect(callWindow(needDetectedAt, minutes, new Date(NOW))).toEqual(expected);
  });
});

describe('nextBoundary', () => {
  it.each([
    ['no need signal', undefined, undefined],
    ['open → when it closes', ago(37 * MIN), NOW + 83 * MIN],
    ['missed → nothing changes any more', ago(3 * H), undefined],
  ])('%s', (_name, needDetectedAt, expected) => {
    expect(nextBoundary(needDetectedAt, 120, NOW)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, 'en', '< 1 min'],
    [59_999, 'ja', '1分未満'],
    [37 * MIN, 'en', '37 min'],
    [37 * MIN + 59_000, 'ja', '37分'],
    [83 * MIN, 'en', '1 h 23 min'],
    [83 * MIN, 'ja', '1時間23分'],
    [83 * MIN, 'ja-JP', '1時間23分'],
    [83 * MIN, 'fr', '1 h 23 min'],
    [2 * H, 'en', '2 h'],
    [2 * H, 'ja', '2時間'],
    [27 * H, 'en', '1 day 3 h'],
    [27 * H, 'ja', '1日3時間'],
    [24 * H, 'en', '1 day'],
    [5 * 24 * H + 3 * H, 'en', '5 days'],
    [5 * 24 * H, 'ja', '5日'],
    [-20 * MIN, 'en', '20 min'],
  ])('%i ms in %s → %s', (ms, locale, expected) => {
    expect(formatDuration(ms, locale)).toBe(expected);
  });
});
