/**
 * Versioned migrations, run on start (Kysely's Migrator keeps the applied list in its own table
 * and takes a lock, so two processes starting on one PostgreSQL do not both migrate). Add a new
 * entry for every change; never edit an applied one.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** One statement per query: the extended protocol (PGlite's query, pg with parameters) takes one. */
async function statements(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of script.split(';').map((s) => s.trim()).filter(Boolean)) await sql.raw(statement).execute(db);
}

const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>): Promise<void> {
      await statements(db, `
        create table orgs (
          id text primary key,
          name text not null,
          seq bigint not null default 0,
          created_at bigint not null
        );
        create table users (
          org_id text not null references orgs(id),
          id text not null,
          name text not null,
          email text not null,
          role text not null check (role in ('rep', 'manager', 'admin', 'ingest')),
          team text,
          created_at bigint not null,
          primary key (org_id, id)
        );
        create unique index users_email on users (org_id, lower(email));
        create table tokens (
          id text primary key,
          org_id text not null,
          user_id text not null,
          hash text not null unique,
          created_at bigint not null,
          revoked_at bigint,
          foreign key (org_id, user_id) references users(org_id, id)
        );
        create index tokens_user on tokens (org_id, user_id);
        create table scoring_rules (
          org_id text not null references orgs(id),
          team text not null,
          version integer not null,
          rules jsonb not null,
          created_at bigint not null,
          created_by text,
          primary key (org_id, team, version)
        );
        create table leads (
          org_id text not null references orgs(id),
          id text not null,
          external_id text not null,
          name text not null,
          company text,
          email text,
          phone text,
          owner_id text,
          team text,
          job_title text,
          employees integer,
          created_at bigint not null,
          seq bigint not null,
          fingerprint text not null,
          score jsonb not null,
          scored_at bigint not null,
          updated_at bigint not null,
          prev_owner_id text,
          prev_team text,
          primary key (org_id, id)
        );
        create unique index leads_external on leads (org_id, external_id);
        create index leads_seq on leads (org_id, seq);
        create index leads_email on leads (org_id, lower(email));
        create index leads_owner on leads (org_id, owner_id, seq);
        create index leads_team on leads (org_id, team, seq);
        create table lead_refs (
          org_id text not null,
          lead_id text not null,
          crm text not null,
          object_type text not null,
          record_key text not null,
          host text not null,
          record_id text not null,
          url text,
          primary key (org_id, crm, object_type, record_key, host),
          foreign key (org_id, lead_id) references leads(org_id, id)
        );
        create index lead_refs_lead on lead_refs (org_id, lead_id);
        create table events (
          org_id text not null,
          id text not null,
          lead_id text not null,
          at bigint not null,
          type text not null,
          title text not null,
          detail text,
          url text,
          channel text,
          actor text,
          meta jsonb,
          received_at bigint not null,
          primary key (org_id, id)
        );
        create index events_lead on events (org_id, lead_id, at);
        create table follows (
          org_id text not null,
          user_id text not null,
          lead_id text not null,
          created_at bigint not null,
          primary key (org_id, user_id, lead_id)
        );
        create index follows_lead on follows (org_id, lead_id);
        create table idempotency_keys (
          org_id text not null,
          user_id text not null,
          route text not null,
          lead_id text not null,
          key text not null,
          body_hash text not null,
          status integer not null,
          response jsonb,
          created_at bigint not null,
          primary key (org_id, user_id, route, lead_id, key)
        );
        create index idempotency_created on idempotency_keys (created_at);
        create table recycles (
          org_id text not null,
          id text not null,
          lead_id text not null,
          user_id text not null,
          track text not null,
          frequency text not null,
          email text not null,
          created_at bigint not null,
          primary key (org_id, id)
        );
      `);
    },
  },
  '0002_stream_tickets': {
    async up(db: Kysely<unknown>): Promise<void> {
      await statements(db, `
        create table stream_tickets (
          hash text primary key,
          org_id text not null,
          user_id text not null,
          expires_at bigint not null
        );
        create index stream_tickets_expiry on stream_tickets (expires_at)
      `);
    },
  },
  // Write-back to the team's CRM / MA tool: one row per (activity, target). The idempotency key
  // is unique, so a replayed request never queues twice; a lease lets several processes on one
  // PostgreSQL drain the table without sending a row twice, and a crashed worker's rows return.
  '0003_outbox': {
    async up(db: Kysely<unknown>): Promise<void> {
      await statements(db, `
        create table outbox (
          org_id text not null,
          id text not null,
          idem_key text not null,
          kind text not null,
          target text not null,
          lead_id text not null,
          payload jsonb not null,
          status text not null check (status in ('pending', 'sent', 'failed')),
          attempts integer not null default 0,
          next_attempt_at bigint not null,
          lease_until bigint,
          lease_owner text,
          last_status text,
          last_answer text,
          remote_id text,
          created_at bigint not null,
          updated_at bigint not null,
          primary key (org_id, id)
        );
        create unique index outbox_idem on outbox (org_id, idem_key);
        create index outbox_due on outbox (status, next_attempt_at);
        create index outbox_list on outbox (org_id, status, updated_at)
      `);
    },
  },
  '0004_score_state': {
    async up(db: Kysely<unknown>): Promise<void> {
      // The running state incremental scoring folds new events into (server/scoring/incremental.ts);
      // null until the lead's next full re-score writes it.
      await statements(db, `alter table leads add column score_state jsonb`);
    },
  },
  '0005_scope_feed_indexes': {
    async up(db: Kysely<unknown>): Promise<void> {
      // One index range per way into a rep's or manager's change feed (service/leads.ts
      // scopedFeed): the team's unowned stock, and who must hear that a lead left them.
      await statements(db, `
        create index leads_stock on leads (org_id, team, seq) where owner_id is null;
        create index leads_prev_owner on leads (org_id, prev_owner_id, seq) where prev_owner_id is not null;
        create index leads_prev_team on leads (org_id, prev_team, seq) where prev_team is not null
      `);
    },
  },
  '0006_lead_states': {
    async up(db: Kysely<unknown>): Promise<void> {
      // The running state (~1 KB of a ~1.4 KB lead row) moves to its own narrow table: every
      // ingested event rewrites it, and in the leads row that rewrite also touched every leads
      // index (the new feed seq rules out HOT updates there). Here only the state's own key is
      // indexed and never changes, so with free room on the page (fillfactor) the update is HOT.
      // Text, not jsonb: only the server reads it, whole, so parsing it into jsonb on every write
      // and printing it back on every read was pure cost.
      await statements(db, `
        create table lead_states (
          org_id text not null,
          lead_id text not null,
          state text not null,
          primary key (org_id, lead_id),
          foreign key (org_id, lead_id) references leads(org_id, id)
        ) with (fillfactor = 70);
        insert into lead_states (org_id, lead_id, state) select org_id, id, score_state::text from leads where score_state is not null;
        alter table leads drop column score_state
      `);
    },
  },
  '0007_feed_views': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Each lead's contract summary as JSON text, written by the re-score that gives it its seq
      // (service/present.ts, feedViews): a change-feed page is then these texts joined, instead
      // of 500 summaries built in SQL, parsed, rebuilt and printed again per request. The English
      // text is also the one for every reader when nothing in it is translated (feed_view_ja
      // null); feed_view_seq is the seq it was built for: a writer that moves a lead in the
      // feed without re-scoring it (dashboard reassign) makes it stale, and the feed then builds
      // that lead from its columns. Rows written before this migration have none until re-scored.
      await statements(db, `
        alter table leads add column feed_view text;
        alter table leads add column feed_view_ja text;
        alter table leads add column feed_view_seq bigint
      `);
    },
  },
  '0008_server_meta': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Facts about the data as a whole, by key: `feed_view_format` names the shape and wording the
      // stored feed summaries were written in (service/feed-views.ts), so a server whose summaries
      // read differently retires them at start instead of serving the old text.
      await statements(db, `
        create table server_meta (
          key text primary key,
          value text not null
        )
      `);
    },
  },
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Runs every migration not yet applied, or (`upTo`, for upgrade tests) those up to that name. */
export async function migrate(db: Kysely<unknown>, schema?: string, upTo?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new StaticProvider(), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await (upTo ? migrator.migrateTo(upTo) : migrator.migrateToLatest());
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
}
