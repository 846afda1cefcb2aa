// @vitest-environment node
/**
 * The reference API's fault injection for the fault matrix (tests/e2e/faults.e2e.ts), over real
 * HTTP: a truncated JSON body, one corrupt record per page, a revoked token, the same page
 * served twice, a new ETag on every answer, an answer slower than the client waits, and the
 * per-route request counter and log the end-to-end tests bound their request counts with.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChangesResponse, ErrorResponse, LeadSummary, MeResponse } from '../../utils/api/contract';
import { startApi, type ApiHandle, type RequestRecord } from '../../demo/api/server';

/** Tuesday 2025-07-29 14:00 JST. */
const NOW = new Date('2025-07-29T05:00:00Z');
const AUTH = { Authorization: 'Bearer demo-token' };
const LEADS = 1200;

let api: ApiHandle;
const problems: string[] = [];

beforeAll(async () => {
  api = await startApi({
    now: () => NOW, rescoreMs: 0, leadCount: LEADS, log: (m) => problems.push(m),
    tokens: { 'demo-token': 'u-sato', 'second-token': 'u-sato' },
  });
});
afterAll(async () => {
  await api.close();
});
beforeEach(async () => {
  await setFaults({});
});

const postJson = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

async function setFaults(body: unknown): Promise<void> {
  const res = await fetch(`${api.url}/v1/admin/faults`, postJson(body));
  expect(res.status).toBe(200);
}

