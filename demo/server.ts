/**
 * The real LeadLens server (server/app.ts) for `npm run demo`, the end-to-end tests and the
 * benchmarks: PGlite in memory (or a throwaway data directory), the story data fed through the
 * public ingest API with an ingest token, and the demo rep created as a real user whose token
 * the extension is connected with. Nothing here reaches into the server's tables: what the
 * stack knows about a lead it knows from the story data or from the server's own answers.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { LeadSummary } from '../utils/api/contract';
import type { TeamPolicy } from '../utils/policy/team-policy';
import { teamPolicyOf, withTeamPolicy } from '../server/scoring/policy';
import { ScoringRules } from '../server/scoring/rules';
import { buildApp } from '../server/app';
import { DEFAULT_CONFIG, type ServerConfig } from '../server/config';
import { connect, type DbHandle } from '../server/db/connect';
import { createUser, ensureOrg, issueToken, revokeTokens } from '../server/service/users';
import type { Dataset, DemoUser } from './story/dataset';
import { ingestPayloads } from './story/ingest';

/** The demo team: every story rep is in it, and its unowned leads are the team's stock. */
export const DEMO_TEAM = 'inside-sales';

export interface DemoServerOptions {
  dataset: Dataset;
  /** The story user the extension is connected as (the demo rep). */
  rep: DemoUser;
  /** Extension origins answered with CORS (chrome-extension://<id>). */
  corsOrigins: string[];
  port?: number;
  /** PGlite data directory; absent = in memory (gone when the stack closes). */
  dataDir?: string;
  config?: Partial<ServerConfig>;
  /** This many more leads owned by the demo rep, without history (tests that need volume). */
  extraRepLeads?: number;
  /** More Fastify plugins on the server (the connectors, as `npm run server` mounts them). */
  plugins?: FastifyPluginAsync[];
}

export interface DemoServer {
  url: string;
  port: number;
  app: FastifyInstance;
  /** A bearer token of the demo rep the stack reads with (the extension is connected with the first one). */
  repToken: string;
  /** The demo rep's user id on the server (what LeadSummary.owner.id says for their leads). */
  repUserId: string;
  /** A token of another rep of the team (tests: switching users). */
  otherRepToken: string;
  /** The ingest token the story data was fed with (live events go through it too). */
  ingestToken: string;
  /** Story lead id (the ingest externalId) → the server's lead id. */
  serverIds: ReadonlyMap<string, string>;
  /** Every answered request since start, oldest first. */
  requestLog: readonly ObservedRequest[];
  /** Seeding took this long (ms): leads + events through the ingest API. */
  seedMs: number;
  /** An administrator's token (the one `npm run server` prints on first start). */
  adminToken: string;
  /**
   * Sets the demo team's call policy as an administrator does, through the admin API
   * (GET, then PUT /v1/admin/scoring with the policy's fields written into the team's rules);
   * the extension gets it at its next sync (GET /v1/policy). Resolves to the new rules version.
   */
  setTeamPolicy(policy: TeamPolicy): Promise<number>;
  /** A new token for the demo rep, as `npm run server -- user token --email E` issues one. */
  issueRepToken(): Promise<string>;
  /**
   * Revokes every token of the demo rep, as an admin's DELETE /v1/admin/users/{id}/tokens does;
   * the stack itself goes on reading with a new one.
   */
  revokeRepTokens(): Promise<void>;
  close(): Promise<void>;
}

/** One answered request, as the demo's observer saw it (tests count polls and lookups with it). */
export interface ObservedRequest {
  /** 1, 2, 3... in answer order. */
  n: number;
  /** Epoch ms of the answer. */
  at: number;
  /** Method and route pattern, e.g. "GET /v1/leads/changes", "GET /v1/leads/:id". */
  route: string;
  /** Path and query string as received. */
  url: string;
  status: number;
}

/**
 * Records every answered request. Part of the demo's composition, not of the server: the
 * production entry (server/main.ts) mounts no such plugin. Skips Fastify's encapsulation so the
 * hook sees the routes registered beside it.
 */
function requestObserver(log: ObservedRequest[]): FastifyPluginAsync {
  const plugin: FastifyPluginAsync = async (app) => {
    app.addHook('onResponse', async (req, reply) => {
      log.push({ n: log.length + 1, at: Date.now(), route: `${req.method} ${req.routeOptions.url ?? '(no route)'}`, url: req.url, status: reply.statusCode });
    });
  };
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}

export class IngestError extends Error {}

async function post(url: string, token: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new IngestError(`POST ${new URL(url).pathname} → ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as unknown;
}

/** Posts an ingest batch and fails loudly when the server rejected any item. */
export async function ingest(baseUrl: string, token: string, route: 'leads' | 'events', items: unknown[]): Promise<{ accepted?: number; duplicates?: number; upserted?: number }> {
  const answer = (await post(`${baseUrl}/v1/ingest/${route}`, token, { [route]: items })) as {
    rejected: { index: number; error: string }[]; accepted?: number; duplicates?: number; upserted?: number;
  };
  if (answer.rejected.length > 0) {
    const first = answer.rejected.slice(0, 3).map((r) => `#${r.index}: ${r.error}`).join('; ');
    throw new IngestError(`the server rejected ${answer.rejected.length} ${route}: ${first}`);
  }
  return answer;
}

