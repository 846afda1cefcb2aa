/**
 * A test-only proxy in front of the real LeadLens server that injects the fault matrix's faults,
 * so no fault switch ships in the server itself. It passes every request through and shapes the
 * answers of the extension's contract calls as told by its `faults` object (mutable, as the tests
 * set it); it logs each request with the change feed's cursors so tests count polls.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Faults {
  /** Answer 503 (service unavailable). */
  down?: boolean;
  /** Answer this status with an error body (429, 500, 503...). */
  status?: number;
  /** Retry-After seconds on faulted answers. */
  retryAfter?: number;
  /** Hold each request this long before passing it on; past the client's timeout it is a "timed out" answer. */
  delayMs?: number;
  /** GET /v1/leads/changes answers 200 with its JSON body cut in half (an ETag included, as a trap). */
  malformedJson?: boolean;
  /**
   * GET /v1/leads/changes corrupts one record in each page (`score: "high"`): the one at this
   * index (clamped to the page), or the middle one when `true`. Ids sent corrupted go to `invalidSent`.
   */
  invalidRecord?: boolean | number;
  /**
   * A GET /v1/leads/changes with a cursor gets the previous 200 answer of that route again, byte
   * for byte: the next such request when `true`, the n-th from now when a number. Then it clears itself.
   */
  duplicatePage?: boolean | number;
  /** GET /v1/leads/changes gets a new ETag on every answer and If-None-Match is dropped: never a 304. */
  etagChurn?: boolean;
}

/** One request as the proxy saw it. */
export interface RequestRecord {
  /** 1, 2, 3... in arrival order. */
  n: number;
  /** Epoch ms of arrival. */
  at: number;
  method: string;
  /** Route name, e.g. "GET /v1/leads/changes", "POST /v1/leads/:id/activities", "OPTIONS /v1/me". */
  route: string;
  url: string;
  /** Filled when the answer is finished (0: the connection closed first). */
  status?: number;
  /** GET /v1/leads/changes: the cursor asked for (absent = a snapshot start). */
  cursor?: string;
  /** GET /v1/leads/changes 200: the cursor answered. */
  answerCursor?: string;
  /** POST writes: the Idempotency-Key sent. */
  idempotencyKey?: string;
  /** The fault that shaped the answer, if any. */
  fault?: string;
}

export interface FaultProxy {
  url: string;
  faults: Faults;
  requestLog: readonly RequestRecord[];
  /** Lead ids sent corrupted by `invalidRecord`. */
  invalidSent: ReadonlySet<string>;
  close(): Promise<void>;
}

const ROUTES: [RegExp, string][] = [
  [/^\/v1\/leads\/changes$/, '/v1/leads/changes'],
  [/^\/v1\/leads\/lookup$/, '/v1/leads/lookup'],
  [/^\/v1\/leads\/[^/]+\/activities$/, '/v1/leads/:id/activities'],
  [/^\/v1\/leads\/[^/]+\/recycle$/, '/v1/leads/:id/recycle'],
  [/^\/v1\/leads\/[^/]+$/, '/v1/leads/:id'],
];
const routeOf = (method: string, path: string) => `${method} ${ROUTES.find(([pattern]) => pattern.test(path))?.[1] ?? path}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const faults: Faults = {};
  const requestLog: RequestRecord[] = [];
  const invalidSent = new Set<string>();
  let lastChanges: { headers: IncomingHttpHeaders; body: Buffer } | undefined;

  /** Answers as the server would: CORS for the extension's origin, an error body the client reads. */
  function answer(req: IncomingMessage, res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    const origin = req.headers.origin;
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      ...(origin ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'ETag, Retry-After', Vary: 'Origin' } : {}),
      ...headers,
    });
    res.end(body);
  }

  /** Passes the request on and collects the whole answer. */
  function forward(req: IncomingMessage, body: Buffer, headers: IncomingHttpHeaders): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...headers, host: upstream.host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });
  }

  function send(res: ServerResponse, status: number, headers: IncomingHttpHeaders, body: Buffer): void {
    const { 'content-length': _length, 'transfer-encoding': _encoding, connection: _connection, ...rest } = headers;
    res.writeHead(status, { ...rest, 'content-length': String(body.length) });
    res.end(body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, record: RequestRecord): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const contract = req.method !== 'OPTIONS' && record.route.includes(' /v1/');
    const active: Faults = contract ? { ...faults } : {};
    if (active.delayMs) await sleep(active.delayMs);
    if (res.destroyed) return;

    const status = active.down ? 503 : active.status;
    if (status) {
      record.fault = active.down ? 'down' : `status ${status}`;
      answer(req, res, status, JSON.stringify({ error: { code: status === 429 ? 'rate_limited' : 'fault', message: `fault injected (${status})` } }),
        active.retryAfter !== undefined ? { 'Retry-After': String(active.retryAfter) } : {});
      return;
    }

    const changes = record.route === 'GET /v1/leads/changes';
    if (changes && record.cursor && active.duplicatePage) {
      if (typeof active.duplicatePage === 'number' && active.duplicatePage > 1) faults.duplicatePage = active.duplicatePage - 1;
      else if (lastChanges) {
        delete faults.duplicatePage;
        record.fault = 'duplicatePage';
        const previous = JSON.parse(lastChanges.body.toString('utf8')) as { cursor?: string };
        record.answerCursor = previous.cursor;
        send(res, 200, lastChanges.headers, lastChanges.body);
        return;
      }
    }

    const headers = { ...req.headers };
    // Both answer 200 whatever the client holds: a 304 would hide the fault.
    if (changes && (active.etagChurn || active.malformedJson)) delete headers['if-none-match'];
    const reply = await forward(req, body, headers);
    if (!changes || reply.status !== 200) {
      send(res, reply.status, reply.headers, reply.body);
      return;
    }
    const page = JSON.parse(reply.body.toString('utf8')) as { leads: { id: string; score: unknown }[]; cursor: string };
    record.answerCursor = page.cursor;
    let out = reply.body;
    if (active.invalidRecord !== undefined && active.invalidRecord !== false && page.leads.length > 0) {
      const index = active.invalidRecord === true ? Math.floor(page.leads.length / 2) : Math.min(active.invalidRecord, page.leads.length - 1);
      const victim = page.leads[index]!;
      victim.score = 'high';
      invalidSent.add(victim.id);
      record.fault = `invalidRecord ${victim.id}`;
      out = Buffer.from(JSON.stringify(page));
    }
    const outHeaders = { ...reply.headers };
    if (active.etagChurn) {
      outHeaders.etag = `"churn-${randomBytes(6).toString('hex')}"`;
      record.fault = 'etagChurn';
    }
    lastChanges = { headers: outHeaders, body: out };
    if (active.malformedJson) {
      record.fault = 'malformedJson';
      out = out.subarray(0, Math.floor(out.length / 2));
    }
    send(res, 200, outHeaders, out);
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const record: RequestRecord = { n: requestLog.length + 1, at: Date.now(), method: req.method ?? 'GET', route: routeOf(req.method ?? 'GET', url.pathname), url: req.url ?? '/' };
    const cursor = url.searchParams.get('cursor');
    if (record.route === 'GET /v1/leads/changes' && cursor) record.cursor = cursor;
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string') record.idempotencyKey = key;
    requestLog.push(record);
    res.on('close', () => { record.status = res.writableFinished ? res.statusCode : 0; });
    handle(req, res, record).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    requestLog,
    invalidSent,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
