// Property: whatever a scoring API answers, ScoringApiClient resolves to a value (ok / fail) and
// never throws past its boundary (every API response is validated; one bad
// record is skipped and reported, the rest kept). Payloads mix valid LeadSummary records with
// junk whose invalidity, and the path that makes it invalid, are known by construction: the
// oracle is the generator, not the schema under test.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScoringApiClient, type ChangesResult } from '../../utils/api/client';
import { CRMS } from '../../utils/api/contract';
import type { ApiError, ApiResult } from '../../utils/api/errors';

// PROPERTY_SCALE=10 npx vitest run tests/unit/property-*.test.ts hunts longer.
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const RUNS = { payloads: 300 * SCALE, bodies: 400 * SCALE, details: 150 * SCALE, rejects: 100 * SCALE } as const;

// ------------------------------------------------------------------------------------------
// A fake fetch: one canned answer per client.

type Answer = { status: number; body: string | null; headers?: Record<string, string> } | { reject: unknown };

function clientAnswering(answer: Answer) {
  const fetchImpl = (async () => {
    if ('reject' in answer) throw answer.reject;
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  }) as unknown as typeof fetch;
  return new ScoringApiClient({ baseUrl: 'https://api.example.test', token: 'tok-property', timeoutMs: 5_000, fetch: fetchImpl });
}

/** Runs a client call and fails the property if it throws instead of resolving to a result. */
async function settle<T>(call: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  let result: ApiResult<T>;
  try {
    result = await call();
  } catch (error) {
    throw new Error(`the client threw past its boundary: ${String(error)}`);
  }
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) expectTypedError(result.error);
  return result;
}

const ERROR_KINDS = ['unauthorized', 'not_found', 'rate_limited', 'server', 'unreachable', 'timeout', 'bad_shape', 'config'];
function expectTypedError(error: ApiError): void {
  expect(ERROR_KINDS).toContain(error.kind);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
}

// ------------------------------------------------------------------------------------------
// Valid LeadSummary records.

const REQUIRED = ['id', 'name', 'score', 'scoreChange24h', 'band', 'stage', 'crmRefs', 'updatedAt'] as const;
const OPTIONAL = ['company', 'email', 'owner', 'needDetectedAt', 'needReason', 'needSignal', 'lastActivityAt', 'cooldownUntil', 'followed', 'waking'] as const;
const KNOWN = new Set<string>([...REQUIRED, ...OPTIONAL]);

const hugeText = fc.tuple(fc.integer({ min: 10_000, max: 120_000 }), fc.constantFrom('a', 'あ', 'ب', '\u202e', '😀', '<'))
  .map(([n, c]) => c.repeat(n));
const text = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: hugeText },
);
const nonEmpty = text.filter((s) => s.length > 0);
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const isoDate = fc.tuple(
  fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
  fc.constantFrom('Z', '+09:00', '-05:30', '+00:00'),
  fc.boolean(),
).map(([d, offset, millis]) => {
  const base = d.toISOString().replace('Z', '');
  return (millis ? base : base.slice(0, 19)) + offset;
});
/** Extra fields a newer server may send: readers must tolerate (and drop) them. */
const unknownFields = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !KNOWN.has(k) && k !== '__proto__'),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
);

// A CRM this build knows, or one a newer server added: both are kept.
const crmRef = fc.record(
  { crm: fc.oneof(fc.constantFrom(...CRMS), fc.constantFrom('pipedrive', 'sansan', 'e-sales-manager')), objectType: nonEmpty, recordId: nonEmpty, url: fc.string({ maxLength: 40 }) },
  { requiredKeys: ['crm', 'objectType', 'recordId'] },
);
/** Refs that cannot be used (no CRM, no record id): dropped alone, the lead kept. */
const BAD_REFS = new WeakSet<object>();
const badRef = fc.oneof(
  fc.tuple(crmRef, fc.oneof(fc.integer(), fc.constant(null), fc.constant(''))).map(([ref, crm]) => ({ ...ref, crm })),
  crmRef.map(({ recordId: _gone, ...ref }) => ref),
).map((ref) => { BAD_REFS.add(ref); return ref as Record<string, unknown>; });

