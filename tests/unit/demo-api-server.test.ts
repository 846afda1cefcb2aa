// @vitest-environment node
/**
 * The reference API over real HTTP on a random port, with a pinned clock: every call of the
 * contract, its error shapes, the delta feed (snapshot paging, cursor resume, 304 on an idle
 * poll), idempotent activities, CORS for extension origins, and faults. Every body received is
 * checked against the contract's zod schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ActivityResponse, ChangesResponse, ErrorResponse, LeadDetail, LookupResponse, MeResponse, type LeadSummary, type TimelineEvent,
} from '../../utils/api/contract';
import { FEATURED } from '../../demo/api/dataset';
import { AdminEventResponse, startApi, type ApiHandle } from '../../demo/api/server';

/** Tuesday 2025-07-29 14:00 JST. */
const NOW = new Date('2025-07-29T05:00:00Z');
const AUTH = { Authorization: 'Bearer demo-token' };

let api: ApiHandle;
const problems: string[] = [];

beforeAll(async () => {
  api = await startApi({ now: () => NOW, rescoreMs: 0, log: (m) => problems.push(m) });
});
afterAll(async () => {
  await api.close();
});

async function call<T>(path: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${api.url}${path}`, { ...init, headers: { ...AUTH, ...(init.headers as Record<string, string> | undefined) } });
  const json = (await res.json()) as unknown;
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${path} → ${res.status} outside the contract: ${parsed.error.message}\n${JSON.stringify(json).slice(0, 500)}`);
  return { status: res.status, body: parsed.data, headers: res.headers };
}

const postJson = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Follows the feed from `cursor` until hasMore is false. */
async function drain(cursor?: string, limit = 400): Promise<{ leads: LeadSummary[]; removed: string[]; cursor: string; pages: number }> {
  const leads: LeadSummary[] = [];
  const removed: string[] = [];
  let pages = 0;
  let next = cursor;
  for (;;) {
    const q = new URLSearchParams({ limit: String(limit), ...(next ? { cursor: next } : {}) });
    const { status, body, headers } = await call(`/v1/leads/changes?${q}`, ChangesResponse);
    expect(status).toBe(200);
    expect(headers.get('etag')).toBeTruthy();
    pages += 1;
    leads.push(...body.leads);
    removed.push(...body.removed);
    next = body.cursor;
    if (!body.hasMore) return { leads, removed, cursor: body.cursor, pages };
  }
}

