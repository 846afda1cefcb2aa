/**
 * The Fastify app factory: takes its dependencies (database, clock, config, logger) so tests
 * build it in-process and main.ts only wires. Extra plugins (connectors, push stream,
 * dashboard) mount through `plugins` and reach the services through `app.leadlens`.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { bearerToken, hashToken } from './auth/tokens';
import { RateLimiter } from './auth/rate-limit';
import { DEFAULT_CONFIG, type ServerConfig } from './config';
import type { FetchLike } from './connectors/retry';
import { WriteBackQueue } from './connectors/writeback/queue';
import type { OutboxTarget } from './connectors/writeback/types';
import { OutboxWorker } from './connectors/writeback/worker';
import type { Database } from './db/schema';
import { errorMessageIn, forbiddenRolesMessage, HttpError } from './errors';
import { localeFrom } from './scoring/text';
import { adminRoutes } from './routes/admin';
import { ingestRoutes } from './routes/ingest';
import { leadRoutes } from './routes/leads';
import { outboxRoutes } from './routes/outbox';
import type { Deps, OrgCtx, Session, UserCtx } from './service/context';
import { retireOutdatedFeedViews } from './service/feed-views';
import { ingestEvents, ingestLeads } from './service/ingest';
import { ChangeNotifier } from './service/notifier';
import { rescoreEveryOrg } from './service/rescore-all';
import { authenticate, sessionOf } from './service/users';

export interface LeadLens {
  deps: Deps;
  config: ServerConfig;
  notifier: ChangeNotifier;
  ingestLeads(ctx: OrgCtx, items: unknown[]): ReturnType<typeof ingestLeads>;
  ingestEvents(ctx: OrgCtx, items: unknown[]): ReturnType<typeof ingestEvents>;
  /** The user behind a bearer token (for plugins with their own transport, e.g. WebSocket). */
  authenticate(token: string): Promise<UserCtx | undefined>;
  /** Re-scores every lead now (the schedule calls it); returns how many moved in the feed. */
  rescoreAll(): Promise<number>;
  /** The write-back worker, when targets are configured. */
  outbox?: OutboxWorker;
}

declare module 'fastify' {
  interface FastifyInstance {
    leadlens: LeadLens;
  }
  interface FastifyRequest {
    user?: UserCtx;
    /** The user and what their auth query read along (rule versions, feed position). */
    session?: Session;
  }
  interface FastifyContextConfig {
    /** false: the route authenticates by itself (health check, plugins with their own scheme). */
    auth?: boolean;
  }
}

export interface AppOptions {
  db: Kysely<Database>;
  clock?: () => number;
  config?: Partial<ServerConfig>;
  /** A pino logger (give it `requestSerializer` so request lines carry no query strings), or false for none. */
  logger?: FastifyBaseLogger | false;
  notifier?: ChangeNotifier;
  plugins?: FastifyPluginAsync[];
  /** A token reached the API (at most once a minute per token): the dashboard's "last synced". */
  onTokenUsed?: (orgId: string, tokenHash: string, now: number) => Promise<void>;
  /** Write-back targets (server/connectors/writeback/config.ts) and how to reach them. */
  writeBack?: WriteBackOptions;
  /** Housekeeping after each scheduled re-score (the embedded engine's vacuum: service/maintenance.ts). */
  maintenance?: () => Promise<void>;
}

export interface WriteBackOptions {
  targets: readonly OutboxTarget[];
  fetch?: FetchLike;
  random?: () => number;
  pollMs?: number;
  timeoutMs?: number;
  leaseMs?: number;
  /** false: tests drive the worker themselves (drainOnce). */
  start?: boolean;
}

const TOKEN_USE_EVERY_MS = 60_000;

/** The signed-in user of a request; routes after the auth hook always have one. */
export function userOf(req: FastifyRequest): UserCtx {
  if (!req.user) throw new HttpError(401, 'unauthorized', 'missing or invalid bearer token', { 'WWW-Authenticate': 'Bearer' });
  return req.user;
}

export function requireRole(req: FastifyRequest, roles: readonly UserCtx['role'][]): UserCtx {
  const user = userOf(req);
  if (!roles.includes(user.role)) throw new HttpError(403, 'forbidden', forbiddenRolesMessage(roles));
  return user;
}

/** requireRole, with what the request's auth query read along (server/service/users.ts, sessionOf). */
export function requireSession(req: FastifyRequest, roles: readonly UserCtx['role'][]): Session {
  requireRole(req, roles);
  if (!req.session) throw new HttpError(401, 'unauthorized', 'missing or invalid bearer token', { 'WWW-Authenticate': 'Bearer' });
  return req.session;
}