const validLead = fc.tuple(
  fc.record(
    {
      id: nonEmpty,
      name: text,
      company: text,
      email: text,
      owner: fc.record({ id: text, name: text }),
      score: finite,
      scoreChange24h: finite,
      // Known bands and stages, and ones a newer server may add.
      band: fc.oneof(fc.constantFrom('hot', 'warm', 'cold'), fc.constantFrom('blazing', 'frozen')),
      needDetectedAt: isoDate,
      needReason: text,
      // An event type or 'score'; types this version has never heard of are fine.
      needSignal: fc.oneof(fc.constantFrom('score', 'seminar_attended', 'video_watched'), fc.string({ maxLength: 20 })),
      stage: fc.oneof(fc.constantFrom('lead', 'process', 'sleep', 'churn'), fc.constantFrom('nurture', 'partner')),
      lastActivityAt: isoDate,
      cooldownUntil: isoDate,
      crmRefs: fc.array(fc.oneof(crmRef, badRef), { maxLength: 4 }),
      updatedAt: isoDate,
      followed: fc.boolean(),
      waking: fc.boolean(),
    },
    { requiredKeys: [...REQUIRED] },
  ),
  unknownFields,
).map(([lead, extra]) => ({ ...extra, ...lead }) as Record<string, unknown>);

/** What the client must hand back for a valid record: its known fields, as the JSON carried them. */
function expectedOf(record: Record<string, unknown>): Record<string, unknown> {
  const wire = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of [...REQUIRED, ...OPTIONAL]) if (key in wire) out[key] = wire[key];
  if (out.owner) out.owner = { id: (out.owner as { id: string }).id, name: (out.owner as { name: string }).name };
  out.crmRefs = (record.crmRefs as Record<string, unknown>[]).filter((ref) => !BAD_REFS.has(ref)).map((ref) => JSON.parse(JSON.stringify(ref)) as Record<string, unknown>).map(({ crm, objectType, recordId, url }) => ({ crm, objectType, recordId, ...(url !== undefined ? { url } : {}) }));
  return out;
}

// ------------------------------------------------------------------------------------------
// Junk, each with the path (relative to leads[i]) that the report must name.

interface Junk {
  value: unknown;
  /** '' for the record itself, else 'score', 'owner.id', 'crmRefs[1].crm'... */
  path: string;
}

const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.constant({ text: 'x' }));
const notANumber = fc.oneof(fc.string({ maxLength: 10 }), hugeText.map((s) => `9${s}`), fc.boolean(), fc.constant(null), fc.constant([1]), fc.constant({ value: 1 }));
const notADate = fc.oneof(
  fc.constantFrom('yesterday', '2026-13-45T00:00:00Z', '2026-11-24 10:00', '2026-11-24', '1700000000', '', 'T'),
  fc.string({ unit: fc.constantFrom(...'abcxyz -:.T'.split('')), maxLength: 20 }),
  fc.integer(),
  fc.constant(null),
);
/** Open enums (band, stage) take any non-empty string; anything else is wrong. */
const notAnOpenEnumValue = fc.oneof(fc.constant(''), fc.integer(), fc.constant(null), fc.boolean());
const notABoolean = fc.oneof(fc.constantFrom('true', 'false', 0, 1, null), fc.string({ maxLength: 5 }));