export async function startDemoServer(opts: DemoServerOptions): Promise<DemoServer> {
  const handle: DbHandle = await connect(opts.dataDir ? { dataDir: opts.dataDir } : {});
  let app: FastifyInstance | undefined;
  try {
    const orgId = DEFAULT_CONFIG.orgId;
    const now = Date.now();
    await ensureOrg(handle.db, orgId, now);
    // People are created the way `npm run server -- user add` does: tokens shown once, stored hashed.
    const tokens = new Map<string, { token: string; userId: string }>();
    for (const user of opts.dataset.users) {
      const created = await createUser(handle.db, orgId, { name: user.name, email: user.email, role: 'rep', team: DEMO_TEAM }, now);
      tokens.set(user.id, { token: created.token, userId: created.user.id });
    }
    const { token: ingestToken } = await createUser(handle.db, orgId, { name: 'Story data feed', email: 'story-feed@leadlens.invalid', role: 'ingest' }, now);
    const { token: adminToken } = await createUser(handle.db, orgId, { name: 'Admin', email: 'admin@leadlens.invalid', role: 'admin' }, now);
    const requestLog: ObservedRequest[] = [];
    app = await buildApp({ db: handle.db, config: { ...opts.config, corsOrigins: opts.corsOrigins, orgId }, plugins: [requestObserver(requestLog), ...(opts.plugins ?? [])] });
    await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;

    const started = performance.now();
    const { leads, events } = ingestPayloads(opts.dataset, DEMO_TEAM);
    for (let i = 0; i < leads.length; i += 5000) await ingest(url, ingestToken, 'leads', leads.slice(i, i + 5000));
    for (let i = 0; i < events.length; i += 5000) await ingest(url, ingestToken, 'events', events.slice(i, i + 5000));
    const extra = Array.from({ length: opts.extraRepLeads ?? 0 }, (_, i) => ({
      externalId: `BULK-${String(i).padStart(5, '0')}`, name: `一括 リード ${i}`, ownerEmail: opts.rep.email, team: DEMO_TEAM,
    }));
    for (let i = 0; i < extra.length; i += 5000) await ingest(url, ingestToken, 'leads', extra.slice(i, i + 5000));
    const seedMs = Math.round(performance.now() - started);

    // The server names leads itself; the story knows them by their external id.
    const rows = await handle.db.selectFrom('leads').select(['id', 'external_id']).where('org_id', '=', orgId).execute();
    const serverIds = new Map(rows.map((r) => [r.external_id, r.id]));

    const rep = tokens.get(opts.rep.id);
    const other = opts.dataset.users.find((u) => u.id !== opts.rep.id);
    const otherRep = other ? tokens.get(other.id) : undefined;
    if (!rep || !otherRep) throw new Error(`the story data has no user ${opts.rep.id} or no second rep`);
    const { token: repToken, userId: repUserId } = rep;
    const otherRepToken = otherRep.token;
    const running = app;
    const server: DemoServer = {
      url, port, app: running, repToken, repUserId, otherRepToken, ingestToken, serverIds, requestLog, seedMs, adminToken,
      async setTeamPolicy(policy) {
        const scoring = `${url}/v1/admin/scoring`;
        const headers = { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' };
        const current = await fetch(`${scoring}?team=${encodeURIComponent(DEMO_TEAM)}`, { headers });
        if (!current.ok) throw new Error(`GET /v1/admin/scoring → ${current.status}`);
        const { rules: raw, version } = (await current.json()) as { rules: unknown; version: number };
        const rules = ScoringRules.parse(raw);
        // Idempotent: the same policy again makes no new version (the extensions need not refetch).
        if (JSON.stringify(teamPolicyOf(rules)) === JSON.stringify(teamPolicyOf(withTeamPolicy(rules, policy)))) return version;
        const put = await fetch(scoring, { method: 'PUT', headers, body: JSON.stringify({ team: DEMO_TEAM, rules: withTeamPolicy(rules, policy) }) });
        if (!put.ok) throw new Error(`PUT /v1/admin/scoring → ${put.status}: ${(await put.text()).slice(0, 500)}`);
        return ((await put.json()) as { version: number }).version;
      },
      async issueRepToken() {
        const token = await issueToken(handle.db, orgId, repUserId, Date.now());
        if (!token) throw new Error('the demo rep is gone');
        return token;
      },
      async revokeRepTokens() {
        await revokeTokens(handle.db, orgId, repUserId, Date.now());
        server.repToken = await server.issueRepToken();
      },
      async close() {
        await running.close();
        await handle.close();
      },
    };
    return server;
  } catch (error) {
    await app?.close().catch(() => undefined);
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/** Every lead a token's user sees, as the server summarises it now (pages through /changes). */
export async function leadsSeenBy(baseUrl: string, token: string): Promise<LeadSummary[]> {
  const out: LeadSummary[] = [];
  let cursor: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '1000', ...(cursor ? { cursor } : {}) });
    const res = await fetch(`${baseUrl}/v1/leads/changes?${query}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET /v1/leads/changes → ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { leads: LeadSummary[]; cursor: string; hasMore: boolean };
    out.push(...page.leads);
    if (!page.hasMore) return out;
    cursor = page.cursor;
  }
}