/** Request log lines carry the method and path only: query strings hold emails and record ids. */
export const requestSerializer = (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] });

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const config: ServerConfig = { ...DEFAULT_CONFIG, ...opts.config };
  const clock = opts.clock ?? Date.now;
  const notifier = opts.notifier ?? new ChangeNotifier();
  const deps: Deps = { db: opts.db, clock, notifier };
  const wb = opts.writeBack && opts.writeBack.targets.length > 0 ? opts.writeBack : undefined;
  let worker: OutboxWorker | undefined;
  if (wb) deps.outbox = new WriteBackQueue(wb.targets, () => worker?.wake());
  const limiter = new RateLimiter(clock);
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: config.bodyLimitBytes,
    // Graceful shutdown: close() stops accepting, lets in-flight requests finish, then resolves.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  // JSON only: the text/plain parser Fastify ships would accept bodies we never read.
  app.removeContentTypeParser('text/plain');
  // Stored feed summaries another version of the server printed are not served (service/feed-views.ts).
  const retired = await retireOutdatedFeedViews(opts.db);
  if (retired > 0) app.log.info({ retired }, 'stored feed summaries of another server version retired; re-scoring stores them again');

  const leadlens: LeadLens = {
    deps,
    config,
    notifier,
    ingestLeads: (ctx, items) => ingestLeads(deps, ctx, items),
    ingestEvents: (ctx, items) => ingestEvents(deps, ctx, items),
    authenticate: (token) => authenticate(opts.db, token),
    rescoreAll: () => rescoreEveryOrg(deps),
  };
  if (wb) {
    worker = new OutboxWorker({
      db: opts.db, targets: wb.targets, fetch: wb.fetch ?? ((url, init) => fetch(url, init)), clock, log: app.log,
      ...(wb.random ? { random: wb.random } : {}), ...(wb.pollMs ? { pollMs: wb.pollMs } : {}),
      ...(wb.timeoutMs ? { timeoutMs: wb.timeoutMs } : {}), ...(wb.leaseMs ? { leaseMs: wb.leaseMs } : {}),
    });
    leadlens.outbox = worker;
  }
  app.decorate('leadlens', leadlens);

  const allowed = new Set(config.corsOrigins);
  const tokenUseNoted = new Map<string, number>();
  const noteTokenUse = (orgId: string, hash: string): void => {
    const onTokenUsed = opts.onTokenUsed;
    const now = clock();
    if (!onTokenUsed || now - (tokenUseNoted.get(hash) ?? -Infinity) < TOKEN_USE_EVERY_MS) return;
    // Bounded memory: the map holds the tokens seen in the last minute or so.
    if (tokenUseNoted.size > 10_000) tokenUseNoted.clear();
    tokenUseNoted.set(hash, now);
    // Off the request's path: a failed write costs a stale "last synced", never a request.
    void onTokenUsed(orgId, hash, now).catch((err: unknown) => app.log.warn({ err }, 'recording token use failed'));
  };
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Access-Control-Expose-Headers', 'ETag, Retry-After, LeadLens-Policy');
      reply.header('Vary', 'Origin');
    }
    reply.header('Cache-Control', 'no-store');
    if (req.method === 'OPTIONS' || req.routeOptions.config.auth === false) return;
    const token = bearerToken(req.headers.authorization);
    const hash = token ? hashToken(token) : undefined;
    const session = hash ? await sessionOf(opts.db, hash) : undefined;
    if (!session || !hash) throw new HttpError(401, 'unauthorized', 'missing or invalid bearer token', { 'WWW-Authenticate': 'Bearer' });
    const user = session.user;
    const perMinute = user.role === 'ingest' || user.role === 'admin' ? config.ingestRateLimitPerMinute : config.rateLimitPerMinute;
    const wait = limiter.take(hash, perMinute);
    if (wait > 0) throw new HttpError(429, 'rate_limited', 'too many requests for this token', { 'Retry-After': String(wait) });
    req.user = user;
    req.session = session;
    noteTokenUse(user.orgId, hash);
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    const e = err as { statusCode?: number; code?: string; message?: string };
    let status = 500;
    let code = 'internal';
    let message = 'internal server error';
    let headers: Record<string, string> = {};
    if (err instanceof HttpError) {
      ({ status, code, message, headers } = err);
    } else if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      status = 415;
      code = 'unsupported_media_type';
      message = 'send application/json';
    } else if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      status = 413;
      code = 'payload_too_large';
      message = 'request body too large';
    } else if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
      status = e.statusCode;
      code = e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'invalid_json' : 'bad_request';
      message = e.message ?? 'bad request';
    } else {
      req.log.error({ err }, 'unhandled error');
    }
    void reply.code(status).headers(headers).send({ error: { code, message: errorMessageIn(message, localeFrom(req.headers['accept-language'])) } });
  });

  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}` } });
  });

  app.get('/healthz', { config: { auth: false } }, async () => {
    await opts.db.selectFrom('orgs').select('id').limit(1).execute();
    return { ok: true };
  });

  app.options('/*', { config: { auth: false } }, async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      reply.header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
      reply.header('Access-Control-Allow-Headers', 'Authorization, Content-Type, Idempotency-Key, If-None-Match, Accept-Language');
      reply.header('Access-Control-Max-Age', '600');
      if (req.headers['access-control-request-private-network'] === 'true') reply.header('Access-Control-Allow-Private-Network', 'true');
    }
    return reply.code(204).send();
  });

  await app.register(leadRoutes);
  await app.register(ingestRoutes);
  await app.register(adminRoutes);
  await app.register(outboxRoutes);
  for (const plugin of opts.plugins ?? []) await app.register(plugin);

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  if (config.rescoreIntervalMs > 0) {
    const tick = () => {
      running ??= leadlens.rescoreAll().catch((err: unknown) => app.log.error({ err }, 'scheduled re-score failed'))
        .then(() => opts.maintenance?.()).catch((err: unknown) => app.log.error({ err }, 'scheduled maintenance failed'))
        .finally(() => (running = undefined));
    };
    timer = setInterval(tick, config.rescoreIntervalMs);
    timer.unref();
    // Retired summaries are stored again by a re-score: the first one now, not an interval later.
    if (retired > 0) tick();
  }
  if (worker && wb?.start !== false) {
    const w = worker;
    app.addHook('onReady', async () => { w.start(); });
  }
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    await running;
    // The send in flight finishes (or times out); what is still pending waits for the next start.
    await worker?.stop();
  });
  return app;
}