const WRONG: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.oneof(notAString, fc.constant('')),
  name: notAString,
  company: notAString,
  email: notAString,
  needReason: notAString,
  needSignal: notAString,
  score: notANumber,
  scoreChange24h: notANumber,
  band: notAnOpenEnumValue,
  stage: notAnOpenEnumValue,
  updatedAt: notADate,
  needDetectedAt: notADate,
  lastActivityAt: notADate,
  cooldownUntil: notADate,
  crmRefs: fc.oneof(fc.constant(null), fc.string({ maxLength: 5 }), fc.constant({ 0: { crm: 'salesforce' } }), fc.integer()),
  owner: fc.oneof(fc.constant(null), fc.string({ maxLength: 5 }), fc.constant([])),
  followed: notABoolean,
  waking: notABoolean,
};

const junk: fc.Arbitrary<Junk> = fc.oneof(
  // A required field missing.
  fc.tuple(validLead, fc.constantFrom(...REQUIRED)).map(([lead, key]) => {
    const { [key]: _gone, ...rest } = lead;
    return { value: rest, path: key };
  }),
  // A field of the wrong type (null included: optional is not nullable).
  fc.tuple(validLead, fc.constantFrom(...Object.keys(WRONG))).chain(([lead, key]) =>
    (WRONG[key] as fc.Arbitrary<unknown>).map((bad) => ({ value: { ...lead, [key]: bad }, path: key }))),
  // A nested field wrong: the owner's id. (A bad CRM reference is dropped alone: see validLead.)
  fc.tuple(validLead, notAString).map(([lead, bad]) => ({ value: { ...lead, owner: { id: bad, name: 'Sato' } }, path: 'owner.id' })),
  // Not a record at all.
  fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 20 }), hugeText, fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }))
    .map((value) => ({ value, path: '' })),
  // Anything JSON can carry that is not shaped like a lead (no crmRefs: so it cannot be valid).
  fc.jsonValue({ maxDepth: 3 })
    .filter((value) => !(typeof value === 'object' && value !== null && !Array.isArray(value) && 'crmRefs' in value))
    .map((value) => ({ value, path: '' })),
);

type Item = { valid: true; value: Record<string, unknown> } | { valid: false; junk: Junk };
const item: fc.Arbitrary<Item> = fc.oneof(
  { weight: 3, arbitrary: validLead.map((value) => ({ valid: true as const, value })) },
  { weight: 2, arbitrary: junk.map((j) => ({ valid: false as const, junk: j })) },
);

const envelope = fc.record({
  items: fc.array(item, { maxLength: 12 }),
  removed: fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
  cursor: fc.string({ maxLength: 30 }),
  hasMore: fc.boolean(),
  extra: unknownFields,
});

/** Does an issue name the path? `leads[3].score …`, `leads[3].crmRefs[0].crm …`; for a record
 *  that is junk as a whole, `leads[3] …` or any field of it (`leads[3].id is missing`). */
function names(issue: string, index: number, path: string): boolean {
  const record = `leads[${index}]`;
  if (!path) return issue.startsWith(`${record} `) || issue.startsWith(`${record}.`) || issue.startsWith(`${record}[`);
  return issue.startsWith(`${record}.${path} `);
}

