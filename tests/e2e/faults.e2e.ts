/**
 * The fault matrix (nothing lost, nothing duplicated, recovery without the user), in real Chromium against the
 * LeadLens server with faults injected by a test-only proxy in front of it (./fault-proxy.ts): the API down, 500, 503 and 429 with Retry-After, a
 * truncated JSON body, one invalid record in a page of 500, an answer slower than the client's
 * timeout, a revoked token, the same page served twice, a new ETag on every answer, the service
 * worker killed between two pages of the first sync, and call logs across a browser restart.
 *
 * Every scenario asserts with counts: (a) no valid record lost — the lead ids in IndexedDB equal
 * the API's, minus exactly the invalid records; (b) no duplicate rows and every stored summary
 * equal to the API's; (c) what the user sees (badge text and tooltip, the popup's status line);
 * (d) recovery without user action once the fault ends; (e) a bounded number of requests while
 * it lasts, read from the API's own request log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAllWeek } from './open-all-week';
import { connectThroughOptions, E2E_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from '../../demo/browser';
import { startDemoStack, type DemoStack } from '../../demo/stack';
import { startFaultProxy, type FaultProxy, type Faults } from './fault-proxy';
import type { LeadSummary } from '../../utils/api/contract';
import type { SyncStateRow } from '../../utils/db/schema';
import { DEFAULT_BACKOFF } from '../../utils/sync/backoff';
import {
  apiLeads, badge, badgeTextOf, changePolls, compareCache, expectedBadgeCount, isChanges, isContractCall, lastRequestNo,
  outboxRows, readCacheFromPopup, requestsSince, sleep, syncState, waitUntil, type CacheView,
} from './faults-helpers';

/** About how many story leads the demo rep sees (own and the team's stock). */
const STORY_REP_LEADS = 100;
/** Unpacked extensions may poll every second; packed ones are held to 30 s by Chrome. */
const POLL_SECONDS = 1;
const POLL_MS = POLL_SECONDS * 1000;
const CLIENT_TIMEOUT_MS = 15_000;
/** First backoff step: base × [0.5, 1] (utils/sync/backoff.ts). */
const BACKOFF_MIN_MS = DEFAULT_BACKOFF.baseMs * 0.5;
const BACKOFF_MAX_MS = DEFAULT_BACKOFF.baseMs;
// A backoff scenario's own waits add up to: settling (≤ 20 s) + the failure + the backoff (≤ 30 s) +
// recovery (≤ 4 polls) + the checks; the test's limit is there to catch a hang, with room for a loaded machine.
const BACKOFF_TEST_MS = 20_000 + 4 * POLL_MS + BACKOFF_MAX_MS + 4 * POLL_MS + 30_000;

const SYNCED = /^Synced at \d\d:\d\d( [AP]M)? · next \d\d:\d\d/;
const time = (ms: number) => new Date(ms).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' });

/** The built extension; LEADLENS_EXTENSION_DIR points at a private copy when others rebuild .output meanwhile. */
const extensionDir = process.env.LEADLENS_EXTENSION_DIR || E2E_EXTENSION_DIR;

/** The real server with the story data (plus leads of the demo rep's, for volume) and the fault proxy in front of it. */
interface FaultStack {
  demo: DemoStack;
  proxy: FaultProxy;
  site: DemoStack['site'];
  close(): Promise<void>;
}

async function startFaultStack(repLeads: number): Promise<FaultStack> {
  // The story gives the demo rep about a hundred leads; the rest of `repLeads` are leads without history.
  const demo = await startDemoStack({ extraRepLeads: Math.max(0, repLeads - STORY_REP_LEADS), server: { rescoreIntervalMs: 0, rateLimitPerMinute: 100_000 } });
  const proxy = await startFaultProxy(demo.api.url);
  return { demo, proxy, site: demo.site, async close() { await proxy.close(); await demo.close(); } };
}

async function launch(stack: FaultStack, userDataDir?: string): Promise<ExtensionBrowser> {
  const browser = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true, extensionDir, openPanelForTests: true, ...(userDataDir ? { userDataDir } : {}) });
  await openAllWeek(browser, stack.demo.api);
  await browser.worker.evaluate((seconds) => chrome.storage.local.set({ pollSeconds: seconds }), POLL_SECONDS);
  // The worker's own start-up also schedules the poll alarm (from the value it read before ours
  // landed): wait until ours is in force, and check it stays so once start-up is over.
  const alarm = () => browser.worker.evaluate(async () => chrome.alarms.get('leadlens-sync'));
  const set = await waitUntil(alarm, (a) => a?.periodInMinutes === POLL_SECONDS / 60, 10_000);
  // Once the alarm has fired twice more, start-up is over: the period must still be ours.
  const after = await waitUntil(alarm, (a) => (a?.scheduledTime ?? 0) >= (set?.scheduledTime ?? 0) + 2 * POLL_MS, 10 * POLL_MS);
  expect(after?.periodInMinutes, 'poll alarm period after start-up (pollSeconds lost to a concurrent schedule()?)').toBe(POLL_SECONDS / 60);
  return browser;
}

