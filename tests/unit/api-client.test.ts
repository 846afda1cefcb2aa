import { describe, expect, it } from 'vitest';
import { normaliseBaseUrl, ScoringApiClient, validateLeadList } from '../../utils/api/client';
import type { LeadSummary } from '../../utils/api/contract';
import { parseRetryAfter } from '../../utils/api/errors';
import { localeFrom } from '../../server/scoring/text';

const lead = (id: string, extra: Partial<LeadSummary> = {}): LeadSummary => ({
  id, name: `Lead ${id}`, score: 50, scoreChange24h: 0, band: 'warm', stage: 'lead',
  crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' }],
  updatedAt: '2026-11-23T01:00:00.000Z', ...extra,
});

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;
function clientWith(handler: Handler, timeoutMs = 1000) {
  const calls: { url: URL; init: RequestInit }[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push({ url, init: init ?? {} });
    return handler(url, init ?? {});
  }) as typeof fetch;
  return { client: new ScoringApiClient({ baseUrl: 'https://api.example.test/', token: 'tok-123', timeoutMs, fetch: fetchImpl }), calls };
}
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('ScoringApiClient', () => {
  it('sends the bearer token and parses /v1/me', async () => {
    const { client, calls } = clientWith(() => json({ user: { id: 'u1', name: '佐藤 健', email: 's@example.jp' }, settings: { hotThreshold: 70, callWindowMinutes: 120 } }));
    const me = await client.me();
    expect(me).toEqual({ ok: true, value: { user: { id: 'u1', name: '佐藤 健', email: 's@example.jp' }, settings: { hotThreshold: 70, callWindowMinutes: 120 } } });
    expect(calls[0]?.url.href).toBe('https://api.example.test/v1/me');
    expect(new Headers(calls[0]?.init.headers).get('Authorization')).toBe('Bearer tok-123');
  });

  it('asks for the rep\'s language on every request (Accept-Language), and for none when it has none', async () => {
    const me = { user: { id: 'u1', name: '佐藤 健', email: 's@example.jp' }, settings: { hotThreshold: 70, callWindowMinutes: 120 } };
    const calls: Headers[] = [];
    const fetchImpl = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(new Headers(init?.headers));
      return json(me);
    }) as typeof fetch;
    for (const language of ['ja', 'en', undefined] as const) {
      const client = new ScoringApiClient({ baseUrl: 'https://api.example.test', token: 'tok', fetch: fetchImpl, language });
      await client.me();
      await client.lead('L1');
    }
    expect(calls.map((h) => h.get('Accept-Language'))).toEqual(['ja, en;q=0.5', 'ja, en;q=0.5', 'en, ja;q=0.5', 'en, ja;q=0.5', null, null]);
    // The server's reader picks the language asked first.
    expect(localeFrom(calls[0]!.get('Accept-Language')!)).toBe('ja');
    expect(localeFrom(calls[2]!.get('Accept-Language')!)).toBe('en');
  });

  it('asks a record lookup with its tenant (&host=), an email lookup without', async () => {
    const { client, calls } = clientWith(() => json({ lead: lead('a') }));
    await client.lookup({ crm: 'kintone', objectType: '12', recordId: '34', host: 'partner.cybozu.com' });
    await client.lookup({ email: 'taro@acme.example.jp' });
    expect(Object.fromEntries(calls[0]?.url.searchParams ?? [])).toEqual({ crm: 'kintone', objectType: '12', recordId: '34', host: 'partner.cybozu.com' });
    expect(calls[0]?.url.pathname).toBe('/v1/leads/lookup');
    expect(Object.fromEntries(calls[1]?.url.searchParams ?? [])).toEqual({ email: 'taro@acme.example.jp' });
  });

  it('keeps valid records and reports each invalid one with its path', async () => {
    const bad = { ...lead('b'), score: 'high' };
    const { client } = clientWith(() => json({ leads: [lead('a'), lead('x'), lead('y'), bad, { id: 'c' }, lead('d')], removed: ['z'], cursor: 'c1', hasMore: false }, 200, { ETag: '"e1"' }));
    const page = await client.changes({});
    if (!page.ok || 'notModified' in page.value) throw new Error('expected a page');
    expect(page.value.leads.map((l) => l.id)).toEqual(['a', 'x', 'y', 'd']);
    expect(page.value.removed).toEqual(['z']);
    expect(page.value.etag).toBe('"e1"');
    expect(page.value.skipped[0]).toEqual({ index: 3, id: 'b', issues: ['leads[3].score must be a number'] });
    expect(page.value.skipped[1]?.index).toBe(4);
    expect(page.value.skipped[1]?.issues).toContain('leads[4].name is missing');
  });

  it('tolerates unknown fields, unknown event types and cooldown reasons', async () => {
    const detail = {
      ...lead('a'), brandNewField: true, breakdown: [], interests: [],
      timeline: [{ id: 'e1', at: '2026-11-22T10:00:00+09:00', type: 'hologram_meeting', title: 'Met in VR' }],
      cooldowns: [{ reason: 'moon_phase', severity: 'warn', message: 'Full moon' }],
    };
    const { client } = clientWith(() => json(detail));
    const result = await client.lead('a');
    expect(result.ok && result.value.timeline[0]?.type).toBe('hologram_meeting');
    expect(result.ok && 'brandNewField' in result.value).toBe(false);
  });

  it('sends cursor and If-None-Match, and reports 304 as not modified', async () => {
    const { client, calls } = clientWith(() => new Response(null, { status: 304, headers: { ETag: '"e1"' } }));
    const result = await client.changes({ cursor: 'abc', limit: 500, etag: '"e1"' });
    expect(result).toEqual({ ok: true, value: { notModified: true, etag: '"e1"' } });
    expect(calls[0]?.url.search).toBe('?cursor=abc&limit=500');
    expect(new Headers(calls[0]?.init.headers).get('If-None-Match')).toBe('"e1"');
  });

  it.each([
    [401, 'unauthorized', 'The scoring API rejected the token: bad token'],
    [403, 'unauthorized', 'The scoring API rejected the token: bad token'],
    [404, 'not_found', 'Not found: bad token'],
    [500, 'server', 'The scoring API failed with HTTP 500: bad token'],
  ] as const)('maps HTTP %i to %s', async (status, kind, message) => {
    const { client } = clientWith(() => json({ error: { code: 'x', message: 'bad token' } }, status));
    expect(await client.me()).toEqual({ ok: false, error: { kind, status, detail: 'bad token', message } });
  });

  it('reads Retry-After on 429 and 503', async () => {
    const { client } = clientWith(() => json({ error: { code: 'slow', message: 'slow down' } }, 429, { 'Retry-After': '7' }));
    const result = await client.me();
    expect(!result.ok && result.error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 7000 });
  });

  it('says the server is unreachable when fetch fails', async () => {
    const { client } = clientWith(() => { throw new TypeError('Failed to fetch'); });
    expect(await client.me()).toEqual({ ok: false, error: { kind: 'unreachable', url: 'https://api.example.test', message: 'Cannot reach https://api.example.test (offline, or CORS not allowed)' } });
  });

  it('times out a request that never answers', async () => {
    const { client } = clientWith((_url, init) => new Promise<Response>((_resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    }), 30);
    const result = await client.me();
    expect(!result.ok && result.error.kind).toBe('timeout');
  });

  it('reports a body that is not JSON, and a wrong shape, in words', async () => {
    const notJson = clientWith(() => new Response('<html>proxy</html>', { status: 200 }));
    const a = await notJson.client.me();
    expect(!a.ok && a.error.message).toBe('The scoring API answered in an unexpected shape: the body is not valid JSON');
    const wrong = clientWith(() => json({ user: { id: 1 } }));
    const b = await wrong.client.me();
    expect(!b.ok && b.error.message).toMatch(/^The scoring API answered in an unexpected shape: user\.id must be a string/);
  });

  it('sends the idempotency key with a call log', async () => {
    const { client, calls } = clientWith(() => json({ event: { id: 'ev1', at: '2026-11-23T01:00:00Z', type: 'call', title: 'Call' } }, 201));
    const result = await client.logActivity('L1', { type: 'call', outcome: 'connected', at: '2026-11-23T01:00:00Z' }, 'key-1');
    expect(result.ok).toBe(true);
    expect(new Headers(calls[0]?.init.headers).get('Idempotency-Key')).toBe('key-1');
    expect(calls[0]?.init.method).toBe('POST');
  });

  it('sends the idempotency key with a recycle', async () => {
    const { client, calls } = clientWith(() => json({ accepted: true }, 202));
    const result = await client.recycle('L1', { track: 'kintone活用', frequency: 'monthly', email: 'taro@acme.example.jp' }, 'key-r');
    expect(result.ok).toBe(true);
    expect(new Headers(calls[0]?.init.headers).get('Idempotency-Key')).toBe('key-r');
    expect(calls[0]?.url.pathname).toMatch(/\/v1\/leads\/L1\/recycle$/);
  });
});

describe('validateLeadList', () => {
  it('never throws on junk and keeps the valid records', () => {
    const { leads, skipped } = validateLeadList([null, 3, 'x', lead('ok'), [], {}]);
    expect(leads.map((l) => l.id)).toEqual(['ok']);
    expect(skipped.map((s) => s.index)).toEqual([0, 1, 2, 4, 5]);
  });
});

describe('helpers', () => {
  it.each([
    ['https://scoring.example.com/', { ok: true, value: 'https://scoring.example.com' }],
    ['  http://127.0.0.1:8787  ', { ok: true, value: 'http://127.0.0.1:8787' }],
    ['scoring.example.com', { ok: false }],
    ['ftp://scoring.example.com', { ok: false }],
  ] as const)('normaliseBaseUrl(%s)', (input, expected) => {
    expect(normaliseBaseUrl(input)).toMatchObject(expected);
  });

  it.each([
    ['5', 5000], ['0', 0], [null, undefined], ['soon', undefined],
    ['Mon, 23 Nov 2026 00:00:10 GMT', 10_000],
  ] as const)('parseRetryAfter(%s) = %s', (header, expected) => {
    expect(parseRetryAfter(header, Date.parse('2026-11-23T00:00:00Z'))).toBe(expected);
  });
});
