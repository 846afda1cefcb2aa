/**
 * Opens the database: PostgreSQL when a URL is given, else PGlite persisted in a data directory
 * (or in memory for tests), then runs the migrations. Both engines read bigint as a JS number
 * (epoch ms and feed positions stay far below 2^53).
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type KyselyConfig } from 'kysely';
import pg from 'pg';
import { migrate } from './migrations';
import { PGliteDialect } from './pglite-dialect';
import type { Database } from './schema';

export type Engine = 'pglite' | 'postgres';

export interface DbHandle {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

const INT8 = 20;

export interface ConnectOptions {
  /** postgres://… — a real PostgreSQL server. */
  databaseUrl?: string;
  /** PGlite data directory; absent = in memory. */
  dataDir?: string;
  /** PostgreSQL search_path (tests use one schema per suite). */
  schema?: string;
  poolSize?: number;
  /** Kysely's query log (the stage bench times every statement with it). */
  log?: KyselyConfig['log'];
}

export async function connect(opts: ConnectOptions): Promise<DbHandle> {
  let db: Kysely<Database>;
  let engine: Engine;
  if (opts.databaseUrl) {
    const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format)) };
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      types: types as pg.CustomTypesConfig,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    if (opts.schema) {
      const client = await pool.connect();
      try {
        await client.query(`create schema if not exists "${opts.schema.replace(/"/g, '')}"`);
      } finally {
        client.release();
      }
    }
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(opts.log ? { log: opts.log } : {}) });
    engine = 'postgres';
  } else {
    if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
    const pglite = new PGlite(opts.dataDir, { parsers: { [INT8]: (v: string) => Number(v) } });
    db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), ...(opts.log ? { log: opts.log } : {}) });
    engine = 'pglite';
  }
  try {
    await migrate(db as Kysely<unknown>, opts.databaseUrl ? opts.schema : undefined);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, engine, close: () => db.destroy() };
}
