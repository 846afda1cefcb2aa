/**
 * Helpers of the fault matrix (faults.e2e.ts): what the server holds, what the extension cached
 * (IndexedDB read-only, from an extension page or the worker), what the user sees (badge,
 * tooltip, popup status line), and how many requests the fault proxy passed.
 */
import type { Page, Worker } from 'playwright-core';
import type { ExtensionBrowser } from '../../demo/browser';
import type { DemoStack } from '../../demo/stack';
import type { FaultProxy, RequestRecord } from './fault-proxy';
import type { LeadSummary } from '../../utils/api/contract';
import type { SyncStateRow } from '../../utils/db/schema';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The summaries the server publishes now to the demo rep, by id (its change feed from the start). */
export async function apiLeads(stack: DemoStack): Promise<Map<string, LeadSummary>> {
  return new Map((await stack.leads()).map((lead) => [lead.id, lead]));
}

/** What the badge must count, from the server's own data: hot, mine, no block in force. */
export async function expectedBadgeCount(stack: DemoStack, now = Date.now()): Promise<number> {
  let n = 0;
  for (const lead of (await apiLeads(stack)).values()) {
    if (lead.band === 'hot' && lead.owner?.id === stack.api.repUserId && (!lead.cooldownUntil || Date.parse(lead.cooldownUntil) <= now)) n += 1;
  }
  return n;
}

export const badgeTextOf = (count: number): string => (count === 0 ? '' : count > 999 ? '999+' : String(count));

/** The extension's service worker now (Chromium restarts it under the same target after a stop). */
export function currentWorker(browser: ExtensionBrowser): Worker {
  return browser.context.serviceWorkers().at(-1) ?? browser.worker;
}

/** Worker evaluate that gives up instead of hanging on a stopped worker. */
async function inWorker<T>(browser: ExtensionBrowser, fn: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      currentWorker(browser).evaluate(fn),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('worker did not answer')), timeoutMs); }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function badge(browser: ExtensionBrowser): Promise<{ text: string; title: string }> {
  return inWorker(browser, async () => ({ text: await chrome.action.getBadgeText({}), title: await chrome.action.getTitle({}) }));
}

/**
 * Read-only IndexedDB access, run inside an extension page or the worker: one store, all rows
 * or one key. Never creates the database (an upgrade is aborted: undefined comes back).
 */
async function readIdb(args: { store: string; key?: string }): Promise<unknown> {
  const db = await new Promise<IDBDatabase | undefined>((resolve, reject) => {
    const open = indexedDB.open('leadlens');
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => (open.error?.name === 'AbortError' ? resolve(undefined) : reject(open.error ?? new Error('open failed')));
  });
  if (!db) return undefined;
  try {
    if (!db.objectStoreNames.contains(args.store)) return undefined;
    const store = db.transaction(args.store, 'readonly').objectStore(args.store);
    const request = args.key === undefined ? store.getAll() : store.get(args.key);
    return await new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('read failed'));
    });
  } finally {
    db.close();
  }
}

export async function syncState(browser: ExtensionBrowser): Promise<SyncStateRow | undefined> {
  const w = currentWorker(browser);
  return (await Promise.race([
    w.evaluate(readIdb, { store: 'syncState', key: 'main' }),
    sleep(5000).then(() => { throw new Error('worker did not answer'); }),
  ])) as SyncStateRow | undefined;
}

export interface OutboxEntry { key: string; leadId: string; status: string; attempts: number }

export async function outboxRows(browser: ExtensionBrowser): Promise<OutboxEntry[]> {
  const rows = (await currentWorker(browser).evaluate(readIdb, { store: 'outbox' })) as OutboxEntry[] | undefined;
  return (rows ?? []).map(({ key, leadId, status, attempts }) => ({ key, leadId, status, attempts }));
}

export interface CacheView {
  /** Primary keys of the leads store, as IndexedDB returns them. */
  ids: string[];
  /** The same rows by id, with the `id` field each row carries. */
  rows: { id: string; summary: LeadSummary }[];
  status: string;
}

/**
 * Opens the popup as a page (a fresh one, so its status line is current), reads the leads
 * store read-only from that extension page, and the popup's status line.
 */