describe('ScoringApiClient.changes over arbitrary payloads', () => {
  it(`keeps exactly the valid records, in order, and reports each invalid one by index and path (${RUNS.payloads} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(envelope, async ({ items, removed, cursor, hasMore, extra }) => {
        const body = JSON.stringify({ ...extra, leads: items.map((i) => (i.valid ? i.value : i.junk.value)), removed, cursor, hasMore });
        const client = clientAnswering({ status: 200, body, headers: { 'Content-Type': 'application/json', ETag: '"p1"' } });
        const result: ChangesResult = await settle(() => client.changes({ cursor: 'c0' }));
        if (!result.ok || 'notModified' in result.value) throw new Error(`expected a page, got ${JSON.stringify(result).slice(0, 300)}`);
        const page = result.value;

        expect(page.leads).toEqual(items.filter((i) => i.valid).map((i) => expectedOf(i.value)));
        expect(page.removed).toEqual(removed);
        expect(page.cursor).toBe(cursor);
        expect(page.hasMore).toBe(hasMore);
        expect(page.etag).toBe('"p1"');

        const invalid = items.flatMap((entry, index) => (entry.valid ? [] : [{ index, junk: entry.junk }]));
        expect(page.skipped.map((s) => s.index)).toEqual(invalid.map((i) => i.index));
        invalid.forEach(({ index, junk: j }, n) => {
          const skipped = page.skipped[n];
          // The report names the bad field in words: "leads[3].score must be a number".
          expect(skipped?.issues.some((issue) => names(issue, index, j.path)), `leads[${index}] ${j.path} in ${JSON.stringify(skipped?.issues).slice(0, 400)}`).toBe(true);
          const id = typeof j.value === 'object' && j.value !== null ? (j.value as { id?: unknown }).id : undefined;
          expect(skipped?.id).toBe(typeof id === 'string' ? id : undefined);
        });
      }),
      { numRuns: RUNS.payloads },
    );
  });

  it('keeps a page of 2,000 records with one bad record in the middle', async () => {
    const sample = Array.from({ length: 2_000 }, (_, i) => ({
      id: `L${i}`, name: `リード ${i}`, score: i % 100, scoreChange24h: 0, band: 'warm', stage: 'lead', crmRefs: [], updatedAt: '2026-11-24T01:00:00Z',
    }));
    const leads: unknown[] = [...sample];
    leads.splice(1_000, 0, { ...sample[0], id: 'bad', score: 'high' });
    const client = clientAnswering({ status: 200, body: JSON.stringify({ leads, removed: [], cursor: 'c', hasMore: false }) });
    const result = await client.changes({});
    if (!result.ok || 'notModified' in result.value) throw new Error('expected a page');
    expect(result.value.leads).toHaveLength(2_000);
    expect(result.value.skipped).toEqual([{ index: 1_000, id: 'bad', issues: ['leads[1000].score must be a number'] }]);
  });
});

// ------------------------------------------------------------------------------------------
// Whatever the status and body: a typed error (or a page), never a throw.

/** Statuses a Response can carry; 204/205/304 cannot have a body. */
const status = fc.oneof(
  fc.constantFrom(200, 201, 204, 304, 400, 401, 403, 404, 409, 413, 418, 429, 500, 502, 503, 504),
  fc.integer({ min: 200, max: 599 }),
);
const headerValue = fc.string({ unit: fc.constantFrom(...'0123456789 abcXYZ,-:"'.split('')), maxLength: 30 }).map((s) => s.trim());
const body = fc.oneof(
  fc.string({ maxLength: 200 }), // mostly not JSON
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', '<html><body>502 Bad Gateway</body></html>', '{"leads":', 'null', '[]', '{"error":{"code":1}}', '\uFEFF{}', 'NaN'),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.record({ error: fc.record({ code: fc.string(), message: fc.string() }) }).map((v) => JSON.stringify(v)),
);

const CALLS = {
  me: (c: ScoringApiClient) => c.me(),
  changes: (c: ScoringApiClient) => c.changes({ cursor: 'c1', etag: '"e"' }),
  lookup: (c: ScoringApiClient) => c.lookup({ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' }),
  lookupByEmail: (c: ScoringApiClient) => c.lookup({ email: 'taro@example.jp' }),
  lead: (c: ScoringApiClient) => c.lead('L1', 'older'),
} as const;

/** What any status must become (2xx bodies here are never a valid answer: bad_shape). */
function expectedKind(code: number): ApiError['kind'] | 'ok' {
  if (code === 304) return 'ok';
  if (code >= 200 && code < 300) return 'bad_shape';
  if (code === 401 || code === 403) return 'unauthorized';
  if (code === 404) return 'not_found';
  if (code === 429 || code === 503) return 'rate_limited';
  return 'server';
}

const isAnswer = (value: unknown): boolean => {
  // A body that happens to be a valid answer for the call is fine too; generated JSON never is in practice.
  if (typeof value !== 'object' || value === null) return false;
  return 'user' in value || 'lead' in value || ('leads' in value && 'cursor' in value) || 'breakdown' in value;
};

describe('ScoringApiClient over arbitrary statuses and bodies', () => {
  it(`resolves every call to a typed error (or 304's "not modified"), never a throw (${RUNS.bodies} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...(Object.keys(CALLS) as (keyof typeof CALLS)[])), status, body, headerValue, headerValue, async (call, code, text, etag, retryAfter) => {
        const nullBody = code === 204 || code === 205 || code === 304;
        const client = clientAnswering({ status: code, body: nullBody ? null : text, headers: { ETag: etag, 'Retry-After': retryAfter } });
        const result = await settle(() => CALLS[call](client) as Promise<ApiResult<unknown>>);
        const kind = expectedKind(code);
        let parsed: unknown;
        try { parsed = JSON.parse(text); } catch { parsed = undefined; }
        if (kind === 'ok') {
          // Only the change feed sends If-None-Match; the others read a 304 as an empty body.
          if (call === 'changes') expect(result).toEqual({ ok: true, value: { notModified: true, etag } });
          else expect(!result.ok && result.error.kind).toBe('bad_shape');
          return;
        }
        if (kind === 'bad_shape' && isAnswer(parsed)) return;
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.kind).toBe(kind);
        if (result.error.kind === 'rate_limited') {
          const ms = result.error.retryAfterMs;
          expect(ms === undefined || (Number.isFinite(ms) && ms >= 0)).toBe(true);
        }
        if ('status' in result.error) expect(result.error.status).toBe(code);
      }),
      { numRuns: RUNS.bodies },
    );
  });

  it('a fetch that rejects with anything is "unreachable", never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...(Object.keys(CALLS) as (keyof typeof CALLS)[])), fc.anything(), async (call, reason) => {
        const result = await settle(() => CALLS[call](clientAnswering({ reject: reason })) as Promise<ApiResult<unknown>>);
        expect(!result.ok && result.error.kind).toBe('unreachable');
      }),
      { numRuns: RUNS.rejects },
    );
  });
});

