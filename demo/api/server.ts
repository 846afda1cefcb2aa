/**
 * The reference scoring API (contract v1, utils/api/contract.ts) on node:http.
 *
 * Every response body is checked against the contract's zod schemas before it leaves (option
 * `validateResponses`, on by default): the reference server must never be the reason a client
 * rejects data. /v1/admin/* is for the local demo and tests (live events, faults, delivery
 * counts): no auth, so the server binds to 127.0.0.1 by default.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  ActivityRequest, ActivityResponse, ChangesResponse, Crm, CRMS, CrmRef, ErrorResponse, LeadDetail, LeadSummary,
  LookupResponse, MeResponse, RecycleRequest, TimelineEvent,
} from '../../utils/api/contract';
import { createDataset, DEFAULT_LEAD_COUNT, DEFAULT_SEED, USERS, type DemoUser, type Featured } from './dataset';
import { SCORING_CONFIG } from './model';
import { BadCursorError, LeadStore } from './store';

export interface ApiOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  host?: string;
  /** The clock; tests pin it. Defaults to the real time. */
  now?: () => Date;
  seed?: number;
  leadCount?: number;
  /** Bearer token → user id. Default { 'demo-token': 'u-sato' }. */
  tokens?: Record<string, string>;
  /** Rescore period in ms (default 5 min); 0 disables the timer. */
  rescoreMs?: number;
  /** Check every response body against the contract before sending (default true). */
  validateResponses?: boolean;
  /** Where contract violations and similar server-side problems are reported. */
  log?: (message: string) => void;
}

/**
 * Fault injection for /v1/* non-admin routes (retry, backoff, offline and fault-matrix tests).
 * Set through POST /v1/admin/faults or by mutating the handle's `faults` object.
 */
export interface Faults {
  /** Answer 503 service_unavailable. */
  down?: boolean;
  /** Answer this status with an error body (429, 500, 503...). */
  status?: number;
  /** Retry-After seconds on faulted answers. */
  retryAfter?: number;
  /** Delay before handling (applies even when no other fault is set). Past the client's timeout = a "timed out" answer. */
  delayMs?: number;
  /** Only the next N non-admin requests are affected; then the faults clear themselves. */
  times?: number;
  /** GET /v1/leads/changes answers 200 with its JSON body cut in half (an ETag included, as a trap). */
  malformedJson?: boolean;
  /**
   * GET /v1/leads/changes corrupts one record in each page (`score: "high"`): the one at this
   * index (clamped to the page), or the middle one (`floor(n / 2)`) when `true`. The ids sent
   * corrupted are collected in the handle's `invalidSent`.
   */
  invalidRecord?: boolean | number;
  /** 401 for this bearer token (`true`: for every token) until cleared. */
  revokeToken?: boolean | string;
  /**
   * A GET /v1/leads/changes with a cursor gets the previous 200 answer of that route again,
   * byte for byte (the same page served twice): the next such request when `true`, the n-th
   * from now when a number (2 = the second page of the next multi-page sync). Then it clears itself.
   */
  duplicatePage?: boolean | number;
  /** GET /v1/leads/changes gives a new ETag on every answer and ignores If-None-Match: 304 never happens. */
  etagChurn?: boolean;
}

/** One request as the server saw it (GET /v1/admin/requests, the handle's `requestLog`). */
export interface RequestRecord {
  /** 1, 2, 3... in arrival order. */
  n: number;
  /** Epoch ms of arrival. */
  at: number;
  method: string;
  /** Route name, e.g. "GET /v1/leads/changes", "OPTIONS /v1/me", "GET (no route)". */
  route: string;
  /** Path and query string as received. */
  url: string;
  admin: boolean;
  /** Filled when the answer is finished (or the connection closed: 0). */
  status?: number;
  /** GET /v1/leads/changes: the cursor asked for, known on arrival (absent = a snapshot start). */
  cursor?: string;
  /** GET /v1/leads/changes 200: the cursor answered. */
  answerCursor?: string;
  /** The fault that shaped the answer, if any. */
  fault?: string;
  /** The server has finished with the request: answered, or gave up on a closed connection. */
  handled?: true;
}

