/** Who is asking, within which organisation: every service call takes one. */
import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema';
import type { WriteBackQueue } from '../connectors/writeback/queue';
import type { ChangeNotifier } from './notifier';
import type { RulesVersions } from './rules-store';

export interface OrgCtx {
  orgId: string;
}

export interface UserCtx extends OrgCtx {
  userId: string;
  name: string;
  email: string;
  role: Role;
  team: string | null;
}

/** Where the organisation's change feed stands: its epoch (cursors of another database start over) and last seq. */
export interface FeedPosition {
  epoch: string;
  seq: number;
}

/**
 * A request's caller and what the one auth query read along (server/service/users.ts): the
 * rule versions the cached policy is keyed on, and the feed's position for /v1/leads/changes.
 */
export interface Session {
  user: UserCtx;
  rules: RulesVersions;
  feed: FeedPosition;
}

export interface Deps {
  db: Kysely<Database>;
  /** Epoch ms; tests pin it. */
  clock: () => number;
  notifier: ChangeNotifier;
  /** Write-back to the team's CRM / MA tool, when the admin configured any target. */
  outbox?: WriteBackQueue;
}
