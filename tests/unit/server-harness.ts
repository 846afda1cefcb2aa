/**
 * The server's integration harness: the same suite runs on the embedded engine (PGlite, in
 * memory, one per suite) and, when LEADLENS_TEST_DATABASE_URL is set, on PostgreSQL (a fresh
 * schema per suite, dropped afterwards). Tests isolate from each other by organisation.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { dropPgSchema } from '../pg-schema';
import { buildApp } from '../../server/app';
import type { ServerConfig } from '../../server/config';
import { connect, type DbHandle, type Engine } from '../../server/db/connect';
import { ChangeNotifier } from '../../server/service/notifier';
import { createUser, ensureOrg, type NewUser } from '../../server/service/users';

export const PG_URL = process.env.LEADLENS_TEST_DATABASE_URL;
export const ENGINES: Engine[] = PG_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function openEngine(engine: Engine, opts: { dataDir?: string; schema?: string } = {}): Promise<DbHandle & { schema?: string }> {
  if (engine === 'pglite') return connect(opts.dataDir ? { dataDir: opts.dataDir } : {});
  const schema = opts.schema ?? `t_${randomBytes(6).toString('hex')}`;
  const handle = await connect({ databaseUrl: PG_URL, schema, poolSize: 5 });
  return { ...handle, schema };
}

/**
 * Inside a `describe.each(ENGINES)` block: the engine opened before its tests (handed over
 * through `opened`) and closed after them, its PostgreSQL schema dropped.
 */
export function openForSuite(engine: Engine, opened: (handle: DbHandle & { schema?: string }) => void): void {
  let handle: (DbHandle & { schema?: string }) | undefined;
  beforeAll(async () => {
    handle = await openEngine(engine);
    opened(handle);
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    if (handle?.schema) await dropSchema(handle.schema);
  });
}

export async function dropSchema(schema: string): Promise<void> {
  await dropPgSchema(PG_URL, schema);
}

/** A settable clock: Wednesday 2026-11-25 11:00 JST unless moved. */
export class TestClock {
  now = Date.parse('2026-11-25T02:00:00Z');
  readonly fn = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

export interface Org {
  orgId: string;
  app: FastifyInstance;
  clock: TestClock;
  notifier: ChangeNotifier;
  admin: string;
  /** Creates a user; returns its id and token. */
  user(input: NewUser): Promise<{ id: string; token: string }>;
  get(path: string, token: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(path: string, token: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

let orgs = 0;

export async function newOrg(handle: DbHandle, config: Partial<ServerConfig> = {}): Promise<Org> {
  const orgId = `org${++orgs}_${randomBytes(3).toString('hex')}`;
  const clock = new TestClock();
  const notifier = new ChangeNotifier();
  await ensureOrg(handle.db, orgId, clock.now);
  const app = await buildApp({ db: handle.db, clock: clock.fn, notifier, logger: false, config: { rescoreIntervalMs: 0, ...config } });
  const user = async (input: NewUser) => {
    const r = await createUser(handle.db, orgId, input, clock.now);
    return { id: r.user.id, token: r.token };
  };
  const admin = (await user({ name: 'Admin', email: `admin@${orgId}.test`, role: 'admin' })).token;
  return {
    orgId, app, clock, notifier, admin, user,
    get: (path, token, headers = {}) => app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}`, ...headers } }),
    post: (path, token, body, headers = {}) => app.inject({ method: 'POST', url: path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) }),
  };
}