/** POST /v1/admin/events body: find the lead by id, CRM record or email, and add an event. */
export const AdminEventInput = z.object({
  leadId: z.string().min(1).optional(),
  crm: Crm.optional(),
  objectType: z.string().min(1).optional(),
  recordId: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  type: z.string().min(1),
  title: z.string().optional(),
  detail: z.string().optional(),
  channel: z.string().optional(),
  url: z.string().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});
export type AdminEventInput = z.infer<typeof AdminEventInput>;

const FaultsBody = z.object({
  down: z.boolean().optional(),
  status: z.number().int().min(400).max(599).optional(),
  retryAfter: z.number().int().min(0).optional(),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  times: z.number().int().min(1).optional(),
  malformedJson: z.boolean().optional(),
  invalidRecord: z.union([z.boolean(), z.number().int().min(0)]).optional(),
  revokeToken: z.union([z.boolean(), z.string().min(1)]).optional(),
  duplicatePage: z.union([z.boolean(), z.number().int().min(1)]).optional(),
  etagChurn: z.boolean().optional(),
});

/** How many request records the server keeps (oldest dropped first). */
export const REQUEST_LOG_LIMIT = 20_000;

/** Admin answers reuse the contract's pieces so they are checked like the rest. */
export const AdminEventResponse = z.object({ lead: LeadSummary, event: TimelineEvent });
const FeaturedResponse = z.object({
  featured: z.record(z.string(), z.object({ id: z.string(), name: z.string(), company: z.string().optional(), crmRefs: z.array(CrmRef) })),
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
});

export interface ActivityDelivery {
  /** Requests that arrived with this key (first + replays). */
  deliveries: number;
  /** Events created for this key: 1 when idempotency holds. */
  created: number;
  status: number;
  leadId: string;
  eventId?: string;
}

export interface ApiHandle {
  url: string;
  port: number;
  store: LeadStore;
  featured: Featured;
  /** Mutable: set fields to inject faults (same as POST /v1/admin/faults). */
  faults: Faults;
  /** Per Idempotency-Key delivery counts (same as GET /v1/admin/activities). */
  activities: ReadonlyMap<string, ActivityDelivery>;
  /** The same for recycles (POST /v1/leads/:id/recycle). */
  recycles: ReadonlyMap<string, ActivityDelivery>;
  /** Requests per route name ("GET /v1/leads/changes", "OPTIONS /v1/me", admin routes too), since start. */
  requests: ReadonlyMap<string, number>;
  /** Every request, oldest first (the last REQUEST_LOG_LIMIT); same as GET /v1/admin/requests. */
  requestLog: readonly RequestRecord[];
  /** Lead ids sent corrupted by the `invalidRecord` fault, since start. */
  invalidSent: ReadonlySet<string>;
  /** Adds a live event (same as POST /v1/admin/events); throws HttpError 404 when no lead matches. */
  addEvent(input: AdminEventInput): { lead: LeadSummary; event: TimelineEvent };
  /** Runs a rescore now; returns how many leads changed. */
  rescore(): number;
  close(): Promise<void>;
}

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

const DEFAULT_TOKENS: Record<string, string> = { 'demo-token': 'u-sato' };
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 1000;
const MAX_BODY_BYTES = 1_000_000;

// ---------------------------------------------------------------------------------------------
// CORS

/** Extension origins (any id) and local tools. */
const ALLOWED_ORIGIN = /^(?:(?:chrome|moz|safari-web)-extension:\/\/[A-Za-z0-9._-]+|https?:\/\/(?:localhost|127\.0\.0\.1)(?::\d+)?)$/;

