// The bounded memo the business-hours caches share: computes once per key, keeps undefined and
// other falsy values, and starts over past its limit instead of growing.
import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../utils/policy/memo';

describe('BoundedMemo', () => {
  it('computes a key once and answers it from memory after', () => {
    const memo = new BoundedMemo<string, number>(10);
    let calls = 0;
    const compute = () => ++calls;
    expect([memo.get('a', compute), memo.get('a', compute), memo.get('b', compute), memo.get('a', compute)]).toEqual([1, 1, 2, 1]);
    expect(calls).toBe(2);
    expect([memo.peek('a'), memo.peek('c')]).toEqual([1, undefined]);
  });

  it.each([[undefined], [0], [''], [null], [false]])('keeps %s as a value, not as "missing"', (value) => {
    const memo = new BoundedMemo<number, unknown>(4);
    let calls = 0;
    memo.get(1, () => { calls++; return value; });
    expect(memo.get(1, () => { calls++; return 'other'; })).toBe(value);
    expect(calls).toBe(1);
  });

  it('holds at most its limit: the entry past it starts the memo over', () => {
    const memo = new BoundedMemo<number, number>(3);
    for (const key of [1, 2, 3]) memo.get(key, () => key * 10);
    expect(memo.size).toBe(3);
    expect(memo.get(4, () => 40)).toBe(40);
    expect(memo.size).toBe(1);
    // 1 was dropped: asked again, it is computed again.
    expect(memo.get(1, () => 11)).toBe(11);
  });

  it.each([[0], [-1], [Number.NaN]])('refuses a limit of %s', (limit) => {
    expect(() => new BoundedMemo(limit)).toThrow(/limit must be at least 1/);
  });
});
