/**
 * The content script's observable values: a value, its listeners, nothing else. The script's
 * size is budgeted and a reactive library (signals-core: batching, a dependency graph) was a
 * fifth of it for the handful of values the panel watches. Same shape as a signal's `value`,
 * `peek()` and `subscribe()`, so the panel takes either (the tests and the pages use signals).
 */

export interface Watchable<T> {
  readonly value: T;
  peek(): T;
  /** Calls `listener` now and after every change; returns the unsubscribe. */
  subscribe(listener: (value: T) => void): () => void;
}

export interface Cell<T> extends Watchable<T> {
  value: T;
}

export function cell<T>(initial: T): Cell<T> {
  let current = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get value() {
      return current;
    },
    set value(next: T) {
      if (Object.is(next, current)) return;
      current = next;
      // A copy: a listener may unsubscribe (or subscribe another) while we call them.
      for (const listener of [...listeners]) listener(next);
    },
    peek: () => current,
    subscribe(listener) {
      listeners.add(listener);
      listener(current);
      return () => void listeners.delete(listener);
    },
  };
}

/** A value computed from others, recomputed whenever one of them changes. */
export function derived<T>(sources: readonly Watchable<unknown>[], compute: () => T): Watchable<T> & { dispose(): void } {
  const result = cell(compute());
  // subscribe() calls back at once; recomputing then is harmless (the value is the same).
  const stops = sources.map((source) => source.subscribe(() => { result.value = compute(); }));
  return {
    get value() {
      return result.value;
    },
    peek: result.peek,
    subscribe: result.subscribe,
    dispose: () => stops.forEach((stop) => stop()),
  };
}
