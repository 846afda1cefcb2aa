/**
 * Upgrading a database written by the previous schema keeps its data (PGlite and PostgreSQL):
 * rows are written in the shape of migration 0005, then the remaining migrations run on them.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrations';
import { PGliteDialect } from '../../server/db/pglite-dialect';
import { dropSchema, ENGINES, PG_URL } from './server-harness';

const schemas: string[] = [];

function open(engine: string): { db: Kysely<unknown>; schema?: string } {
  if (engine === 'pglite') return { db: new Kysely<unknown>({ dialect: new PGliteDialect(new PGlite()) }) };
  const schema = `m_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  const pool = new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path=${schema}` });
  return { db: new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) }), schema };
}

afterAll(async () => {
  for (const s of schemas) await dropSchema(s);
});

describe.each(ENGINES)('server migrations on %s', (engine) => {
  it('0006 moves every running state out of the leads rows into lead_states, leads and their feed positions kept', async () => {
    const { db, schema } = open(engine);
    try {
      if (schema) await sql.raw(`create schema "${schema}"`).execute(db);
      await migrate(db, schema, '0005_scope_feed_indexes');
      const state = { v: 1, events: [{ id: 'e1', at: 1700000000000, type: 'download' }], nested: { 'ü': [1, 2, 3] } };
      await sql`insert into orgs (id, name, seq, created_at) values ('o1', 'Org', 3, 1)`.execute(db);
      await sql`
        insert into leads (org_id, id, external_id, name, company, email, phone, owner_id, team, job_title, employees, created_at, seq, fingerprint, score, scored_at, updated_at, prev_owner_id, prev_team, score_state)
        values ('o1', 'ld_a', 'A', '山田 太郎', 'ACME', 'a@acme.jp', null, 'u1', 'east', '部長', 120, 10, 2, 'fp-a', '{"score": 71}', 20, 30, 'u0', 'west', ${JSON.stringify(state)}::jsonb),
               ('o1', 'ld_b', 'B', 'Lead B', null, null, null, null, null, null, null, 11, 3, 'fp-b', '{"score": 0}', 21, 31, null, null, null)`.execute(db);

      await migrate(db, schema);

      const leads = await sql<Record<string, unknown>>`select * from leads order by id`.execute(db);
      expect(leads.rows).toEqual([
        { org_id: 'o1', id: 'ld_a', external_id: 'A', name: '山田 太郎', company: 'ACME', email: 'a@acme.jp', phone: null, owner_id: 'u1', team: 'east', job_title: '部長',
          employees: 120, created_at: expect.anything(), seq: expect.anything(), fingerprint: 'fp-a', score: { score: 71 }, scored_at: expect.anything(), updated_at: expect.anything(),
          prev_owner_id: 'u0', prev_team: 'west', feed_view: null, feed_view_ja: null, feed_view_seq: null },
        { org_id: 'o1', id: 'ld_b', external_id: 'B', name: 'Lead B', company: null, email: null, phone: null, owner_id: null, team: null, job_title: null,
          employees: null, created_at: expect.anything(), seq: expect.anything(), fingerprint: 'fp-b', score: { score: 0 }, scored_at: expect.anything(), updated_at: expect.anything(),
          prev_owner_id: null, prev_team: null, feed_view: null, feed_view_ja: null, feed_view_seq: null },
      ]);
      // 0007: rows written before carry no stored feed summary (the feed builds them from their columns until re-scored).
      // bigint columns come back as strings from a bare driver: compare their values.
      expect(leads.rows.map((r) => [r.created_at, r.seq, r.scored_at, r.updated_at].map(Number))).toEqual([[10, 2, 20, 30], [11, 3, 21, 31]]);
      // A lead without a state (never fully re-scored) has no row: the next re-score writes one.
      const states = await sql<{ org_id: string; lead_id: string; state: string }>`select org_id, lead_id, state from lead_states`.execute(db);
      expect(states.rows.map((r) => ({ ...r, state: JSON.parse(r.state) as unknown }))).toEqual([{ org_id: 'o1', lead_id: 'ld_a', state }]);
      // Migrating again is a no-op.
      await migrate(db, schema);
      expect((await sql`select lead_id from lead_states`.execute(db)).rows).toHaveLength(1);
    } finally {
      await db.destroy();
    }
  }, 60_000);
});
