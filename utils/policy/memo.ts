/**
 * A memo of derived values that stays bounded: past `limit` entries it starts over, which costs a
 * recomputation, never a wrong answer, and keeps a worker that runs for days from growing. The
 * business-hours caches (formats, zone offsets, the calendar's parsed hours and closed days) and
 * the team calendar share it. Keys are plain values (compared by ===), never objects: a key
 * built from an object's content cannot go stale when the object is changed in place.
 */
export class BoundedMemo<K extends string | number, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new Error(`BoundedMemo: limit must be at least 1, got ${limit}`);
  }

  /** The value kept for `key`, or `compute()`'s, kept. */
  get(key: K, compute: () => V): V {
    const kept = this.entries.get(key);
    if (kept !== undefined || this.entries.has(key)) return kept as V;
    const value = compute();
    if (this.entries.size >= this.limit) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  /** The value kept for `key`, if any: lets a hot path skip building `compute` (a closure per question). */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