/** Connects through the settings page and waits for the first full sync. */
async function connectAndSync(browser: ExtensionBrowser, stack: FaultStack, token = stack.demo.token, timeoutMs = 30_000): Promise<SyncStateRow> {
  await (await connectThroughOptions(browser, stack.proxy.url, token)).close();
  const state = await waitUntil(() => syncState(browser), (s) => s?.status === 'ok' && s.snapshotComplete, timeoutMs);
  expect(state?.status).toBe('ok');
  return state as SyncStateRow;
}

/** (a) + (b): the cache equals the API (ids, no duplicates, each summary), with the allowed exceptions. */
async function expectCacheEqualsApi(
  browser: ExtensionBrowser, stack: FaultStack,
  options: { missing?: Iterable<string>; olderVersion?: Map<string, LeadSummary> } = {},
): Promise<CacheView> {
  const startedAt = Date.now();
  const api = await apiLeads(stack.demo);
  const missing = [...(options.missing ?? [])];
  // The sync that follows a change may still be landing: give it a few polls.
  const cache = await waitUntil(() => readCacheFromPopup(browser), (c) => {
    const d = compareCache(c, api, options);
    return d.lost.length + d.extra.length + d.duplicates + d.differing.length + d.presentButInvalid.length === 0;
  }, 10 * POLL_MS, 500);
  const diff = compareCache(cache, api, options);
  if (diff.lost.length + diff.extra.length + diff.duplicates + diff.differing.length + diff.presentButInvalid.length > 0) {
    // What the sync was doing, for whoever reads a failure.
    const state = await syncState(browser).catch(() => undefined);
    const recent = requestsSince(stack.proxy, lastRequestNo(stack.proxy) - 12, isChanges).map((r) => ({ n: r.n, at: r.at, cursor: r.cursor, answerCursor: r.answerCursor, status: r.status, fault: r.fault }));
    console.info(`[faults] cache differs after ${Date.now() - startedAt} ms: ${JSON.stringify({ diff, state: { ...state, recentSkipped: undefined }, recent })}`);
  }
  expect(diff.lost, 'valid records lost').toEqual([]);
  expect(diff.extra, 'records the API does not have').toEqual([]);
  expect(diff.presentButInvalid, 'invalid records stored').toEqual([]);
  expect(diff.duplicates, 'duplicate rows').toBe(0);
  expect(diff.differing, 'stored summaries that differ from the API').toEqual([]);
  expect(cache.ids.length).toBe(new Set(cache.ids).size);
  expect(cache.ids.length).toBe(api.size - missing.length);
  return cache;
}

/** (c) + (d): the badge shows the count again, no "!", no problem in the tooltip. */
async function expectHealthyBadge(browser: ExtensionBrowser, stack: FaultStack, timeoutMs = 4 * POLL_MS + 2000): Promise<void> {
  const count = await expectedBadgeCount(stack.demo);
  const shown = await waitUntil(() => badge(browser), (b) => b.text === badgeTextOf(count) && !/failing|sign in/.test(b.title), timeoutMs);
  expect(shown.text).toBe(badgeTextOf(count));
  expect(shown.text).not.toBe('!');
  expect(shown.title).not.toMatch(/Sync is failing|sign in again/);
  if (count > 0) expect(shown.title).toContain(`${count} hot leads callable now`);
}

/** Waits until no sync is running: status ok and the last request an answered idle poll. */
async function settled(browser: ExtensionBrowser, stack: FaultStack): Promise<SyncStateRow> {
  const state = await waitUntil(async () => {
    const last = requestsSince(stack.proxy, 0, isChanges).at(-1);
    const s = await syncState(browser);
    const idlePoll = last?.status === 304 || (last?.status === 200 && last.answerCursor === last.cursor && last.cursor === s?.cursor);
    return { s, idlePoll };
  }, (x) => x.s?.status === 'ok' && x.idlePoll, 20_000);
  expect(state.idlePoll).toBe(true);
  await sleep(100);
  return state.s as SyncStateRow;
}

/** Numbers for the report, printed once per scenario. */
const results: { scenario: string; requests: number; windowMs: number; lost: number; recoveryMs?: number }[] = [];
function note(entry: (typeof results)[number]): void {
  results.push(entry);
  const window = entry.windowMs ? ` in ${Math.round(entry.windowMs / 100) / 10} s` : '';
  console.info(`[faults] ${entry.scenario}: ${entry.requests} requests${window}, lost ${entry.lost}${entry.recoveryMs !== undefined ? `, recovered ${Math.round(entry.recoveryMs / 100) / 10} s after the fault ended` : ''}`);
}

// -------------------------------------------------------------------------------------------------
// Scenarios on a synced cache: one API + one browser, faults set on the API's handle.

interface Env {
  stack: FaultStack;
  browser: ExtensionBrowser;
}

/** 2,000 leads (pages of 500), a second token for the "sign in again" scenario, connected and synced. */
function syncedEnv(): Env {
  const env = {} as Env;
  beforeAll(async () => {
    env.stack = await startFaultStack(2000);
    env.browser = await launch(env.stack);
    await connectAndSync(env.browser, env.stack);
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.stack?.close();
  });
  return env;
}

