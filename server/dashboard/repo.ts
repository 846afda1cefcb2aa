/**
 * What the dashboard reads and writes, as a small interface: the routes and the alert loop
 * depend on this, the database implementation (kysely-repo.ts) fulfils it. Every read takes the
 * caller's scope as an argument, so no route can forget it.
 */
import type { CallRow, NeedRow } from './activity';
import type { AlertSettings } from './alerts';
import type { RuleChange, TeamRules } from './rules';

export type DashboardRole = 'rep' | 'manager' | 'admin';
export type AnyRole = DashboardRole | 'ingest';

export interface Viewer {
  orgId: string;
  userId: string;
  name: string;
  email: string;
  role: AnyRole;
  team: string | null;
}

/** Whose numbers a query may read: a rep their own leads, a manager their team, an admin the organisation. */
export interface Scope {
  orgId: string;
  /** Only leads owned by this user. */
  ownerId?: string;
  /** Only leads of this team (null = leads with no team). */
  team?: string | null;
}

export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: AnyRole;
  team: string | null;
  /** When one of the user's tokens last reached the API (the extension's sync). */
  lastSyncAt: number | null;
  tokens: { id: string; createdAt: number; revokedAt: number | null; lastUsedAt: number | null }[];
}

export interface AuditEntry {
  version: number;
  at: number;
  by: string | null;
  byName: string | null;
  changes: RuleChange[];
}

/** A lead as the preview scores it: the server's scorer reads the rest from `data`. */
export interface PreviewLead {
  id: string;
  name: string;
  company?: string;
  ownerName?: string;
  data: unknown;
}

export interface DashboardRepo {
  // Sign-in and sessions (rows in the database: any process can serve any request).
  userByTokenHash(tokenHash: string, now: number): Promise<Viewer | undefined>;
  createSession(sessionHash: string, viewer: Viewer, now: number, expiresAt: number): Promise<void>;
  sessionViewer(sessionHash: string, now: number): Promise<Viewer | undefined>;
  deleteSession(sessionHash: string): Promise<void>;

  // Activity, scoped in the query.
  needs(scope: Scope, from: number, to: number): Promise<NeedRow[]>;
  hotNeeds(scope: Scope): Promise<NeedRow[]>;
  calls(scope: Scope, from: number, to: number): Promise<CallRow[]>;
  userNames(orgId: string): Promise<Map<string, string>>;
  /** Move a lead (in scope) to another rep of the organisation; false when either is not found. */
  reassign(scope: Scope, leadId: string, toUserId: string, by: string, now: number): Promise<'ok' | 'lead_not_found' | 'user_not_found'>;

  // Rules, per team ('' = the organisation's default).
  rules(orgId: string, team: string): Promise<{ version: number; rules: TeamRules }>;
  /** Saves a new version; false when `baseVersion` is no longer the latest (someone saved meanwhile). */
  saveRules(orgId: string, team: string, baseVersion: number, rules: TeamRules, changes: RuleChange[], by: string, now: number): Promise<number | false>;
  rulesAudit(orgId: string, team: string, limit: number): Promise<AuditEntry[]>;
  previewLeads(orgId: string, team: string): Promise<PreviewLead[]>;
  alertSettings(orgId: string, team: string): Promise<AlertSettings>;
  saveAlertSettings(orgId: string, team: string, settings: AlertSettings): Promise<void>;

  // Users and tokens.
  users(scope: Scope): Promise<UserRow[]>;
  addUser(orgId: string, user: { name: string; email: string; role: DashboardRole; team: string | null }, now: number): Promise<{ id: string } | 'email_taken'>;
  /** Removes the user's access (tokens revoked, sessions ended); their leads go back to the team's stock. */
  removeUser(orgId: string, userId: string, now: number): Promise<boolean>;
  addToken(orgId: string, userId: string, tokenHash: string, now: number): Promise<{ id: string }>;
  revokeToken(orgId: string, tokenId: string, now: number): Promise<{ userId: string } | undefined>;
}
