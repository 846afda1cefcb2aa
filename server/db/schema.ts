/**
 * Table types for Kysely. Every table carries `org_id` and every query filters by it, so one
 * schema can later be distributed or split by organisation. Times are epoch ms (bigint, read
 * back as numbers) so the model does no date parsing; jsonb columns are written as JSON text.
 */
import type { Generated } from 'kysely';

export type Role = 'rep' | 'manager' | 'admin' | 'ingest';

export interface OrgsTable {
  id: string;
  name: string;
  /** The last change-feed seq handed out in this organisation. */
  seq: Generated<number>;
  created_at: number;
}

export interface UsersTable {
  org_id: string;
  id: string;
  name: string;
  email: string;
  role: Role;
  team: string | null;
  created_at: number;
}

export interface TokensTable {
  id: string;
  org_id: string;
  user_id: string;
  /** sha256 of the token, hex; the token itself is never stored. */
  hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface ScoringRulesTable {
  org_id: string;
  /** '' = the organisation's default for teams without their own. */
  team: string;
  version: number;
  rules: unknown;
  created_at: number;
  created_by: string | null;
}

export interface LeadsTable {
  org_id: string;
  id: string;
  external_id: string;
  name: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  owner_id: string | null;
  team: string | null;
  job_title: string | null;
  employees: number | null;
  created_at: number;
  /** Feed position of the last visible change. */
  seq: number;
  /** Hash of what the extension stores (summary without updatedAt); a bump only when it moves. */
  fingerprint: string;
  /** The model's locale-neutral answer (LeadScore) at scored_at. */
  score: unknown;
  scored_at: number;
  updated_at: number;
  /** Owner and team before the last change of either: who must be told the lead left their scope. */
  prev_owner_id: string | null;
  prev_team: string | null;
  /** The contract summary as JSON (English, and every locale when feed_view_ja is null), for the feed (service/present.ts, feedViews). */
  feed_view: string | null;
  /** The Japanese summary when it differs (a need reason). */
  feed_view_ja: string | null;
  /** The seq feed_view was built for: any other seq means it is stale. */
  feed_view_seq: number | null;
}

export interface LeadRefsTable {
  org_id: string;
  lead_id: string;
  crm: string;
  /** Lower-cased. */
  object_type: string;
  /** Normalised record id (Salesforce 15-char core, Dynamics GUID without braces, lower-cased). */
  record_key: string;
  /** The tenant (lower-cased host or portal id); '' when the source did not say. */
  host: string;
  record_id: string;
  url: string | null;
}

/** Incremental scoring's running state per lead; absent until its next full re-score. */
export interface LeadStatesTable {
  org_id: string;
  lead_id: string;
  /** A ScoreState as JSON text. */
  state: string;
}

export interface EventsTable {
  org_id: string;
  /** The source's idempotent id (or a server-made one for calls logged in the panel). */
  id: string;
  lead_id: string;
  at: number;
  type: string;
  title: string;
  detail: string | null;
  url: string | null;
  channel: string | null;
  actor: string | null;
  meta: unknown;
  received_at: number;
}

export interface FollowsTable {
  org_id: string;
  user_id: string;
  lead_id: string;
  created_at: number;
}

export interface IdempotencyKeysTable {
  org_id: string;
  user_id: string;
  route: string;
  lead_id: string;
  key: string;
  body_hash: string;
  status: number;
  response: unknown;
  created_at: number;
}

export interface RecyclesTable {
  org_id: string;
  id: string;
  lead_id: string;
  user_id: string;
  track: string;
  frequency: string;
  email: string;
  created_at: number;
}

/** Single-use tickets that open one push-stream socket each (a token never goes in a URL). */
export interface StreamTicketsTable {
  /** sha256 of the ticket, hex. */
  hash: string;
  org_id: string;
  user_id: string;
  expires_at: number;
}

/** Write-back deliveries (call logs to a CRM, recycles to an MA tool), drained by the outbox worker. */
export interface OutboxTable {
  org_id: string;
  id: string;
  /** `<activity id>:<target id>`: one delivery per activity and target, whoever queues it. */
  idem_key: string;
  kind: 'call' | 'recycle';
  /** The configured target's id (`salesforce:main`). */
  target: string;
  lead_id: string;
  payload: unknown;
  status: 'pending' | 'sent' | 'failed';
  attempts: Generated<number>;
  next_attempt_at: number;
  /** Held by one worker until then; a crashed worker's rows become claimable again. */
  lease_until: number | null;
  lease_owner: string | null;
  /** The target's last HTTP status (or 'network' / 'timeout') and its answer, trimmed, without secrets. */
  last_status: string | null;
  last_answer: string | null;
  /** The record the target created (Task id, comment id, …). */
  remote_id: string | null;
  created_at: number;
  updated_at: number;
}

/** Facts about the data as a whole, by key (migration 0008). */
export interface ServerMetaTable {
  key: string;
  value: string;
}

export interface Database {
  orgs: OrgsTable;
  users: UsersTable;
  tokens: TokensTable;
  scoring_rules: ScoringRulesTable;
  leads: LeadsTable;
  lead_refs: LeadRefsTable;
  lead_states: LeadStatesTable;
  events: EventsTable;
  follows: FollowsTable;
  idempotency_keys: IdempotencyKeysTable;
  recycles: RecyclesTable;
  stream_tickets: StreamTicketsTable;
  outbox: OutboxTable;
  server_meta: ServerMetaTable;
}
