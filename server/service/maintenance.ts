/**
 * Housekeeping the embedded engine does not do by itself. PGlite runs PostgreSQL in one process
 * without its background workers, so there is no autovacuum: every re-score that moves a lead
 * leaves the old row version behind (its seq is indexed, so the update is never HOT), and the
 * leads table and its indexes keep every dead version for good — measured on PGlite, ten
 * updates of every row made a table 11 times its size, and a vacuum let later updates reuse
 * the space. Nor are statistics ever gathered, so the planner keeps guessing from an empty
 * table (a rep's feed page once walked the organisation's whole feed for it). PostgreSQL's own
 * autovacuum does all this there; this runs on the re-score's schedule on the embedded engine.
 *
 * The tables rows are updated or deleted in get a vacuum with analyze; events are only ever
 * inserted, so they get statistics alone (a vacuum would read the whole history each time).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export async function vacuumEmbedded(db: Kysely<Database>): Promise<void> {
  await sql`vacuum (analyze) leads, lead_states, lead_refs, follows, idempotency_keys, outbox, stream_tickets, orgs`.execute(db);
  await sql`analyze events`.execute(db);
}
