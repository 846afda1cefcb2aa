/**
 * Typed client of the scoring API contract. Only the background uses it (it holds the token).
 * Bearer auth, a timeout per request, every answer validated with the contract's zod schemas,
 * errors as values. In a list, one invalid record is skipped and reported; the rest are kept.
 */
import { z } from 'zod';
import {
  ActivityRequest, ActivityResponse, LeadDetail, LeadSummary, LookupResponse, MeResponse,
  POLICY_TAG_HEADER, RecycleRequest, TeamPolicyResponse, type CrmRef,
} from './contract';
import { STREAM_PATH, STREAM_TICKET_PATH, StreamTicket } from './stream';
import { describeIssues, fail, ok, parseRetryAfter, summariseIssues, type ApiError, type ApiResult } from './errors';
import { readLeadDetail, readLeadSummary } from './read';

export interface ClientOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** The rep's language: the server renders reasons, labels, titles and messages in it. */
  language?: 'ja' | 'en';
}

/** The Accept-Language the client sends for a language (the other one second, for servers that only speak it). */
export function acceptLanguage(language: 'ja' | 'en'): string {
  return language === 'ja' ? 'ja, en;q=0.5' : 'en, ja;q=0.5';
}

export interface SkippedRecord {
  index: number;
  id?: string;
  issues: string[];
}

export interface ChangesPage {
  leads: LeadSummary[];
  removed: string[];
  cursor: string;
  hasMore: boolean;
  etag?: string;
  /** The LeadLens-Policy header: the team policy's current ETag (GET /v1/policy); absent when the server serves none. */
  policyTag?: string;
  skipped: SkippedRecord[];
}

export type ChangesResult = ApiResult<ChangesPage | { notModified: true; etag?: string; policyTag?: string }>;


export type PolicyResult = ApiResult<{ policy: TeamPolicyResponse; etag?: string } | { notModified: true; etag?: string }>;

export type LookupKey = Pick<CrmRef, 'crm' | 'objectType' | 'recordId' | 'host'> | { email: string };

/** The envelope is checked strictly; records one by one, so a bad one costs only itself. */
const ChangesEnvelope = z.object({
  leads: z.array(z.unknown()),
  removed: z.array(z.string()),
  cursor: z.string(),
  hasMore: z.boolean(),
});

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export function validateLeadList(raw: unknown[], pathPrefix = 'leads'): { leads: LeadSummary[]; skipped: SkippedRecord[] } {
  const leads: LeadSummary[] = [];
  const skipped: SkippedRecord[] = [];
  raw.forEach((item, index) => {
    const parsed = readLeadSummary(item).result;
    if (parsed.success) {
      leads.push(parsed.data);
    } else {
      const id = typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string'
        ? (item as { id: string }).id
        : undefined;
      skipped.push({ index, id, issues: describeIssues(parsed.error.issues, `${pathPrefix}[${index}]`) });
    }
  });
  return { leads, skipped };
}

export function normaliseBaseUrl(input: string): ApiResult<string> {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return fail({ kind: 'config', reason: 'not_a_url', value: input, message: `"${input}" is not a URL. Use the form https://scoring.example.com` });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail({ kind: 'config', reason: 'not_http', value: url.protocol, message: `The Scoring API URL must start with https:// (got ${url.protocol})` });
  }
  return ok(url.href.replace(/\/+$/, ''));
}

export class ScoringApiClient {
  readonly baseUrl: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  readonly language: 'ja' | 'en' | undefined;

  constructor(options: ClientOptions) {
    this.language = options.language;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.fetchImpl = options.fetch ?? ((...args) => fetch(...args));
  }

  me(): Promise<ApiResult<MeResponse>> {
    return this.getJson('/v1/me', MeResponse);
  }

  async changes(params: { cursor?: string; limit?: number; etag?: string }): Promise<ChangesResult> {
    const query = new URLSearchParams();
    if (params.cursor) query.set('cursor', params.cursor);
    if (params.limit) query.set('limit', String(params.limit));
    const qs = query.toString();
    const res = await this.request(`/v1/leads/changes${qs ? `?${qs}` : ''}`, {
      headers: params.etag ? { 'If-None-Match': params.etag } : {},
    });
    if (!res.ok) return res;
    const etag = res.value.headers.get('ETag') ?? undefined;
    const tag = res.value.headers.get(POLICY_TAG_HEADER);
    const policyTag = tag ? { policyTag: tag } : {};
    if (res.value.status === 304) return ok({ notModified: true, etag, ...policyTag });
    const body = await this.readJson(res.value);
    if (!body.ok) return body;
    const envelope = ChangesEnvelope.safeParse(body.value);
    if (!envelope.success) return fail(badShape(describeIssues(envelope.error.issues)));
    const { leads, skipped } = validateLeadList(envelope.data.leads);
    return ok({ ...envelope.data, leads, skipped, etag, ...policyTag });
  }

  /** The team policy (GET /v1/policy); with the last ETag, a 304 while it has not changed. */
  async teamPolicy(etag?: string): Promise<PolicyResult> {
    const res = await this.request('/v1/policy', { headers: etag ? { 'If-None-Match': etag } : {} });
    if (!res.ok) return res;
    const next = res.value.headers.get('ETag') ?? undefined;
    if (res.value.status === 304) return ok({ notModified: true, etag: next });
    const body = await this.parseBody(res.value, TeamPolicyResponse);
    return body.ok ? ok({ policy: body.value, etag: next }) : body;
  }