// ------------------------------------------------------------------------------------------
// A lead's detail: unknown event types, cooldown reasons and fields render later, generically.

const timelineEvent = fc.tuple(
  fc.record(
    {
      id: fc.string({ maxLength: 10 }), at: isoDate, type: fc.string({ maxLength: 24 }), title: text, detail: text, channel: fc.string({ maxLength: 8 }),
      points: finite, url: fc.string({ maxLength: 40 }), actor: text, meta: fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    },
    { requiredKeys: ['id', 'at', 'type', 'title'] },
  ),
  unknownFields,
).map(([event, extra]) => ({ ...extra, ...event }));

describe('ScoringApiClient.lead over arbitrary details', () => {
  it(`accepts any event type and cooldown reason, keeping every event in order (${RUNS.details} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        validLead,
        fc.array(timelineEvent, { maxLength: 8 }),
        fc.array(fc.record({ reason: fc.string({ maxLength: 16 }), severity: fc.constantFrom('block', 'warn'), message: text }), { maxLength: 3 }),
        async (lead, timeline, cooldowns) => {
          const detail = { ...lead, breakdown: [], interests: [], timeline, cooldowns };
          const result = await settle(() => clientAnswering({ status: 200, body: JSON.stringify(detail) }).lead('L1'));
          if (!result.ok) throw new Error(`rejected a valid detail: ${result.error.message}`);
          expect(result.value.timeline.map((e) => [e.id, e.type, e.title])).toEqual(timeline.map((e) => [e.id, e.type, e.title]));
          expect(result.value.cooldowns.map((c) => c.reason)).toEqual(cooldowns.map((c) => c.reason));
        },
      ),
      { numRuns: RUNS.details },
    );
  });
});