function setFaults({ stack }: Env, faults: Faults): void {
  for (const key of Object.keys(stack.proxy.faults) as (keyof Faults)[]) delete stack.proxy.faults[key];
  Object.assign(stack.proxy.faults, faults);
}

/**
 * A fault the engine answers with exponential backoff (no Retry-After): one failed request,
 * nothing until the backoff time, then recovery by itself once the fault is gone.
 */
async function backoffScenario(
  env: Env, scenario: string, faults: Faults,
  expected: { status: SyncStateRow['status']; message: string; httpStatus: number },
  failWithinMs = 4 * POLL_MS,
): Promise<void> {
  const { stack, browser } = env;
  await settled(browser, stack);
  const count = await expectedBadgeCount(stack.demo);
  const n0 = lastRequestNo(stack.proxy);
  const startedAt = Date.now();
  setFaults(env, faults);

  const failed = await waitUntil(() => syncState(browser), (s) => s?.status === expected.status && (s.lastError?.at ?? 0) >= startedAt, failWithinMs);
  expect(failed?.status).toBe(expected.status);
  expect(failed?.lastError?.message).toBe(expected.message);
  const failedAt = failed?.lastError?.at ?? 0;
  const retryAt = failed?.nextAttemptAt ?? 0;
  // Exponential backoff, first step: base × [0.5, 1].
  expect(retryAt - failedAt).toBeGreaterThanOrEqual(BACKOFF_MIN_MS - 5);
  expect(retryAt - failedAt).toBeLessThanOrEqual(BACKOFF_MAX_MS + 5);

  // (c) what the user sees while it lasts: the cached count, the problem in the tooltip and the popup.
  const during = await waitUntil(() => badge(browser), (b) => b.title.includes('Sync is failing'), 3 * POLL_MS);
  expect(during.text).toBe(badgeTextOf(count));
  expect(during.title).toContain(`Sync is failing: ${expected.message}`);
  const cacheDuring = await readCacheFromPopup(browser);
  expect(cacheDuring.status).toBe(`${expected.message} — showing data as of ${time(failed?.lastSuccessAt ?? 0)}`);
  // (a) nothing emptied while failing.
  expect(new Set(cacheDuring.ids).size).toBe((await apiLeads(stack.demo)).size);

  // (e) the fault holds until just before the retry: exactly one request reached the API.
  await sleep(Math.max(0, retryAt - 1500 - Date.now()));
  const whileFaulted = requestsSince(stack.proxy, n0, isChanges);
  const windowMs = Date.now() - startedAt;
  expect(whileFaulted).toHaveLength(1);
  expect(whileFaulted[0]?.status).toBe(expected.httpStatus);
  expect(requestsSince(stack.proxy, n0, isContractCall)).toHaveLength(1);
  setFaults(env, {});
  const clearedAt = Date.now();

  // (d) recovery by itself, at the backoff time, within a few polls.
  const recovered = await waitUntil(() => syncState(browser), (s) => s?.status === 'ok', retryAt - Date.now() + 4 * POLL_MS);
  expect(recovered?.status).toBe('ok');
  // Up to and including the first clean answer: a regular poll may already follow it.
  const since = requestsSince(stack.proxy, n0, isChanges);
  const all = since.slice(0, since.findIndex((r) => !r.fault && (r.status ?? 0) > 0 && (r.status ?? 0) < 400) + 1);
  expect(all).toHaveLength(2);
  expect(all[1]?.at ?? 0).toBeGreaterThanOrEqual(retryAt - 5);
  expect((all[1]?.at ?? 0) - retryAt).toBeLessThanOrEqual(3 * POLL_MS);
  await expectHealthyBadge(browser, stack);
  const cache = await expectCacheEqualsApi(browser, stack);
  expect(cache.status).toMatch(SYNCED);
  note({ scenario, requests: whileFaulted.length, windowMs, lost: 0, recoveryMs: (recovered?.lastSuccessAt ?? 0) - clearedAt });
}