  lookup(key: LookupKey): Promise<ApiResult<LookupResponse>> {
    const query = 'email' in key
      ? new URLSearchParams({ email: key.email })
      : new URLSearchParams({ crm: key.crm, objectType: key.objectType, recordId: key.recordId, ...(key.host ? { host: key.host } : {}) });
    return this.getJson(`/v1/leads/lookup?${query}`, LookupResponse, (body) => (
      typeof body === 'object' && body !== null && 'lead' in body ? { ...body, lead: readLeadSummary(body.lead).result.data ?? body.lead } : body
    ));
  }

  lead(id: string, timelineCursor?: string): Promise<ApiResult<LeadDetail>> {
    const qs = timelineCursor ? `?${new URLSearchParams({ timelineCursor })}` : '';
    return this.getJson(`/v1/leads/${encodeURIComponent(id)}${qs}`, LeadDetail, (body) => readLeadDetail(body).result.data ?? body);
  }

  async logActivity(leadId: string, body: ActivityRequest, idempotencyKey: string): Promise<ApiResult<ActivityResponse>> {
    const payload = ActivityRequest.parse(body);
    const res = await this.request(`/v1/leads/${encodeURIComponent(leadId)}/activities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
      body: JSON.stringify(payload),
    });
    if (!res.ok) return res;
    return this.parseBody(res.value, ActivityResponse);
  }

  /** Like a call log, a recycle is sent from the outbox: the key makes a resend a no-op. */
  async recycle(leadId: string, body: RecycleRequest, idempotencyKey: string): Promise<ApiResult<true>> {
    const payload = RecycleRequest.parse(body);
    const res = await this.request(`/v1/leads/${encodeURIComponent(leadId)}/recycle`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
      body: JSON.stringify(payload),
    });
    return res.ok ? ok(true) : res;
  }

  /** A short-lived, single-use ticket for the push stream, and the socket URL that carries it. */
  async streamTicket(): Promise<ApiResult<StreamTicket & { url: string }>> {
    const res = await this.request(STREAM_TICKET_PATH, { method: 'POST' });
    if (!res.ok) return res;
    const body = await this.parseBody(res.value, StreamTicket);
    if (!body.ok) return body;
    const url = new URL(`${this.baseUrl}${STREAM_PATH}`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('ticket', body.value.ticket);
    return ok({ ...body.value, url: url.href });
  }

  /** `tolerate` reads the body leniently first (utils/api/read.ts); the schema has the last word. */
  private async getJson<S extends z.ZodType>(path: string, schema: S, tolerate?: (body: unknown) => unknown): Promise<ApiResult<z.infer<S>>> {
    const res = await this.request(path, {});
    if (!res.ok) return res;
    return this.parseBody(res.value, schema, tolerate);
  }

  private async parseBody<S extends z.ZodType>(res: Response, schema: S, tolerate = (body: unknown) => body): Promise<ApiResult<z.infer<S>>> {
    const body = await this.readJson(res);
    if (!body.ok) return body;
    const parsed = schema.safeParse(tolerate(body.value));
    return parsed.success ? ok(parsed.data) : fail(badShape(describeIssues(parsed.error.issues)));
  }

  private async readJson(res: Response): Promise<ApiResult<unknown>> {
    try {
      return ok(await res.json());
    } catch {
      return fail(badShape(['the body is not valid JSON']));
    }
  }

  /** Resolves to a response with a 2xx or 304 status, or to an ApiError. */
  private async request(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<ApiResult<Response>> {
    const url = `${this.baseUrl}${path}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        ...init,
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${this.token}`,
          ...(this.language ? { 'Accept-Language': acceptLanguage(this.language) } : {}),
          ...init.headers,
        },
        signal: controller.signal,
        // The browser's HTTP cache stays out: it would revalidate on its own and hand us stored
        // bodies. The price: Chromium skips its preflight cache for no-store, so each call is
        // preceded by a CORS preflight (OPTIONS).
        cache: 'no-store',
      });
    } catch {
      if (controller.signal.aborted) {
        return fail({ kind: 'timeout', timeoutMs: this.timeoutMs, message: `The scoring API did not answer within ${Math.round(this.timeoutMs / 1000)} s` });
      }
      return fail({ kind: 'unreachable', url: this.baseUrl, message: `Cannot reach ${this.baseUrl} (offline, or CORS not allowed)` });
    } finally {
      clearTimeout(timer);
    }
    if ((res.status >= 200 && res.status < 300) || res.status === 304) return ok(res);
    return fail(await errorFromResponse(res));
  }
}

async function errorFromResponse(res: Response): Promise<ApiError> {
  let detail = '';
  try {
    const body = ErrorBody.safeParse(await res.json());
    if (body.success) detail = body.data.error.message;
  } catch {
    // A non-JSON error body is common behind proxies; the status says enough.
  }
  const suffix = detail ? `: ${detail}` : '';
  const withDetail = detail ? { detail } : {};
  if (res.status === 401 || res.status === 403) {
    return { kind: 'unauthorized', status: res.status, ...withDetail, message: `The scoring API rejected the token${suffix}` };
  }
  if (res.status === 404) return { kind: 'not_found', status: 404, ...withDetail, message: `Not found${suffix}` };
  if (res.status === 429 || res.status === 503) {
    return {
      kind: 'rate_limited',
      status: res.status,
      retryAfterMs: parseRetryAfter(res.headers.get('Retry-After')),
      ...withDetail,
      message: res.status === 429 ? `The scoring API asked us to slow down${suffix}` : `The scoring API is temporarily unavailable${suffix}`,
    };
  }
  return { kind: 'server', status: res.status, ...withDetail, message: `The scoring API failed with HTTP ${res.status}${suffix}` };
}

function badShape(issues: string[]): ApiError {
  return {
    kind: 'bad_shape',
    issues,
    message: `The scoring API answered in an unexpected shape: ${summariseIssues(issues)}`,
  };
}