function corsHeaders(origin: string | undefined): Record<string, string> {
  if (!origin || !ALLOWED_ORIGIN.test(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': 'ETag, Retry-After',
    Vary: 'Origin',
  };
}

function preflightHeaders(origin: string | undefined, req: IncomingMessage): Record<string, string> {
  const base = corsHeaders(origin);
  if (!base['Access-Control-Allow-Origin']) return {};
  return {
    ...base,
    'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key, If-None-Match',
    'Access-Control-Max-Age': '600',
    // Chrome's Private Network Access preflight for http://127.0.0.1 from a public page.
    ...(req.headers['access-control-request-private-network'] === 'true' ? { 'Access-Control-Allow-Private-Network': 'true' } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Cursors and ETags

/** Opaque to clients; carries the server epoch so a restarted demo server is not fooled by an old seq. */
function encodeCursor(epoch: string, seq: number): string {
  return Buffer.from(`v1.${epoch}.${seq}`, 'utf8').toString('base64url');
}

/** undefined = start from scratch (no cursor, or one from another server run). */
function decodeCursor(cursor: string, epoch: string): number | undefined {
  const m = /^v1\.([a-z0-9]+)\.(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new HttpError(400, 'bad_cursor', 'cursor is not valid');
  return m[1] === epoch ? Number(m[2]) : undefined;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

function parseLimit(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new HttpError(400, 'bad_request', 'limit must be a positive integer');
  return Math.min(n, MAX_LIMIT);
}

// ---------------------------------------------------------------------------------------------
// Request plumbing

interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  cors: Record<string, string>;
  /** The faults in force for this request (a copy taken on arrival: `times` may clear the live ones). */
  faults: Faults;
  record?: RequestRecord;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'payload_too_large', 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_json', 'request body is not valid JSON');
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  throw new HttpError(400, 'invalid_request', issues);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const faultCode = (status: number): string =>
  status === 429 ? 'rate_limited' : status === 503 ? 'service_unavailable' : status >= 500 ? 'internal' : 'fault_injected';

// ---------------------------------------------------------------------------------------------
// The server

export async function startApi(opts: ApiOptions = {}): Promise<ApiHandle> {
  const now = opts.now ?? ((): Date => new Date());
  const tokens = opts.tokens ?? DEFAULT_TOKENS;
  const validate = opts.validateResponses ?? true;
  const log = opts.log ?? ((m: string): void => console.error(`[demo-api] ${m}`));
  const dataset = createDataset({ seed: opts.seed ?? DEFAULT_SEED, leadCount: opts.leadCount ?? DEFAULT_LEAD_COUNT, now: now() });
  const store = new LeadStore(dataset, now().getTime(), SCORING_CONFIG);
  const epoch = now().getTime().toString(36);
  const users = new Map<string, DemoUser>(dataset.users.map((u) => [u.id, u]));
  const activities = new Map<string, ActivityDelivery & { body: unknown }>();
  const recycles = new Map<string, ActivityDelivery>();
  const faults: Faults = {};
  const requests = new Map<string, number>();
  const requestLog: RequestRecord[] = [];
  const invalidSent = new Set<string>();
  let requestCount = 0;
  let etagChurn = 0;
  /** The last 200 answer of GET /v1/leads/changes, for `duplicatePage`. */
  let lastChanges: { text: string; headers: Record<string, string>; cursor: string } | undefined;

  const bearerOf = (req: IncomingMessage): string | undefined => /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();

  const userOf = (req: IncomingMessage): DemoUser => {
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const userId = m?.[1] ? tokens[m[1].trim()] : undefined;
    if (!userId) throw new HttpError(401, 'unauthorized', 'missing or invalid bearer token', { 'WWW-Authenticate': 'Bearer' });
    return users.get(userId) ?? USERS.find((u) => u.id === userId) ?? { id: userId, name: userId, email: `${userId}@example.jp` };
  };

  function send(ctx: Ctx, status: number, body: unknown, schema?: z.ZodType, headers: Record<string, string> = {}): void {
    if (validate && schema) {
      const r = schema.safeParse(body);
      if (!r.success) {
        log(`contract violation on ${ctx.req.method} ${ctx.url.pathname}: ${r.error.message}`);
        status = 500;
        body = { error: { code: 'contract_violation', message: 'the server produced a response outside the contract' } };
      }
    }
    sendText(ctx, status, JSON.stringify(body), headers);
  }

  /** Sends a body as is: faults use it to send what the contract forbids. */
  function sendText(ctx: Ctx, status: number, text: string, headers: Record<string, string> = {}): void {
    ctx.res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      'Cache-Control': 'no-store',
      ...ctx.cors,
      ...headers,
    });
    ctx.res.end(text);
  }

  const sendError = (ctx: Ctx, e: HttpError): void =>
    send(ctx, e.status, { error: { code: e.code, message: e.message } }, ErrorResponse, e.headers);

  const leadIdOr404 = (id: string): string => {
    if (!store.has(id)) throw new HttpError(404, 'not_found', `no lead ${id}`);
    return id;
  };

  /** Resolves an admin event's target lead: id, then CRM record, then email. */
  function resolveLead(input: AdminEventInput): string {
    const id =
      input.leadId ??
      (input.crm && input.objectType && input.recordId ? store.lookupRef(input.crm, input.objectType, input.recordId) : undefined) ??
      (input.email ? store.lookupEmail(input.email) : undefined);
    if (!id || !store.has(id)) throw new HttpError(404, 'not_found', 'no lead matches that id, record or email');
    return id;
  }

  function addEvent(input: AdminEventInput): { lead: LeadSummary; event: TimelineEvent } {
    const id = resolveLead(input);
    const t = now().getTime();
    const result = store.addEvent(id, {
      at: input.at ? Math.min(Date.parse(input.at), t) : t,
      type: input.type,
      title: input.title ?? input.type.replace(/_/g, ' '),
      ...(input.detail !== undefined ? { detail: input.detail } : {}),
      ...(input.channel !== undefined ? { channel: input.channel } : {}),
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.meta !== undefined ? { meta: input.meta } : {}),
    }, t);
    if (!result) throw new HttpError(404, 'not_found', `no lead ${id}`);
    return { lead: result.summary, event: result.event };
  }

  const clearFaults = (): void => {
    for (const k of Object.keys(faults) as (keyof Faults)[]) delete faults[k];
  };

  /**
   * Takes this request's copy of the faults (the route-specific ones act later, in the route),
   * applies the delay and the answers that replace the route; returns true when the request
   * was answered by a fault.
   */
  async function applyFaults(ctx: Ctx): Promise<boolean> {
    ctx.faults = { ...faults };
    if (faults.times !== undefined) {
      faults.times -= 1;
      if (faults.times <= 0) clearFaults();
    }
    const active = ctx.faults;
    if (active.delayMs) await sleep(active.delayMs);
    const token = bearerOf(ctx.req);
    if (active.revokeToken === true || (typeof active.revokeToken === 'string' && token === active.revokeToken)) {
      if (ctx.record) ctx.record.fault = 'revokeToken';
      sendError(ctx, new HttpError(401, 'unauthorized', 'the token was revoked', { 'WWW-Authenticate': 'Bearer error="invalid_token"' }));
      return true;
    }
    const status = active.down ? 503 : active.status;
    if (status === undefined) return false;
    if (ctx.record) ctx.record.fault = active.down ? 'down' : `status ${status}`;
    const headers: Record<string, string> = active.retryAfter !== undefined ? { 'Retry-After': String(active.retryAfter) } : {};
    sendError(ctx, new HttpError(status, faultCode(status), `fault injected (${status})`, headers));
    return true;
  }

  // --- contract routes ---------------------------------------------------------------------

  function getMe(ctx: Ctx): void {
    const user = userOf(ctx.req);
    send(ctx, 200, {
      user: { id: user.id, name: user.name, email: user.email },
      settings: { hotThreshold: SCORING_CONFIG.hotThreshold, callWindowMinutes: SCORING_CONFIG.callWindowMinutes },
    }, MeResponse);
  }

  function getChanges(ctx: Ctx): void {
    userOf(ctx.req);
    const active = ctx.faults;
    const limit = parseLimit(ctx.url.searchParams.get('limit'));
    const raw = ctx.url.searchParams.get('cursor');
    if (raw && typeof active.duplicatePage === 'number' && active.duplicatePage > 1) {
      faults.duplicatePage = active.duplicatePage - 1;
    } else if (raw && active.duplicatePage && lastChanges) {
      // The same page served twice: the previous answer again, whatever was asked.
      delete faults.duplicatePage;
      if (ctx.record) Object.assign(ctx.record, { fault: 'duplicatePage', answerCursor: lastChanges.cursor });
      sendText(ctx, 200, lastChanges.text, lastChanges.headers);
      return;
    }
    const from = raw ? decodeCursor(raw, epoch) : undefined;
    const snapshot = from === undefined;
    // The answer for (from, limit) can only change when the store's seq moves, so that is the tag.
    const etag = active.etagChurn
      ? `"${epoch}-${from ?? 's'}-${limit}-${store.seq}-churn${++etagChurn}"`
      : `"${epoch}-${from ?? 's'}-${limit}-${store.seq}"`;
    const headers = { ETag: etag, 'Cache-Control': 'no-cache' };
    // A server that churns ETags or garbles its bodies does not answer 304 either.
    if (!active.etagChurn && !active.malformedJson && etagMatches(ctx.req.headers['if-none-match'], etag)) {
      ctx.res.writeHead(304, { ...ctx.cors, ...headers });
      ctx.res.end();
      return;
    }
    const page = store.changes(from ?? 0, limit, snapshot);
    const cursor = encodeCursor(epoch, page.lastSeq);
    const body: ChangesResponse = { leads: page.leads, removed: page.removed, cursor, hasMore: page.hasMore };
    if (ctx.record) ctx.record.answerCursor = cursor;
    if (validate && !ChangesResponse.safeParse(body).success) {
      send(ctx, 200, body, ChangesResponse, headers); // reports the violation and answers 500
      return;
    }
    let out: unknown = body;
    if (active.invalidRecord !== undefined && active.invalidRecord !== false && page.leads.length > 0) {
      const index = active.invalidRecord === true ? Math.floor(page.leads.length / 2) : Math.min(active.invalidRecord, page.leads.length - 1);
      const leads: unknown[] = [...page.leads];
      const victim = page.leads[index];
      if (victim) {
        leads[index] = { ...victim, score: 'high' };
        invalidSent.add(victim.id);
        if (ctx.record) ctx.record.fault = `invalidRecord ${victim.id}`;
      }
      out = { ...body, leads };
    }
    let text = JSON.stringify(out);
    if (active.malformedJson) {
      text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      if (ctx.record) ctx.record.fault = 'malformedJson';
    } else {
      lastChanges = { text, headers, cursor };
    }
    sendText(ctx, 200, text, headers);
  }

  function getLookup(ctx: Ctx): void {
    userOf(ctx.req);
    const q = ctx.url.searchParams;
    const email = q.get('email');
    const crm = q.get('crm');
    const objectType = q.get('objectType');
    const recordId = q.get('recordId');
    let id: string | undefined;
    if (email) id = store.lookupEmail(email);
    else if (crm && objectType && recordId) {
      if (!(CRMS as readonly string[]).includes(crm)) throw new HttpError(400, 'bad_request', `unknown crm ${crm}`);
      // The tenant (host, HubSpot portal) when the caller names one: another tenant's record is not ours.
      id = store.lookupRef(crm, objectType, recordId, q.get('host') ?? undefined);
    } else throw new HttpError(400, 'bad_request', 'give crm, objectType and recordId, or email');
    const lead = id ? store.summary(id, now().getTime()) : undefined;
    if (!lead) throw new HttpError(404, 'not_found', 'no lead is behind that record');
    send(ctx, 200, { lead }, LookupResponse);
  }

  function getLead(ctx: Ctx, id: string): void {
    userOf(ctx.req);
    const cursor = ctx.url.searchParams.get('timelineCursor') ?? undefined;
    let detail: LeadDetail | undefined;
    try {
      detail = store.detail(id, now().getTime(), cursor);
    } catch (e) {
      if (e instanceof BadCursorError) throw new HttpError(400, 'bad_cursor', e.message);
      throw e;
    }
    if (!detail) throw new HttpError(404, 'not_found', `no lead ${id}`);
    send(ctx, 200, detail, LeadDetail);
  }

  async function postActivity(ctx: Ctx, id: string): Promise<void> {
    const user = userOf(ctx.req);
    const key = ctx.req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.trim() === '') {
      throw new HttpError(400, 'idempotency_key_required', 'POST activities needs an Idempotency-Key header');
    }
    const seen = activities.get(key);
    if (seen) {
      // A replay: the first answer again, no second event (the outbox may resend after a crash).
      seen.deliveries += 1;
      send(ctx, seen.status, seen.body, ActivityResponse);
      return;
    }
    leadIdOr404(id);
    const body = parseWith(ActivityRequest, await readJson(ctx.req));
    const t = now().getTime();
    const result = store.addEvent(id, {
      // A client clock ahead of ours must not hide the call until that moment comes.
      at: Math.min(Date.parse(body.at), t),
      type: 'call',
      title: `Call: ${body.outcome.replace('_', ' ')}`,
      channel: 'phone',
      actor: user.name,
      ...(body.note ? { detail: body.note } : {}),
      meta: { outcome: body.outcome, ...(body.lossReason ? { lossReason: body.lossReason } : {}), loggedBy: user.id },
    }, t);
    if (!result) throw new HttpError(404, 'not_found', `no lead ${id}`);
    const answer = { event: result.event };
    // Only successes are remembered: a rejected request may be retried with the same key.
    activities.set(key, { deliveries: 1, created: 1, status: 201, leadId: id, eventId: result.event.id, body: answer });
    send(ctx, 201, answer, ActivityResponse);
  }

  async function postRecycle(ctx: Ctx, id: string): Promise<void> {
    const user = userOf(ctx.req);
    const key = ctx.req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.trim() === '') {
      throw new HttpError(400, 'idempotency_key_required', 'POST recycle needs an Idempotency-Key header');
    }
    const seen = recycles.get(key);
    if (seen) {
      // A replay (the outbox resending after a crash): the first answer, no second event.
      seen.deliveries += 1;
      send(ctx, 202, { accepted: true });
      return;
    }
    leadIdOr404(id);
    const body = parseWith(RecycleRequest, await readJson(ctx.req));
    const t = now().getTime();
    const result = store.addEvent(id, {
      at: t,
      type: 'recycled',
      title: `Recycled to nurture: ${body.track} (${body.frequency})`,
      channel: 'email',
      actor: user.name,
      meta: { track: body.track, frequency: body.frequency, email: body.email },
    }, t);
    recycles.set(key, { deliveries: 1, created: 1, status: 202, leadId: id, ...(result ? { eventId: result.event.id } : {}) });
    send(ctx, 202, { accepted: true });
  }

  // --- admin routes (local demo and tests; no auth) ------------------------------------------

  function adminFeatured(ctx: Ctx): void {
    const featured: Record<string, { id: string; name: string; company?: string; crmRefs: CrmRef[] }> = {};
    for (const [key, id] of Object.entries(store.featured)) {
      const p = store.profile(id);
      if (p) featured[key] = { id, name: p.name, ...(p.company ? { company: p.company } : {}), crmRefs: p.crmRefs };
    }
    const user = users.get(tokens['demo-token'] ?? 'u-sato') ?? USERS[0];
    send(ctx, 200, { featured, user }, FeaturedResponse);
  }

  function adminActivities(ctx: Ctx): void {
    const byKey: Record<string, ActivityDelivery> = {};
    for (const [key, { body: _body, ...d }] of activities) byKey[key] = d;
    send(ctx, 200, { byKey });
  }

  async function adminSetFaults(ctx: Ctx): Promise<void> {
    const next = parseWith(FaultsBody, await readJson(ctx.req));
    clearFaults();
    Object.assign(faults, next);
    send(ctx, 200, { faults });
  }

  function adminRequests(ctx: Ctx): void {
    const since = Number(ctx.url.searchParams.get('since') ?? 0) || 0;
    send(ctx, 200, { counts: Object.fromEntries(requests), total: requestCount, log: requestLog.filter((r) => r.n > since) });
  }

  // --- routing -------------------------------------------------------------------------------

  type Handler = (ctx: Ctx, params: string[]) => void | Promise<void>;
  const routes: { method: string; name: string; pattern: RegExp; admin: boolean; handler: Handler }[] = [
    { method: 'GET', name: '/v1/me', pattern: /^\/v1\/me$/, admin: false, handler: getMe },
    { method: 'GET', name: '/v1/leads/changes', pattern: /^\/v1\/leads\/changes$/, admin: false, handler: getChanges },
    { method: 'GET', name: '/v1/leads/lookup', pattern: /^\/v1\/leads\/lookup$/, admin: false, handler: getLookup },
    { method: 'GET', name: '/v1/leads/:id', pattern: /^\/v1\/leads\/([^/]+)$/, admin: false, handler: (c, [id]) => getLead(c, id ?? '') },
    { method: 'POST', name: '/v1/leads/:id/activities', pattern: /^\/v1\/leads\/([^/]+)\/activities$/, admin: false, handler: (c, [id]) => postActivity(c, id ?? '') },
    { method: 'POST', name: '/v1/leads/:id/recycle', pattern: /^\/v1\/leads\/([^/]+)\/recycle$/, admin: false, handler: (c, [id]) => postRecycle(c, id ?? '') },
    { method: 'GET', name: '/v1/admin/featured', pattern: /^\/v1\/admin\/featured$/, admin: true, handler: adminFeatured },
    { method: 'GET', name: '/v1/admin/activities', pattern: /^\/v1\/admin\/activities$/, admin: true, handler: adminActivities },
    {
      method: 'POST', name: '/v1/admin/events', pattern: /^\/v1\/admin\/events$/, admin: true,
      handler: async (c) => send(c, 201, addEvent(parseWith(AdminEventInput, await readJson(c.req))), AdminEventResponse),
    },
    { method: 'GET', name: '/v1/admin/faults', pattern: /^\/v1\/admin\/faults$/, admin: true, handler: (c) => send(c, 200, { faults, invalidSent: [...invalidSent] }) },
    { method: 'POST', name: '/v1/admin/faults', pattern: /^\/v1\/admin\/faults$/, admin: true, handler: adminSetFaults },
    { method: 'GET', name: '/v1/admin/requests', pattern: /^\/v1\/admin\/requests$/, admin: true, handler: adminRequests },
    { method: 'POST', name: '/v1/admin/rescore', pattern: /^\/v1\/admin\/rescore$/, admin: true, handler: (c) => send(c, 200, { bumped: store.rescore(now().getTime()), seq: store.seq }) },
    {
      method: 'GET', name: '/v1/admin/state', pattern: /^\/v1\/admin\/state$/, admin: true,
      handler: (c) => send(c, 200, { seq: store.seq, leads: store.size, now: now().toISOString() }),
    },
    {
      method: 'DELETE', name: '/v1/admin/leads/:id', pattern: /^\/v1\/admin\/leads\/([^/]+)$/, admin: true,
      handler: (c, [id]) => {
        if (!store.removeLead(id ?? '')) throw new HttpError(404, 'not_found', `no lead ${id}`);
        send(c, 200, { removed: id, seq: store.seq });
      },
    },
  ];

  const recordOf = new WeakMap<IncomingMessage, RequestRecord>();
  const markHandled = (req: IncomingMessage) => {
    const record = recordOf.get(req);
    if (record) record.handled = true;
  };

  /** Counts the request under its route name and logs it; the status is filled in when the answer ends. */
  function recordRequest(req: IncomingMessage, res: ServerResponse, url: URL): RequestRecord {
    const matches = routes.filter((r) => r.pattern.test(url.pathname));
    const route = matches.find((r) => r.method === req.method) ?? (req.method === 'OPTIONS' ? matches[0] : undefined);
    const name = `${req.method ?? '?'} ${route?.name ?? '(no route)'}`;
    requestCount += 1;
    requests.set(name, (requests.get(name) ?? 0) + 1);
    const record: RequestRecord = {
      n: requestCount, at: Date.now(), method: req.method ?? '?', route: name, url: req.url ?? '/', admin: route?.admin ?? false,
    };
    // Known on arrival, so a request still held by `delayMs` already shows what it asked for.
    const cursor = route?.name === '/v1/leads/changes' && req.method === 'GET' ? url.searchParams.get('cursor') : null;
    if (cursor) record.cursor = cursor;
    requestLog.push(record);
    recordOf.set(req, record);
    if (requestLog.length > REQUEST_LOG_LIMIT) requestLog.splice(0, requestLog.length - REQUEST_LOG_LIMIT);
    res.once('close', () => {
      record.status = res.writableFinished ? res.statusCode : 0;
    });
    return record;
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    const ctx: Ctx = { req, res, url, cors: corsHeaders(origin), faults: {}, record: recordRequest(req, res, url) };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, preflightHeaders(origin, req));
      res.end();
      return;
    }
    const matches = routes.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).filter((x) => x.m);
    const hit = matches.find((x) => x.r.method === req.method);
    if (!hit?.m) {
      if (matches.length > 0) throw new HttpError(405, 'method_not_allowed', `${req.method} not allowed on ${url.pathname}`);
      throw new HttpError(404, 'not_found', `no route ${req.method} ${url.pathname}`);
    }
    if (!hit.r.admin && (await applyFaults(ctx))) return;
    let params: string[];
    try {
      params = hit.m.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      throw new HttpError(400, 'bad_request', 'malformed path');
    }
    await hit.r.handler(ctx, params);
  }

  const server: Server = createServer((req, res) => {
    handleRequest(req, res).then(() => markHandled(req)).catch((e: unknown) => {
      const ctx: Ctx = { req, res, url: new URL(req.url ?? '/', 'http://localhost'), cors: corsHeaders(req.headers.origin), faults: {} };
      if (res.headersSent) {
        res.end();
        return;
      }
      if (e instanceof HttpError) sendError(ctx, e);
      else {
        log(`unhandled error on ${req.method} ${req.url}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        sendError(ctx, new HttpError(500, 'internal', 'internal server error'));
      }
      markHandled(req);
    });
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const rescoreMs = opts.rescoreMs ?? 5 * 60_000;
  const timer = rescoreMs > 0 ? setInterval(() => store.rescore(now().getTime()), rescoreMs) : undefined;
  timer?.unref();

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    store,
    featured: store.featured,
    faults,
    activities,
    recycles,
    requests,
    requestLog,
    invalidSent,
    addEvent,
    rescore: () => store.rescore(now().getTime()),
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (timer) clearInterval(timer);
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
