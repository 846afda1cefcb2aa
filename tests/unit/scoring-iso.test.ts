/**
 * iso (server/scoring/model.ts) formats instants by arithmetic; Date.prototype.toISOString is the
 * oracle, on the edges of days, months, leap years and its own range, and on random instants.
 */
import { describe, expect, it } from 'vitest';
import { iso } from '../../server/scoring/model';
import { mulberry32 } from '../../demo/story/dataset';

const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);

describe('iso', () => {
  it.each([
    0, 1, 999, 1000, 59_999, 3_599_999, 86_399_999, 86_400_000,
    Date.UTC(1972, 1, 29, 23, 59, 59, 999), Date.UTC(1972, 2, 1), Date.UTC(1999, 11, 31, 23, 59, 59, 999), Date.UTC(2000, 1, 29, 12),
    Date.UTC(2000, 2, 1), Date.UTC(2026, 10, 25, 2, 0, 0, 5), Date.UTC(2026, 10, 25, 2, 0, 0, 50), Date.UTC(2100, 1, 28, 23), Date.UTC(2100, 2, 1),
    Date.UTC(2400, 1, 29), 253_402_300_799_999,
    // Outside the arithmetic's range or not whole milliseconds: Date's own answer.
    -1, -86_400_001, 253_402_300_800_000, 1_795_829_029_943.5,
  ])('%d as Date.prototype.toISOString writes it', (ms) => {
    expect(iso(ms)).toBe(new Date(ms).toISOString());
  });

  it('random instants 1970–9999', () => {
    const rnd = mulberry32(1127);
    for (let i = 0; i < 20_000 * SCALE; i++) {
      const ms = Math.floor(rnd() * 253_402_300_800_000);
      expect(iso(ms), String(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
