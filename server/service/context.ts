/** Who is asking, within which organisation: every service call takes one. */
import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema';
import type { WriteBackQueue } from '../connectors/writeback/queue';
import type { ChangeNotifier } from './notifier';

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

export interface Deps {
  db: Kysely<Database>;
  /** Epoch ms; tests pin it. */
  clock: () => number;
  notifier: ChangeNotifier;
  /** Write-back to the team's CRM / MA tool, when the admin configured any target. */
  outbox?: WriteBackQueue;
}