export async function readCacheFromPopup(browser: ExtensionBrowser): Promise<CacheView> {
  const page = await browser.context.newPage();
  try {
    await page.goto(browser.extensionUrl('popup.html'));
    const status = await readPopupStatus(page);
    // Keys and rows in one read-only transaction: a sync landing in between cannot skew the count.
    const { ids, rows } = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('leadlens');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error ?? new Error('open failed'));
      });
      try {
        const store = db.transaction('leads', 'readonly').objectStore('leads');
        const read = <T>(request: IDBRequest<T>) => new Promise<T>((resolve, reject) => {
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error ?? new Error('read failed'));
        });
        const [keys, all] = await Promise.all([read(store.getAllKeys()), read(store.getAll())]);
        return { ids: keys as string[], rows: all as { id: string; summary: LeadSummary }[] };
      } finally {
        db.close();
      }
    });
    return { ids, rows, status };
  } finally {
    await page.close();
  }
}

/** The popup's status line once it has loaded ("…" until then). */
export async function readPopupStatus(page: Page): Promise<string> {
  const line = page.getByTestId('popup-status');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = (await line.textContent()) ?? '';
    if (text !== '…' && text !== '') return text;
    if (Date.now() > deadline) return text;
    await sleep(100);
  }
}

/**
 * Compares the cache with the API: the same ids except `missing` (which must be absent),
 * no duplicate rows, and each stored summary equal to the API's, except for the ids in
 * `olderVersion`, whose stored summary must equal the one given (a skipped update keeps the
 * previous version). Returns the differences, empty when all holds.
 */
export function compareCache(
  cache: CacheView,
  api: Map<string, LeadSummary>,
  options: { missing?: Iterable<string>; olderVersion?: Map<string, LeadSummary> } = {},
): { lost: string[]; extra: string[]; duplicates: number; differing: string[]; presentButInvalid: string[] } {
  const missing = new Set(options.missing ?? []);
  const cached = new Map(cache.rows.map((row) => [row.id, row.summary]));
  const lost = [...api.keys()].filter((id) => !missing.has(id) && !cached.has(id));
  const extra = [...cached.keys()].filter((id) => !api.has(id));
  const presentButInvalid = [...missing].filter((id) => cached.has(id));
  const duplicates = cache.ids.length - new Set(cache.ids).size + (cache.rows.length - cached.size) + (cache.rows.length - cache.ids.length);
  const differing: string[] = [];
  for (const [id, summary] of cached) {
    const expected = options.olderVersion?.get(id) ?? api.get(id);
    if (expected && !sameSummary(summary, expected)) differing.push(id);
  }
  return { lost, extra, duplicates, differing, presentButInvalid };
}

/** Deep equality ignoring key order and absent-vs-undefined keys (IndexedDB drops undefined). */
export function sameSummary(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}

/** Requests the proxy passed after request number `after`. */
export function requestsSince(proxy: FaultProxy, after: number, filter: (r: RequestRecord) => boolean = () => true): RequestRecord[] {
  return proxy.requestLog.filter((r) => r.n > after && filter(r));
}

export const isChanges = (r: RequestRecord): boolean => r.route === 'GET /v1/leads/changes';
/** A contract call (not a preflight). */
export const isContractCall = (r: RequestRecord): boolean => r.method !== 'OPTIONS';

export const lastRequestNo = (proxy: FaultProxy): number => proxy.requestLog.at(-1)?.n ?? 0;

/**
 * Waits until the API has seen `count` requests (change polls unless told) after request `after`
 * — the real signal that polls went by, where a test must show that nothing else happened meanwhile.
 * Returns when every request seen so far is answered: a request is logged when it arrives, and
 * one still in flight has no status yet (a loaded machine made a check of its status fail).
 */
export async function changePolls(
  api: FaultProxy, after: number, count: number, filter: (r: RequestRecord) => boolean = isChanges, timeoutMs = (count + 5) * 2000,
): Promise<RequestRecord[]> {
  const seen = await waitUntil(() => requestsSince(api, after, filter), (r) => r.length >= count && r.every((x) => x.status !== undefined), timeoutMs, 100);
  if (seen.length < count || seen.some((x) => x.status === undefined)) throw new Error(`expected ${count} answered requests after request ${after}, saw ${seen.length} (${seen.filter((x) => x.status === undefined).length} unanswered)`);
  return seen;
}

/** Polls `fn` until `accept` holds or the time runs out; returns the last value. */
export async function waitUntil<T>(fn: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    let ok = false;
    try {
      value = await fn();
      ok = accept(value);
    } catch {
      // a worker restarting, a page navigating: try again
    }
    if (ok) return value as T;
    if (Date.now() > deadline) {
      if (value === undefined) return fn();
      return value;
    }
    await sleep(intervalMs);
  }
}