/** A fault answered with Retry-After: retries no sooner than asked, and no later than a poll after. */
async function retryAfterScenario(env: Env, scenario: string, status: 429 | 503, message: string): Promise<void> {
  const { stack, browser } = env;
  const RETRY_AFTER = 3;
  const HOLD_MS = 10_000;
  await settled(browser, stack);
  const count = await expectedBadgeCount(stack.demo);
  const n0 = lastRequestNo(stack.proxy);
  const startedAt = Date.now();
  setFaults(env, { status, retryAfter: RETRY_AFTER });

  const failed = await waitUntil(() => syncState(browser), (s) => s?.status === 'backoff' && (s.lastError?.at ?? 0) >= startedAt, 4 * POLL_MS);
  expect(failed?.status).toBe('backoff');
  expect(failed?.lastError?.message).toBe(message);
  expect((failed?.retryAfterUntil ?? 0) - (failed?.lastError?.at ?? 0)).toBe(RETRY_AFTER * 1000);
  const shown = await waitUntil(() => badge(browser), (b) => b.title.includes('Sync is failing'), 3 * POLL_MS);
  expect(shown.text).toBe(badgeTextOf(count));
  expect(shown.title).toContain(`Sync is failing: ${message}`);
  expect((await readCacheFromPopup(browser)).status).toBe(`${message} — showing data as of ${time(failed?.lastSuccessAt ?? 0)}`);

  await sleep(Math.max(0, startedAt + HOLD_MS - Date.now()));
  const whileFaulted = requestsSince(stack.proxy, n0, isChanges);
  const windowMs = Date.now() - startedAt;
  setFaults(env, {});
  const clearedAt = Date.now();
  // (e) Retry-After honoured: never sooner, so at most one request per Retry-After period.
  expect(whileFaulted.length).toBeGreaterThanOrEqual(2);
  expect(whileFaulted.length).toBeLessThanOrEqual(Math.floor(windowMs / (RETRY_AFTER * 1000)) + 1);
  expect(whileFaulted.every((r) => r.status === status)).toBe(true);
  for (let i = 1; i < whileFaulted.length; i++) {
    const gap = (whileFaulted[i]?.at ?? 0) - (whileFaulted[i - 1]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(RETRY_AFTER * 1000 - 20);
    expect(gap).toBeLessThanOrEqual(RETRY_AFTER * 1000 + 2 * POLL_MS + 500);
  }

  const recovered = await waitUntil(() => syncState(browser), (s) => s?.status === 'ok', (RETRY_AFTER + 4) * 1000);
  expect(recovered?.status).toBe('ok');
  await expectHealthyBadge(browser, stack);
  const cache = await expectCacheEqualsApi(browser, stack);
  expect(cache.status).toMatch(SYNCED);
  note({ scenario, requests: whileFaulted.length, windowMs, lost: 0, recoveryMs: (recovered?.lastSuccessAt ?? 0) - clearedAt });
}

// Two groups run side by side (two browsers, two APIs): the backoff scenarios spend most of
// their time waiting for the backoff, which would otherwise double the file's duration.
describe.concurrent('group 1', () => {
  describe.sequential('backoff faults on a synced cache (2,000 leads, pages of 500, poll every second)', () => {
    const env = syncedEnv();

    it('API down (503, no Retry-After): backoff, one request, the cached count kept; recovers by itself', async () => {
      await backoffScenario(env, 'down (503)', { down: true },
        { status: 'backoff', message: 'The scoring API is temporarily unavailable: fault injected (503)', httpStatus: 503 });
    }, BACKOFF_TEST_MS);

    it('500: backoff, one request, the cached count kept; recovers by itself', async () => {
      await backoffScenario(env, '500', { status: 500 },
        { status: 'stale', message: 'The scoring API failed with HTTP 500: fault injected (500)', httpStatus: 500 });
    }, BACKOFF_TEST_MS);

    it('malformed JSON (200, body cut in half, with an ETag): nothing stored, backoff, recovers by itself', async () => {
      const before = await settled(env.browser, env.stack);
      await backoffScenario(env, 'malformed JSON', { malformedJson: true },
        { status: 'stale', message: 'The scoring API answered in an unexpected shape: the body is not valid JSON', httpStatus: 200 });
      const after = await syncState(env.browser);
      // The truncated answer's ETag was not kept: a later 304 cannot hide data never received.
      expect(after?.cursor).toBe(before.cursor);
      expect(after?.etag).toBe(before.etag);
    }, 60_000);

    it('an answer slower than the client timeout (15 s): the sync gives up, backs off, recovers by itself', async () => {
      await backoffScenario(env, 'slow answer (timeout)', { delayMs: CLIENT_TIMEOUT_MS + 5000 },
        { status: 'stale', message: `The scoring API did not answer within ${CLIENT_TIMEOUT_MS / 1000} s`, httpStatus: 0 },
        CLIENT_TIMEOUT_MS + 4 * POLL_MS);
    }, BACKOFF_TEST_MS + CLIENT_TIMEOUT_MS);
  });
});

describe.concurrent('group 2', () => {
  describe.sequential('Retry-After, data and auth faults on a synced cache (2,000 leads, pages of 500, poll every second)', () => {
    const env = syncedEnv();

    it('first sync: every lead cached once, equal to the API; the badge counts; idle polls cost one request each', async () => {
      const { stack, browser } = env;
      const state = await settled(browser, stack);
      expect(state.snapshotComplete).toBe(true);
      await expectCacheEqualsApi(browser, stack);
      await expectHealthyBadge(browser, stack);
      const n0 = lastRequestNo(stack.proxy);
      await changePolls(stack.proxy, n0, 5);
      const idle = requestsSince(stack.proxy, n0, isContractCall);
      expect(idle.every(isChanges)).toBe(true);
      // One request per poll, one poll per period.
      const spanMs = (idle.at(-1)?.at ?? 0) - (idle[0]?.at ?? 0);
      expect(idle.length).toBeLessThanOrEqual(Math.ceil(spanMs / POLL_MS) + 2);
      const notModified = idle.filter((r) => r.status === 304).length;
      console.info(`[faults] idle: ${idle.length} polls in ${Math.round(spanMs / 100) / 10} s, ${notModified} answered 304, ${idle.length - notModified} answered 200 (empty delta)`);
      expect(await syncState(browser)).toEqual(state);
    });

    it('503 with Retry-After: 3: one request per 3 s, the cached count kept; recovers within a poll of the fault ending', async () => {
      await retryAfterScenario(env, '503 + Retry-After', 503, 'The scoring API is temporarily unavailable: fault injected (503)');
    }, 40_000);

    it('429 with Retry-After: 3: one request per 3 s, the cached count kept; recovers within a poll of the fault ending', async () => {
      await retryAfterScenario(env, '429 + Retry-After', 429, 'The scoring API asked us to slow down: fault injected (429)');
    }, 40_000);

    it('one invalid record in each full page of 500: only those are skipped and reported; the rest are kept; they arrive once they change', async () => {
      const { stack, browser } = env;
      await settled(browser, stack);
      const api = stack.proxy;
      const before = await apiLeads(stack.demo);
      const stateBefore = await syncState(browser);
      const n0 = lastRequestNo(api);
      const sentBefore = new Set(api.invalidSent);
      setFaults(env, { invalidRecord: true });
      // 1,000 leads change at once (one ingest batch, one transaction): the next poll pages 2 full pages of 500.
      const changed = [...before.keys()].slice(0, 1000);
      await stack.demo.addEvents(changed.map((leadId) => ({ leadId, type: 'web_visit', title: '料金ページ' })));

      await waitUntil(() => syncState(browser), (s) => (s?.leadsReceived ?? 0) >= (stateBefore?.leadsReceived ?? 0) + 998 && s?.status === 'ok', 10 * POLL_MS);
      const synced = await settled(browser, stack);
      setFaults(env, {});
      const invalid = [...api.invalidSent].filter((id) => !sentBefore.has(id));
      const pages = requestsSince(api, n0, isChanges).filter((r) => r.fault?.startsWith('invalidRecord'));
      expect(pages).toHaveLength(2);
      expect(invalid).toHaveLength(2);
      expect(synced?.status).toBe('ok');
      expect(synced?.leadsReceived).toBe((stateBefore?.leadsReceived ?? 0) + 998);
      expect(synced?.skippedTotal).toBe((stateBefore?.skippedTotal ?? 0) + 2);
      expect(synced?.recentSkipped.slice(0, 2).map((s) => s.id).sort()).toEqual([...invalid].sort());
      expect(synced?.recentSkipped[0]?.issues).toEqual(['leads[250].score must be a number']);

      // (a)/(b): every valid record is the API's; the two invalid ones keep their previous version.
      await expectCacheEqualsApi(browser, stack, { olderVersion: new Map(invalid.map((id) => [id, before.get(id) as LeadSummary])) });
      await expectHealthyBadge(browser, stack);
      expect((await readCacheFromPopup(browser)).status).toMatch(SYNCED);

      // (d) the skipped records arrive with their next change.
      await stack.demo.addEvents(invalid.map((leadId) => ({ leadId, type: 'email_open', title: 'ニュースレター' })));
      await expectCacheEqualsApi(browser, stack);
      const requests = requestsSince(api, n0, isChanges).length;
      expect(requests).toBeLessThanOrEqual(20);
      note({ scenario: 'invalid record (incremental)', requests, windowMs: 0, lost: 0 });
    }, 60_000);

    it('the same page served twice in a 3-page sync: no duplicate row, nothing lost, one extra request', async () => {
      const { stack, browser } = env;
      await settled(browser, stack);
      const api = stack.proxy;
      const stateBefore = await syncState(browser);
      const n0 = lastRequestNo(api);
      setFaults(env, { duplicatePage: 2 });
      const changed = [...(await apiLeads(stack.demo)).keys()].slice(500, 1700);
      await stack.demo.addEvents(changed.map((leadId) => ({ leadId, type: 'download', title: '導入事例集' })));

      await waitUntil(() => syncState(browser), (s) => (s?.leadsReceived ?? 0) >= (stateBefore?.leadsReceived ?? 0) + 1200 && s?.status === 'ok', 10 * POLL_MS);
      const synced = await settled(browser, stack);
      expect(api.faults.duplicatePage).toBeUndefined();
      const run = requestsSince(api, n0, isChanges).filter((r) => r.answerCursor !== r.cursor || r.fault);
      // Page 1; asked for page 2, page 1 again; page 2 asked again; page 3.
      expect(run.map((r) => r.fault ?? 'page')).toEqual(['page', 'duplicatePage', 'page', 'page']);
      expect(run[1]?.cursor).toBe(run[0]?.answerCursor);
      expect(run[1]?.answerCursor).toBe(run[0]?.answerCursor);
      expect(run[2]?.cursor).toBe(run[0]?.answerCursor);
      expect(run[3]?.cursor).toBe(run[2]?.answerCursor);
      // The replayed page was applied again: harmless (same rows, same cursor).
      expect(synced?.leadsReceived).toBe((stateBefore?.leadsReceived ?? 0) + 1200 + 500);
      expect((await expectCacheEqualsApi(browser, stack)).status).toMatch(SYNCED);
      await expectHealthyBadge(browser, stack);
      note({ scenario: 'duplicate page', requests: run.length, windowMs: 0, lost: 0 });
    }, 40_000);

    it('ETag churn (a new ETag on every answer, never 304): one request per poll, no writes, cache unchanged', async () => {
      const { stack, browser } = env;
      const before = await settled(browser, stack);
      const n0 = lastRequestNo(stack.proxy);
      const startedAt = Date.now();
      setFaults(env, { etagChurn: true });
      await changePolls(stack.proxy, n0, 8);
      const during = requestsSince(stack.proxy, n0, isChanges);
      const windowMs = Date.now() - startedAt;
      setFaults(env, {});
      expect(during.length).toBeGreaterThanOrEqual(Math.floor(windowMs / POLL_MS) - 3);
      expect(during.length).toBeLessThanOrEqual(Math.ceil(windowMs / POLL_MS) + 1);
      // Listed, not just counted: a failure shows which answer moved.
      expect(during.filter((r) => r.status !== 200 || r.answerCursor !== r.cursor)).toEqual([]);
      expect(requestsSince(stack.proxy, n0, isContractCall)).toHaveLength(during.length);
      // No IndexedDB write: the sync state is the same (the churned ETags are not stored).
      expect(await syncState(browser)).toEqual(before);
      expect((await expectCacheEqualsApi(browser, stack)).status).toMatch(SYNCED);
      await expectHealthyBadge(browser, stack);
      note({ scenario: 'ETag churn', requests: during.length, windowMs, lost: 0 });
    }, 40_000);

    it('token revoked (401): badge "!" "sign in again", polling pauses (no /v1 request); a new token saved on the settings page resumes', async () => {
      const { stack, browser } = env;
      await settled(browser, stack);
      const n0 = lastRequestNo(stack.proxy);
      const startedAt = Date.now();
      // An admin revokes the rep's tokens on the server.
      await stack.demo.api.revokeRepTokens();
      const paused = await waitUntil(() => syncState(browser), (s) => s?.status === 'signin', 4 * POLL_MS);
      expect(paused?.status).toBe('signin');
      const shown = await waitUntil(() => badge(browser), (b) => b.text === '!', 3 * POLL_MS);
      expect(shown.text).toBe('!');
      expect(shown.title).toContain('sign in again');
      const popup = await readCacheFromPopup(browser);
      expect(popup.status).toBe('The scoring API rejected the token: missing or invalid bearer token — open settings');
      expect(new Set(popup.ids).size).toBe((await apiLeads(stack.demo)).size);

      // Paused: over 6 poll alarms, not one more contract call.
      const afterPause = lastRequestNo(stack.proxy);
      const pausedAt = Date.now();
      const alarmAt = () => browser.worker.evaluate(async () => (await chrome.alarms.get('leadlens-sync'))?.scheduledTime ?? 0);
      expect(await waitUntil(alarmAt, (at) => at >= pausedAt + 6 * POLL_MS, 12 * POLL_MS)).toBeGreaterThanOrEqual(pausedAt + 6 * POLL_MS);
      const windowMs = Date.now() - startedAt;
      expect(requestsSince(stack.proxy, afterPause)).toEqual([]);
      const faulted = requestsSince(stack.proxy, n0, isContractCall);
      expect(faulted).toHaveLength(1);
      expect(faulted[0]?.status).toBe(401);

      // The user saves a new token on the settings page: sync resumes at once, the cache is kept.
      const resumeFrom = lastRequestNo(stack.proxy);
      const savedAt = Date.now();
      await (await connectThroughOptions(browser, stack.proxy.url, await stack.demo.api.issueRepToken())).close();
      const resumed = await waitUntil(() => syncState(browser), (s) => s?.status === 'ok' && (s.lastSuccessAt ?? 0) >= savedAt, 5 * POLL_MS);
      expect(resumed?.status).toBe('ok');
      const after = requestsSince(stack.proxy, resumeFrom, isChanges);
      expect(after[0]?.cursor).toBe(paused?.cursor);
      await expectHealthyBadge(browser, stack);
      expect((await expectCacheEqualsApi(browser, stack)).status).toMatch(SYNCED);
      setFaults(env, {});
      note({ scenario: 'token revoked', requests: faulted.length, windowMs, lost: 0, recoveryMs: (resumed?.lastSuccessAt ?? 0) - savedAt });
    }, 40_000);
  });

  describe.sequential('invalid records in the first snapshot (1,200 leads, pages of 500)', () => {
    let stack: FaultStack;
    let browser: ExtensionBrowser;

    beforeAll(async () => {
      stack = await startFaultStack(1200);
      browser = await launch(stack);
    });

    afterAll(async () => {
      await browser?.close();
      await stack?.close();
    });

    it('caches every valid lead, minus exactly the invalid ones, which arrive once they change', async () => {
      const total = (await apiLeads(stack.demo)).size;
      const pages = Math.ceil(total / 500);
      stack.proxy.faults.invalidRecord = true;
      const state = await connectAndSync(browser, stack);
      delete stack.proxy.faults.invalidRecord;
      const invalid = [...stack.proxy.invalidSent];
      expect(invalid).toHaveLength(pages); // one in each page: 500 + 500 + the rest
      expect(state.skippedTotal).toBe(pages);
      expect(state.leadsReceived).toBe(total - pages);
      expect((await expectCacheEqualsApi(browser, stack, { missing: invalid })).status).toMatch(SYNCED);
      await expectHealthyBadge(browser, stack);

      await stack.demo.addEvents(invalid.map((leadId) => ({ leadId, type: 'email_open', title: 'ニュースレター' })));
      await expectCacheEqualsApi(browser, stack);
      note({ scenario: 'invalid record (snapshot)', requests: requestsSince(stack.proxy, 0, isChanges).length, windowMs: 0, lost: 0 });
    }, 40_000);
  });

  describe.sequential('service worker killed between two pages of the first sync (3,000 leads, 1.5 s per page)', () => {
    let stack: FaultStack;
    let browser: ExtensionBrowser;

    beforeAll(async () => {
      stack = await startFaultStack(3000);
      browser = await launch(stack);
    });

    afterAll(async () => {
      await browser?.close();
      await stack?.close();
    });

    it('resumes from the committed cursor after a restart, and ends with exactly the API\'s data', async () => {
      const api = stack.proxy;
      const total = (await apiLeads(stack.demo)).size;
      const pages = Math.ceil(total / 500);
      api.faults.delayMs = 1500;
      await (await connectThroughOptions(browser, api.url, stack.demo.token)).close();

      // Two pages committed: the third is on its way (the API holds it 1.5 s).
      const committed = await waitUntil(() => syncState(browser), (s) => (s?.leadsReceived ?? 0) >= 1000, 20_000, 50);
      expect(committed?.leadsReceived).toBe(1000);
      expect(committed?.snapshotComplete).toBe(false);
      const inFlight = await waitUntil(() => requestsSince(api, 0, isChanges).find((r) => r.cursor === committed?.cursor), (r) => r !== undefined, 1000, 10);
      expect(inFlight?.status).toBeUndefined();

      const page: Page = await browser.context.newPage();
      await page.goto(browser.extensionUrl('manifest.json'));
      const cdp = await browser.context.newCDPSession(page);
      const running: string[] = [];
      cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
        for (const v of event.versions) if (v.scriptURL.endsWith('/background.js')) running.push(v.runningStatus);
      });
      await cdp.send('ServiceWorker.enable');
      const stoppedAt = Date.now();
      const killedNo = inFlight?.n ?? 0;
      await cdp.send('ServiceWorker.stopAllWorkers');
      await waitUntil(() => running, (r) => r.includes('stopped'), 5000, 20);
      expect(running).toContain('stopped');
      const stateAtKill = await page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('leadlens');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error ?? new Error('open failed'));
        });
        const request = db.transaction('syncState', 'readonly').objectStore('syncState').get('main');
        const row = await new Promise<{ cursor?: string; leadsReceived: number }>((resolve) => { request.onsuccess = () => resolve(request.result as { cursor?: string; leadsReceived: number }); });
        db.close();
        return row;
      });
      expect(stateAtKill.cursor).toBe(committed?.cursor);

      // Nobody does anything: the next alarm wakes the worker, which finishes the sync.
      await waitUntil(() => running, (r) => r.lastIndexOf('running') > r.indexOf('stopped'), 10_000, 50);
      expect(running.lastIndexOf('running')).toBeGreaterThan(running.indexOf('stopped'));
      const done = await waitUntil(() => syncState(browser), (s) => s?.snapshotComplete === true && s.status === 'ok', 30_000);
      expect(done?.snapshotComplete).toBe(true);
      api.faults.delayMs = undefined;

      // The snapshot's requests (idle polls after it ask with the final cursor).
      const log = requestsSince(api, 0, isChanges).filter((r) => r.cursor !== done?.cursor);
      const afterKill = log.filter((r) => r.n > killedNo);
      // Resumed from the committed cursor, not a fresh snapshot.
      expect(afterKill[0]?.cursor).toBe(committed?.cursor);
      expect(afterKill.every((r) => r.cursor !== undefined)).toBe(true);
      expect(log.filter((r) => r.cursor === undefined)).toHaveLength(1);
      // Every page once; only the killed one asked twice.
      const asked = log.map((r) => r.cursor ?? '(start)');
      expect(asked.length).toBe(pages + 1);
      expect(new Set(asked).size).toBe(pages);
      expect(asked.filter((c) => c === committed?.cursor)).toHaveLength(2);
      console.info(`[faults] worker stopped ${stoppedAt - (inFlight?.at ?? 0)} ms into the third page's request (answered ${inFlight?.status}); sync done ${Date.now() - stoppedAt} ms after the stop`);

      expect((await expectCacheEqualsApi(browser, stack)).status).toMatch(SYNCED);
      await expectHealthyBadge(browser, stack);
      expect((await syncState(browser))?.leadsReceived).toBe(total);
      await page.close();
      note({ scenario: 'worker killed mid-sync', requests: log.length, windowMs: 0, lost: 0 });
    }, 60_000);
  });

  describe.sequential('call logs across a browser restart while the API is down', () => {
    let stack: FaultStack;
    let browser: ExtensionBrowser | undefined;
    const profile = mkdtempSync(join(tmpdir(), 'leadlens-faults-profile-'));

    beforeAll(async () => {
      stack = await startFaultStack(0);
      browser = await launch(stack, profile);
      await connectAndSync(browser, stack);
    });

    afterAll(async () => {
      await browser?.close();
      await stack?.close();
      rmSync(profile, { recursive: true, force: true });
    });

    it('delivers each of 2 calls logged offline exactly once after the restart, without user action', async () => {
      const api = stack.proxy;
      const leadId = stack.demo.featured.hotNow;
      const first = browser as ExtensionBrowser;
      const page = await first.context.newPage();
      await page.goto(stack.demo.recordUrl(leadId));
      const panel = page.locator('leadlens-panel');
      const form = panel.locator('form.log-call');
      await form.waitFor({ timeout: 15_000 });

      api.faults.down = true;
      const n0 = lastRequestNo(api);
      const calls = [{ outcome: 'No answer', note: '不在。明日10時に再架電' }, { outcome: 'Connected', note: '資料送付の依頼あり' }];
      /** The calls the server holds for this lead with the notes logged here. */
      const ours = async () => (await stack.demo.calls(leadId)).filter((e) => calls.some((c) => c.note === e.detail));
      for (const call of calls) {
        await form.getByLabel(call.outcome).check();
        await form.getByLabel('Note').fill(call.note);
        await form.getByRole('button', { name: 'Save call' }).click();
        // Concurrent tests: poll by hand (expect.poll needs the test's own context).
        expect(await waitUntil(() => panel.locator('.timeline').getByText(call.note).count(), (n) => n > 0, 10_000)).toBeGreaterThan(0);
      }
      const pending = await waitUntil(() => outboxRows(first), (rows) => rows.filter((r) => r.leadId === leadId).length === 2, 5000);
      const keys = pending.filter((r) => r.leadId === leadId).map((r) => r.key).sort();
      expect(keys).toHaveLength(2);
      expect(pending.every((r) => r.status === 'pending')).toBe(true);
      // While down, the sync backs off but each poll still tries the outbox's first row: wait for two such retries.
      const isPost = (r: { route: string }) => r.route === 'POST /v1/leads/:id/activities';
      await changePolls(api, n0, calls.length + 2, isPost);
      const posts = requestsSince(api, n0, isPost);
      const outageMs = Date.now() - (posts[0]?.at ?? Date.now());
      expect(posts.filter((r) => r.status !== 503)).toEqual([]);
      // (e) one attempt per logged call, then at most one per poll (the first pending row; the rest wait).
      expect(posts.length).toBeLessThanOrEqual(calls.length + Math.ceil(outageMs / POLL_MS) + 1);
      console.info(`[faults] outbox while down: ${posts.length} POST attempts in ${Math.round(outageMs / 100) / 10} s`);
      expect(await ours()).toHaveLength(0);
      await page.close();

      // Close the browser with both calls pending; open it again on the same profile.
      await first.close();
      browser = undefined;
      const restartedAt = lastRequestNo(api);
      const second = await launchWithExtension({ hostRules: stack.site.hostRules, headless: true, extensionDir, userDataDir: profile });
      browser = second;
      const still = await waitUntil(() => outboxRows(second), (rows) => rows.length > 0, 5000);
      expect(still.filter((r) => r.leadId === leadId).map((r) => r.key).sort()).toEqual(keys);
      await changePolls(api, restartedAt, 2, isPost);
      expect(await ours()).toHaveLength(0);

      // The API comes back: nobody touches anything.
      api.faults.down = undefined;
      expect((await waitUntil(ours, (found) => found.length === 2, 10_000)).length).toBe(2);
      // Later polls must not send them again: let four poll alarms go by (the sync itself may still back off).
      const alarmAt = () => second.worker.evaluate(async () => (await chrome.alarms.get('leadlens-sync'))?.scheduledTime ?? 0);
      const from = await alarmAt();
      expect(await waitUntil(alarmAt, (at) => at >= from + 4 * POLL_MS, 12 * POLL_MS)).toBeGreaterThanOrEqual(from + 4 * POLL_MS);
      // Each outbox key reached the server successfully once, and made one call each.
      const delivered = requestsSince(api, n0, (r) => isPost(r) && (r.status ?? 0) >= 200 && (r.status ?? 0) < 300);
      expect(delivered.map((r) => r.idempotencyKey).sort()).toEqual(keys);
      const sent = await outboxRows(second);
      expect(sent.filter((r) => r.leadId === leadId).every((r) => r.status === 'sent')).toBe(true);
      const notes = (await ours()).map((e) => e.detail);
      for (const call of calls) expect(notes.filter((n) => n === call.note)).toHaveLength(1);
        note({ scenario: 'outbox across restart', requests: posts.length, windowMs: 0, lost: 0 });
    }, 90_000);
  });

});

afterAll(() => {
  console.info(`[faults] summary ${JSON.stringify(results)}`);
});
