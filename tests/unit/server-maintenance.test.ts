// @vitest-environment node
/**
 * The embedded engine's housekeeping (server/service/maintenance.ts): without it PGlite never
 * vacuums nor gathers statistics; with it, both happen after each scheduled re-score. Run on
 * both engines (the statement must hold on PostgreSQL too, where it is not scheduled).
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DbHandle } from '../../server/db/connect';
import { vacuumEmbedded } from '../../server/service/maintenance';
import { buildApp } from '../../server/app';
import { ENGINES, newOrg, openForSuite } from './server-harness';

describe.each(ENGINES)('maintenance (%s)', (engine) => {
  let handle: DbHandle & { schema?: string };
  openForSuite(engine, (h) => {
    handle = h;
  });
  /** The planner's row estimate and all-visible pages of a table in this suite's schema. */
  const stats = async (table: string) => (await sql<{ reltuples: number; relallvisible: number }>`
    select c.reltuples::float8 as reltuples, c.relallvisible from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relname = ${table} and n.nspname = current_schema()`.execute(handle.db)).rows[0];

  it('vacuums and analyzes: the planner learns how many leads there are, their pages become all-visible', async () => {
    const org = await newOrg(handle);
    const leads = Array.from({ length: 300 }, (_, i) => ({ externalId: `m${i}`, name: `リード ${i}` }));
    expect((await org.post('/v1/ingest/leads', org.admin, { leads })).json()).toEqual({ upserted: 300, rejected: [] });
    const events = leads.map((l, i) => ({ id: `ev-m${i}`, lead: { externalId: l.externalId }, type: 'download', at: new Date(org.clock.now - 60_000).toISOString(), title: '資料' }));
    expect((await org.post('/v1/ingest/events', org.admin, { events })).json()).toMatchObject({ accepted: 300 });
    const before = await stats('leads');
    await vacuumEmbedded(handle.db);
    const after = await stats('leads');
    expect(after?.reltuples).toBeGreaterThanOrEqual(300);
    expect(after?.relallvisible).toBeGreaterThan(before?.relallvisible ?? 0);
    expect((await stats('events'))?.reltuples).toBeGreaterThanOrEqual(300);
  });

  it('runs after each scheduled re-score', async () => {
    let runs = 0;
    const app = await buildApp({ db: handle.db, logger: false, config: { rescoreIntervalMs: 20 }, maintenance: async () => { runs += 1; } });
    try {
      await expect.poll(() => runs, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    } finally {
      await app.close();
    }
  });
});