async function changes(query: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${api.url}/v1/leads/changes?${new URLSearchParams({ limit: '500', ...query })}`, { headers: { ...AUTH, ...headers } });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const parse = (text: string) => ChangesResponse.parse(JSON.parse(text));

describe('malformedJson', () => {
  it('answers 200 with a truncated body (ETag included, length right); cleared, the same page parses', async () => {
    await setFaults({ malformedJson: true });
    const bad = await changes();
    expect(bad.status).toBe(200);
    expect(bad.headers.get('etag')).toBeTruthy();
    expect(Number(bad.headers.get('content-length'))).toBe(Buffer.byteLength(bad.text));
    expect(() => JSON.parse(bad.text) as unknown).toThrow();
    expect(bad.text.startsWith('{"leads":[')).toBe(true);

    await setFaults({});
    const good = await changes();
    expect(good.text.length).toBeGreaterThan(bad.text.length * 1.9);
    expect(good.text.startsWith(bad.text)).toBe(true);
    expect(parse(good.text).leads).toHaveLength(500);
  });

  it('touches only the changes feed', async () => {
    await setFaults({ malformedJson: true });
    const res = await fetch(`${api.url}/v1/me`, { headers: AUTH });
    expect(MeResponse.safeParse(await res.json()).success).toBe(true);
  });

  it('with `times: 1` spoils exactly the next request, though the faults clear on its arrival', async () => {
    await setFaults({ malformedJson: true, times: 1 });
    const spoiled = (await changes()).text;
    expect(() => JSON.parse(spoiled) as unknown).toThrow();
    expect(api.faults).toEqual({});
    expect(parse((await changes()).text).leads).toHaveLength(500);
  });
});

describe('invalidRecord', () => {
  it('corrupts exactly one record per page, the middle one, deterministically; the rest stay valid', async () => {
    await setFaults({ invalidRecord: true });
    const before = new Set(api.invalidSent);
    const corrupted: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const { status, text } = await changes(cursor ? { cursor } : {});
      expect(status).toBe(200);
      const body = JSON.parse(text) as { leads: unknown[]; cursor: string; hasMore: boolean };
      const bad = body.leads.map((lead, i) => ({ i, ok: LeadSummary.safeParse(lead).success, lead: lead as { id: string; score: unknown } })).filter((x) => !x.ok);
      expect(bad).toHaveLength(1);
      expect(bad[0]?.i).toBe(Math.floor(body.leads.length / 2));
      expect(bad[0]?.lead.score).toBe('high');
      corrupted.push(bad[0]?.lead.id ?? '');
      pages += 1;
      cursor = body.cursor;
      if (!body.hasMore) break;
    }
    expect(pages).toBe(Math.ceil(LEADS / 500));
    expect(new Set(corrupted).size).toBe(pages);
    for (const id of corrupted) expect(api.invalidSent.has(id)).toBe(true);
    expect(api.invalidSent.size - before.size).toBe(corrupted.filter((id) => !before.has(id)).length);

    // The same request again corrupts the same record: the index is deterministic.
    const again = JSON.parse((await changes()).text) as { leads: { id: string }[] };
    expect(again.leads[250]?.id).toBe(corrupted[0]);
  });

  it('takes an index, clamped to the page; GET /v1/admin/faults lists the ids sent corrupted', async () => {
    await setFaults({ invalidRecord: 3 });
    const page = JSON.parse((await changes()).text) as { leads: { id: string; score: unknown }[]; cursor: string };
    expect(page.leads.findIndex((l) => l.score === 'high')).toBe(3);
    await setFaults({ invalidRecord: 10_000 });
    const small = JSON.parse((await changes({ limit: '7' })).text) as { leads: { score: unknown }[] };
    expect(small.leads.findIndex((l) => l.score === 'high')).toBe(6);
    const listed = (await (await fetch(`${api.url}/v1/admin/faults`)).json()) as { faults: unknown; invalidSent: string[] };
    expect(listed.faults).toEqual({ invalidRecord: 10_000 });
    expect(listed.invalidSent).toContain(page.leads[3]?.id);
  });

  it('leaves an empty page alone', async () => {
    const last = await drainCursor();
    await setFaults({ invalidRecord: true });
    const empty = await changes({ cursor: last });
    expect(parse(empty.text)).toMatchObject({ leads: [], removed: [], hasMore: false });
  });
});

describe('revokeToken', () => {
  it('answers 401 to that token on every contract route until cleared; other tokens and admin routes pass', async () => {
    await setFaults({ revokeToken: 'demo-token' });
    for (const path of ['/v1/me', '/v1/leads/changes', '/v1/leads/lead-00001']) {
      const res = await fetch(`${api.url}${path}`, { headers: AUTH });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(ErrorResponse.parse(await res.json()).error.code).toBe('unauthorized');
    }
    expect((await fetch(`${api.url}/v1/me`, { headers: { Authorization: 'Bearer second-token' } })).status).toBe(200);
    expect((await fetch(`${api.url}/v1/admin/state`)).status).toBe(200);
    await setFaults({});
    expect((await fetch(`${api.url}/v1/me`, { headers: AUTH })).status).toBe(200);
  });

  it('`true` revokes every token', async () => {
    api.faults.revokeToken = true;
    expect((await fetch(`${api.url}/v1/me`, { headers: AUTH })).status).toBe(401);
    expect((await fetch(`${api.url}/v1/me`, { headers: { Authorization: 'Bearer second-token' } })).status).toBe(401);
  });
});

describe('duplicatePage', () => {
  it('serves the previous page again to the next request with a cursor, once', async () => {
    const first = await changes();
    const c1 = parse(first.text).cursor;
    await setFaults({ duplicatePage: true });
    const replay = await changes({ cursor: c1 });
    expect(replay.status).toBe(200);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(api.faults.duplicatePage).toBeUndefined();

    const second = parse((await changes({ cursor: c1 })).text);
    const firstIds = new Set(parse(first.text).leads.map((l) => l.id));
    expect(second.leads.some((l) => firstIds.has(l.id))).toBe(false);
    const log = api.requestLog.filter((r) => r.route === 'GET /v1/leads/changes').slice(-2);
    expect(log.map((r) => r.fault)).toEqual(['duplicatePage', undefined]);
  });

  it('a number n replays on the n-th request with a cursor: the middle of a paging run', async () => {
    await setFaults({ duplicatePage: 2 });
    const p1 = await changes();
    const p2 = await changes({ cursor: parse(p1.text).cursor });
    expect(api.faults.duplicatePage).toBe(1);
    const replay = await changes({ cursor: parse(p2.text).cursor });
    expect(replay.text).toBe(p2.text);
    expect(api.faults.duplicatePage).toBeUndefined();
    const p3 = parse((await changes({ cursor: parse(p2.text).cursor })).text);
    expect(p3.leads[0]?.id).not.toBe(parse(p2.text).leads[0]?.id);
  });

  it('does not touch a snapshot start (no cursor)', async () => {
    const first = await changes();
    const c1 = parse(first.text).cursor;
    const second = await changes({ cursor: c1 });
    await setFaults({ duplicatePage: true });
    const fresh = await changes();
    expect(fresh.text).toBe(first.text);
    expect(fresh.text).not.toBe(second.text);
    expect(api.faults.duplicatePage).toBe(true);
  });
});

describe('etagChurn', () => {
  it('gives a new ETag on every answer and never 304; cleared, If-None-Match works again', async () => {
    const last = await drainCursor();
    const idle = await changes({ cursor: last });
    const tag = idle.headers.get('etag') ?? '';
    expect((await changes({ cursor: last }, { 'If-None-Match': tag })).status).toBe(304);

    await setFaults({ etagChurn: true });
    const tags = new Set<string>();
    let previous = tag;
    for (let i = 0; i < 3; i++) {
      const res = await changes({ cursor: last }, { 'If-None-Match': previous });
      expect(res.status).toBe(200);
      expect(parse(res.text)).toMatchObject({ leads: [], removed: [], cursor: last, hasMore: false });
      previous = res.headers.get('etag') ?? '';
      tags.add(previous);
    }
    expect(tags.size).toBe(3);
    expect(tags.has(tag)).toBe(false);

    await setFaults({});
    expect((await changes({ cursor: last }, { 'If-None-Match': tag })).status).toBe(304);
  });
});

describe('slow answers', () => {
  it('delayMs past the client timeout: the client gives up, the log shows the connection closed (status 0)', async () => {
    await setFaults({ delayMs: 400 });
    const started = Date.now();
    await expect(fetch(`${api.url}/v1/leads/changes`, { headers: AUTH, signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(350);
    const record = api.requestLog.at(-1);
    expect(record?.route).toBe('GET /v1/leads/changes');
    await expect.poll(() => record?.status, { timeout: 2000 }).toBe(0);
    // The late answer goes nowhere and breaks nothing.
    await expect.poll(() => record?.handled, { timeout: 2000 }).toBe(true);
    expect((await fetch(`${api.url}/v1/admin/state`)).status).toBe(200);
  });

  it('a request held by delayMs is logged on arrival with its cursor, answered later', async () => {
    const cursor = await drainCursor();
    await setFaults({ delayMs: 300 });
    const pending = fetch(`${api.url}/v1/leads/changes?cursor=${encodeURIComponent(cursor)}`, { headers: AUTH });
    await expect.poll(() => api.requestLog.at(-1)?.route).toBe('GET /v1/leads/changes');
    const record = api.requestLog.at(-1);
    expect(record?.cursor).toBeTruthy();
    expect(record?.status).toBeUndefined();
    expect((await pending).status).toBe(200);
    await expect.poll(() => record?.status).toBe(200);
  });
});

describe('request counter', () => {
  it('counts per route (preflights, faulted and admin requests too) and logs cursors and statuses', async () => {
    const before = new Map(api.requests);
    const delta = (route: string) => (api.requests.get(route) ?? 0) - (before.get(route) ?? 0);
    const first = parse((await changes()).text);
    await changes({ cursor: first.cursor });
    await fetch(`${api.url}/v1/me`, { method: 'OPTIONS', headers: { Origin: 'chrome-extension://abc', 'Access-Control-Request-Method': 'GET' } });
    api.faults.status = 500;
    await fetch(`${api.url}/v1/me`, { headers: AUTH });
    api.faults.status = undefined;
    await fetch(`${api.url}/v1/leads/lead-00001/activities`, { method: 'POST', headers: { ...AUTH, 'Idempotency-Key': 'k-count', 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'call', outcome: 'connected', at: NOW.toISOString() }) });
    await fetch(`${api.url}/nowhere`);

    expect(delta('GET /v1/leads/changes')).toBe(2);
    expect(delta('OPTIONS /v1/me')).toBe(1);
    expect(delta('GET /v1/me')).toBe(1);
    expect(delta('POST /v1/leads/:id/activities')).toBe(1);
    expect(delta('POST /v1/admin/faults')).toBe(0);
    expect(delta('GET (no route)')).toBe(1);

    const log = api.requestLog.slice(-6);
    const [snap, next, preflight, failed, post, none] = log as [RequestRecord, RequestRecord, RequestRecord, RequestRecord, RequestRecord, RequestRecord];
    expect(snap).toMatchObject({ route: 'GET /v1/leads/changes', status: 200, admin: false, answerCursor: first.cursor });
    expect(snap.cursor).toBeUndefined();
    expect(next).toMatchObject({ cursor: first.cursor, status: 200 });
    expect(preflight).toMatchObject({ method: 'OPTIONS', status: 204 });
    expect(failed).toMatchObject({ route: 'GET /v1/me', status: 500, fault: 'status 500' });
    expect(post.status).toBe(201);
    expect(none.status).toBe(404);
    expect(log.map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5].map((i) => snap.n + i));

    const answer = (await (await fetch(`${api.url}/v1/admin/requests?since=${snap.n}`)).json()) as { counts: Record<string, number>; total: number; log: RequestRecord[] };
    expect(answer.log.map((r) => r.route)).toEqual([next, preflight, failed, post, none].map((r) => r.route).concat('GET /v1/admin/requests'));
    expect(answer.counts['GET /v1/leads/changes']).toBe(api.requests.get('GET /v1/leads/changes'));
    expect(answer.total).toBe(api.requestLog.at(-1)?.n);
  });

  it('accepts only known fault fields with sane values', async () => {
    for (const body of [{ invalidRecord: -1 }, { revokeToken: '' }, { etagChurn: 'yes' }, { delayMs: 120_000 }]) {
      expect((await fetch(`${api.url}/v1/admin/faults`, postJson(body))).status).toBe(400);
    }
  });

  it('sent no response outside the contract unless a fault asked for it', () => {
    expect(problems).toEqual([]);
  });
});

/** The cursor at the end of the feed. */
async function drainCursor(): Promise<string> {
  let cursor: string | undefined;
  for (;;) {
    const body = parse((await changes({ limit: '1000', ...(cursor ? { cursor } : {}) })).text);
    cursor = body.cursor;
    if (!body.hasMore) return cursor;
  }
}