describe('auth and errors', () => {
  it('401 without or with a wrong token, as { error: { code, message } }', async () => {
    const variants: Record<string, string>[] = [{}, { Authorization: 'Bearer nope' }, { Authorization: 'Basic ZGVtbw==' }];
    for (const headers of variants) {
      const res = await fetch(`${api.url}/v1/leads/changes`, { headers });
      expect(res.status).toBe(401);
      const body = ErrorResponse.parse(await res.json());
      expect(body.error.code).toBe('unauthorized');
    }
  });

  it('GET /v1/me answers the demo user and settings', async () => {
    const { status, body } = await call('/v1/me', MeResponse);
    expect(status).toBe(200);
    expect(body).toEqual({ user: { id: 'u-sato', name: '佐藤 健', email: 'sato@example.jp' }, settings: { hotThreshold: 70, callWindowMinutes: 120 } });
  });

  it('unknown routes and bad parameters answer the error shape', async () => {
    expect((await call('/v1/nope', ErrorResponse)).status).toBe(404);
    expect((await call('/v1/leads/changes?limit=0', ErrorResponse)).status).toBe(400);
    expect((await call('/v1/leads/changes?cursor=%%%', ErrorResponse)).body.error.code).toBe('bad_cursor');
    expect((await call('/v1/me', ErrorResponse, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('GET /v1/leads/changes', () => {
  it('snapshot paging collects every lead exactly once, in pages', async () => {
    const { leads, pages, removed } = await drain(undefined, 300);
    expect(pages).toBe(Math.ceil(api.store.size / 300));
    const ids = leads.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(api.store.ids().sort());
    expect(removed).toEqual([]);
  });

  it('limit defaults to 500 and caps at 1000', async () => {
    expect((await call('/v1/leads/changes', ChangesResponse)).body.leads).toHaveLength(500);
    expect((await call('/v1/leads/changes?limit=5000', ChangesResponse)).body.leads).toHaveLength(1000);
  });

  it('idle poll: 304 with a stable ETag when If-None-Match matches; resume returns only changed leads', async () => {
    const { cursor } = await drain(undefined, 1000);
    const idle = await call(`/v1/leads/changes?cursor=${cursor}`, ChangesResponse);
    expect(idle.body).toEqual({ leads: [], removed: [], cursor, hasMore: false });
    const etag = idle.headers.get('etag') ?? '';
    expect(etag).toMatch(/^".+"$/);

    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${api.url}/v1/leads/changes?cursor=${cursor}`, { headers: { ...AUTH, 'If-None-Match': etag } });
      expect(res.status).toBe(304);
      expect(res.headers.get('etag')).toBe(etag);
      expect(await res.text()).toBe('');
    }

    // A live event changes one lead: the same poll now answers 200 with exactly that lead.
    const live = await call('/v1/admin/events', AdminEventResponse,
      postJson({ leadId: FEATURED.almostHot, type: 'seminar_attended', title: '営業DX実践セミナー' }));
    expect(live.status).toBe(201);
    const res = await fetch(`${api.url}/v1/leads/changes?cursor=${cursor}`, { headers: { ...AUTH, 'If-None-Match': etag } });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).not.toBe(etag);
    const delta = ChangesResponse.parse(await res.json());
    expect(delta.leads.map((l) => l.id)).toEqual([FEATURED.almostHot]);
    expect(delta.leads[0]).toMatchObject({ band: 'hot', needDetectedAt: NOW.toISOString(), needReason: 'Attended seminar: 営業DX実践セミナー' });
    expect(delta.hasMore).toBe(false);

    // Caught up again: idle.
    const after = await call(`/v1/leads/changes?cursor=${delta.cursor}`, ChangesResponse);
    expect(after.body.leads).toEqual([]);
  });

  it('removed leads come back as ids in `removed`', async () => {
    const { cursor } = await drain(undefined, 1000);
    const res = await fetch(`${api.url}/v1/admin/leads/lead-01999`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const delta = await call(`/v1/leads/changes?cursor=${cursor}`, ChangesResponse);
    expect(delta.body.removed).toEqual(['lead-01999']);
    expect((await call('/v1/leads/lead-01999', ErrorResponse)).status).toBe(404);
  });
});

describe('GET /v1/leads/lookup', () => {
  it('finds a lead by salesforce ref (18- and 15-char id), by email, and 404s otherwise', async () => {
    const p = api.store.profile(FEATURED.hotNow);
    const sf = p?.crmRefs.find((r) => r.crm === 'salesforce');
    expect(sf).toBeDefined();
    const id18 = sf?.recordId ?? '';
    for (const recordId of [id18, id18.slice(0, 15)]) {
      const { status, body } = await call(`/v1/leads/lookup?crm=salesforce&objectType=Lead&recordId=${recordId}`, LookupResponse);
      expect(status).toBe(200);
      expect(body.lead.id).toBe(FEATURED.hotNow);
    }
    const byEmail = await call(`/v1/leads/lookup?email=${encodeURIComponent((p?.email ?? '').toUpperCase())}`, LookupResponse);
    expect(byEmail.body.lead.id).toBe(FEATURED.hotNow);

    const kintone = api.store.profile('lead-00100')?.crmRefs[0];
    if (kintone) {
      const q = new URLSearchParams({ crm: kintone.crm, objectType: kintone.objectType, recordId: kintone.recordId });
      expect((await call(`/v1/leads/lookup?${q}`, LookupResponse)).body.lead.id).toBe('lead-00100');
    }

    const missing = await call('/v1/leads/lookup?crm=salesforce&objectType=Lead&recordId=00Q000000000000AAA', ErrorResponse);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await call('/v1/leads/lookup?email=nobody@example.jp', ErrorResponse)).status).toBe(404);
    expect((await call('/v1/leads/lookup?crm=salesforce', ErrorResponse)).status).toBe(400);
  });

  it("honours host: the record's own tenant (any spelling of it) finds the lead, another tenant's same numbers do not", async () => {
    const ref = api.store.profile(FEATURED.hotNow)?.crmRefs.find((r) => r.crm === 'salesforce');
    const q = (host: string) => new URLSearchParams({ crm: 'salesforce', objectType: ref?.objectType ?? '', recordId: ref?.recordId ?? '', host });
    expect(ref?.host).toBe('leadlens-demo.my.salesforce.com');
    expect((await call(`/v1/leads/lookup?${q('leadlens-demo.my.salesforce.com')}`, LookupResponse)).body.lead.id).toBe(FEATURED.hotNow);
    expect((await call(`/v1/leads/lookup?${q('LeadLens-Demo.lightning.force.com')}`, LookupResponse)).body.lead.id).toBe(FEATURED.hotNow);
    expect((await call(`/v1/leads/lookup?${q('partner.my.salesforce.com')}`, ErrorResponse)).status).toBe(404);
  });
});

describe('GET /v1/leads/{id}', () => {
  it('pages the timeline 50 at a time, newest first, with timelineCursor', async () => {
    const id = api.store.ids().find((x) => api.store.events(x).length > 100) ?? '';
    expect(id).not.toBe('');
    const seen: TimelineEvent[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const q = cursor ? `?timelineCursor=${encodeURIComponent(cursor)}` : '';
      const { status, body } = await call(`/v1/leads/${id}${q}`, LeadDetail);
      expect(status).toBe(200);
      expect(body.timeline.length).toBeLessThanOrEqual(50);
      if (pages === 0) {
        expect(body.timeline).toHaveLength(50);
        expect(body.breakdown.length).toBeGreaterThan(0);
      }
      seen.push(...body.timeline);
      cursor = body.timelineCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(Math.ceil(api.store.events(id).length / 50));
    expect(new Set(seen.map((e) => e.id)).size).toBe(api.store.events(id).length);
    const times = seen.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('detail of the hot featured lead explains itself', async () => {
    const { body } = await call(`/v1/leads/${FEATURED.hotNow}`, LeadDetail);
    expect(body.band).toBe('hot');
    expect(body.breakdown.some((f) => f.key === 'behavior:seminar_attended')).toBe(true);
    expect(body.interests[0]?.topic).toBe('kintone');
    expect(body.timeline[0]?.type).toBe('key_page');
  });

  it('404 for an unknown lead, 400 for a bad timelineCursor', async () => {
    expect((await call('/v1/leads/lead-99999', ErrorResponse)).status).toBe(404);
    expect((await call(`/v1/leads/${FEATURED.hotNow}?timelineCursor=xx`, ErrorResponse)).body.error.code).toBe('bad_cursor');
  });
});

describe('POST /v1/leads/{id}/activities', () => {
  const activity = { type: 'call', outcome: 'connected', note: '来週デモ', at: NOW.toISOString() };

  it('same Idempotency-Key twice → one event, same status and body', async () => {
    const id = FEATURED.hotNow;
    const before = api.store.events(id).length;
    const key = 'key-exactly-once';
    const first = await call(`/v1/leads/${id}/activities`, ActivityResponse, postJson(activity, { 'Idempotency-Key': key }));
    const second = await call(`/v1/leads/${id}/activities`, ActivityResponse, postJson(activity, { 'Idempotency-Key': key }));
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(first.body.event).toMatchObject({ type: 'call', at: NOW.toISOString(), detail: '来週デモ', actor: '佐藤 健', meta: { outcome: 'connected' } });
    expect(api.store.events(id).length).toBe(before + 1);
    const admin = (await (await fetch(`${api.url}/v1/admin/activities`)).json()) as { byKey: Record<string, { deliveries: number; created: number }> };
    expect(admin.byKey[key]).toMatchObject({ deliveries: 2, created: 1 });
    // The call now shows as a recent_call warning.
    const d = await call(`/v1/leads/${id}`, LeadDetail);
    expect(d.body.cooldowns.some((c) => c.reason === 'recent_call')).toBe(true);
  });

  it('400 without Idempotency-Key or with a body outside the contract; a rejected key can be reused', async () => {
    const id = FEATURED.almostHot;
    const noKey = await call(`/v1/leads/${id}/activities`, ErrorResponse, postJson(activity));
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('idempotency_key_required');
    const bad = await call(`/v1/leads/${id}/activities`, ErrorResponse, postJson({ ...activity, outcome: 'maybe' }, { 'Idempotency-Key': 'k-bad' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    const retry = await call(`/v1/leads/${id}/activities`, ActivityResponse, postJson({ ...activity, outcome: 'lost', lossReason: 'price' }, { 'Idempotency-Key': 'k-bad' }));
    expect(retry.status).toBe(201);
    const d = await call(`/v1/leads/${id}`, LeadDetail);
    expect(d.body.cooldowns.find((c) => c.reason === 'recently_lost')?.severity).toBe('block');
    expect((await call('/v1/leads/lead-99999/activities', ErrorResponse, postJson(activity, { 'Idempotency-Key': 'k-404' }))).status).toBe(404);
  });

  it('POST /v1/leads/{id}/recycle → 202 once per Idempotency-Key; no key or an invalid body → 400', async () => {
    const id = FEATURED.lostRecently;
    const body = { track: '営業DX', frequency: 'biweekly', email: 'kenta.ito@toyo-logi.example.jp' };
    const recycledEvents = async () => (await call(`/v1/leads/${id}`, LeadDetail)).body.timeline.filter((e) => e.type === 'recycled').length;
    const before = await recycledEvents();
    const send = (headers: Record<string, string>) => fetch(`${api.url}/v1/leads/${id}/recycle`, { ...postJson(body), headers: { ...AUTH, 'Content-Type': 'application/json', ...headers } });
    expect((await send({ 'Idempotency-Key': 'r-1' })).status).toBe(202);
    expect((await send({ 'Idempotency-Key': 'r-1' })).status).toBe(202);
    expect(await recycledEvents()).toBe(before + 1);
    expect(api.recycles.get('r-1')).toMatchObject({ deliveries: 2, created: 1, leadId: id });
    const noKey = await call(`/v1/leads/${id}/recycle`, ErrorResponse, postJson(body));
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('idempotency_key_required');
    const bad = await call(`/v1/leads/${id}/recycle`, ErrorResponse, postJson({ track: 'x', frequency: 'daily', email: 'nope' }, { 'Idempotency-Key': 'r-bad' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
  });
});

describe('CORS', () => {
  it('answers the preflight from a chrome-extension origin', async () => {
    const res = await fetch(`${api.url}/v1/leads/changes`, {
      method: 'OPTIONS',
      headers: { Origin: 'chrome-extension://abc', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,if-none-match' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('chrome-extension://abc');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'content-type', 'idempotency-key', 'if-none-match']) expect(allowed).toContain(h);
    expect(res.headers.get('access-control-max-age')).toBeTruthy();
  });

  it('actual requests echo allowed origins and expose ETag / Retry-After; others get no CORS headers', async () => {
    for (const origin of ['chrome-extension://abc', 'moz-extension://0f1e2d3c-aaaa-bbbb-cccc-123456789abc', 'http://localhost:3000']) {
      const res = await fetch(`${api.url}/v1/leads/changes?limit=1`, { headers: { ...AUTH, Origin: origin } });
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-expose-headers')).toMatch(/ETag/);
      expect(res.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
    }
    const unauth = await fetch(`${api.url}/v1/me`, { headers: { Origin: 'chrome-extension://abc' } });
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('access-control-allow-origin')).toBe('chrome-extension://abc');
    const evil = await fetch(`${api.url}/v1/me`, { headers: { ...AUTH, Origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('admin and faults', () => {
  it('GET /v1/admin/featured names the featured leads with their CRM refs', async () => {
    const body = (await (await fetch(`${api.url}/v1/admin/featured`)).json()) as { featured: Record<string, { id: string; crmRefs: { crm: string; objectType: string }[] }> };
    expect(body.featured.hotNow?.id).toBe(FEATURED.hotNow);
    expect(body.featured.hotNow?.crmRefs.some((r) => r.crm === 'salesforce' && r.objectType === 'Lead')).toBe(true);
    expect(Object.keys(body.featured)).toEqual(expect.arrayContaining(['hotNow', 'lostRecently', 'complained', 'waking', 'almostHot']));
  });

  it('live events find the lead by CRM ref; unknown targets 404', async () => {
    const ref = api.store.profile(FEATURED.videoWatched)?.crmRefs[0];
    const res = await fetch(`${api.url}/v1/admin/events`, postJson({ crm: ref?.crm, objectType: ref?.objectType, recordId: ref?.recordId, type: 'web_visit', title: '料金プラン' }));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { lead: { id: string } }).lead.id).toBe(FEATURED.videoWatched);
    expect((await fetch(`${api.url}/v1/admin/events`, postJson({ leadId: 'lead-99999', type: 'web_visit' }))).status).toBe(404);
    expect((await fetch(`${api.url}/v1/admin/events`, postJson({ leadId: FEATURED.hotNow }))).status).toBe(400);
  });

  it('faults: down → 503 with Retry-After on /v1/*, not on admin; `times` clears itself', async () => {
    let res = await fetch(`${api.url}/v1/admin/faults`, postJson({ down: true, retryAfter: 7 }));
    expect(res.status).toBe(200);
    const down = await call('/v1/me', ErrorResponse);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('7');
    expect((await fetch(`${api.url}/v1/admin/featured`)).status).toBe(200);
    res = await fetch(`${api.url}/v1/admin/faults`, postJson({}));
    expect((await call('/v1/me', MeResponse)).status).toBe(200);

    api.faults.status = 429;
    api.faults.times = 1;
    expect((await call('/v1/me', ErrorResponse)).body.error.code).toBe('rate_limited');
    expect((await call('/v1/me', MeResponse)).status).toBe(200);
  });

  it('sent no response outside the contract during the whole run', () => {
    expect(problems).toEqual([]);
  });
});
