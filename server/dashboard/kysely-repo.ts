/**
 * The dashboard's repository over the server's database: the server's own tables (orgs, users,
 * tokens, leads, lead_refs, events, scoring_rules) read and written by name, plus the dashboard's
 * tables (sessions, recorded needs, alert claims, rule audit, alert settings), migrated with their
 * own Kysely migration table so the two migration lists never interleave. Every query filters by
 * org_id and by the caller's scope.
 */
import { randomBytes } from 'node:crypto';
import { Migrator, sql, type Kysely, type Migration, type SelectQueryBuilder } from 'kysely';
import type { CrmRef } from '../../utils/api/contract';
import { CALL_OUTCOMES, LOSS_REASONS } from '../../utils/api/contract';
import type { CallRow, NeedRow } from './activity';
import { AlertSettingsSchema, DEFAULT_ALERT_SETTINGS, type AlertSettings } from './alerts';
import type { AlertStore } from './mail';
import type { AuditEntry, DashboardRepo, DashboardRole, PreviewLead, Scope, UserRow, Viewer } from './repo';
import { DEFAULT_TEAM_RULES, TeamRulesSchema, windowRuleOf, type RuleChange, type TeamRules } from './rules';

/** The columns of the server's tables this repository uses (the server's schema has more). */
interface ServerTables {
  orgs: { id: string; seq: number };
  users: { org_id: string; id: string; name: string; email: string; role: string; team: string | null; created_at: number };
  tokens: { id: string; org_id: string; user_id: string; hash: string; created_at: number; revoked_at: number | null };
  scoring_rules: { org_id: string; team: string; version: number; rules: unknown; created_at: number; created_by: string | null };
  leads: { org_id: string; id: string; name: string; company: string | null; owner_id: string | null; team: string | null; score: unknown; seq: number; updated_at: number; prev_owner_id: string | null; prev_team: string | null; fingerprint: string; job_title: string | null; employees: number | null; created_at: number };
  lead_refs: { org_id: string; lead_id: string; crm: string; object_type: string; record_id: string; host: string; url: string | null };
  events: { org_id: string; id: string; lead_id: string; at: number; type: string; title: string; detail: string | null; channel: string | null; actor: string | null; meta: unknown };
}

interface DashboardTables {
  dashboard_sessions: { hash: string; org_id: string; user_id: string; created_at: number; expires_at: number };
  dashboard_needs: { org_id: string; lead_id: string; at: number; reason: unknown };
  dashboard_alert_mails: { org_id: string; need_key: string; claimed_at: number };
  dashboard_alert_digests: { org_id: string; team: string; date: string; sent_at: number };
  dashboard_rules_audit: { org_id: string; team: string; version: number; at: number; by: string | null; changes: unknown };
  dashboard_alert_settings: { org_id: string; team: string; settings: unknown };
  dashboard_token_use: { token_id: string; org_id: string; last_used_at: number };
  dashboard_user_removals: { org_id: string; user_id: string; removed_at: number };
}

export type DashboardDb = ServerTables & DashboardTables;

const migrations: Record<string, Migration> = {
  '0001_dashboard': {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const statement of [
        'create table dashboard_sessions (hash text primary key, org_id text not null, user_id text not null, created_at bigint not null, expires_at bigint not null)',
        'create index dashboard_sessions_user on dashboard_sessions (org_id, user_id)',
        // Needs as they were detected: the leads table keeps only the current one.
        'create table dashboard_needs (org_id text not null, lead_id text not null, at bigint not null, reason jsonb, primary key (org_id, lead_id, at))',
        'create index dashboard_needs_at on dashboard_needs (org_id, at)',
        'create table dashboard_alert_mails (org_id text not null, need_key text not null, claimed_at bigint not null, primary key (org_id, need_key))',
        'create table dashboard_alert_digests (org_id text not null, team text not null, date text not null, sent_at bigint not null, primary key (org_id, team, date))',
        'create table dashboard_rules_audit (org_id text not null, team text not null, version integer not null, at bigint not null, by text, changes jsonb not null, primary key (org_id, team, version))',
        'create table dashboard_alert_settings (org_id text not null, team text not null, settings jsonb not null, primary key (org_id, team))',
        'create table dashboard_token_use (token_id text primary key, org_id text not null, last_used_at bigint not null)',
        'create table dashboard_user_removals (org_id text not null, user_id text not null, removed_at bigint not null, primary key (org_id, user_id))',
      ]) await sql.raw(statement).execute(db);
    },
  },
};

/** Runs the dashboard's migrations (after the server's: they read its tables). */
export async function migrateDashboard(db: Kysely<unknown>): Promise<void> {
  const { error, results } = await new Migrator({
    db, migrationTableName: 'dashboard_migration', migrationLockTableName: 'dashboard_migration_lock',
    provider: { getMigrations: async () => migrations },
  }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`dashboard migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
}

const newId = (prefix: string): string => `${prefix}${randomBytes(12).toString('base64url')}`;
const json = (value: unknown): string => JSON.stringify(value);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : ((v ?? {}) as Record<string, unknown>));
const isRole = (r: string): r is Viewer['role'] => r === 'rep' || r === 'manager' || r === 'admin' || r === 'ingest';
const oneOf = <T extends string>(list: readonly T[], v: unknown): T | undefined => (list as readonly unknown[]).includes(v) ? (v as T) : undefined;

export interface KyselyRepoOptions {
  /** Words for a need reason as the scoring model stores it (a message key and params). */
  reasonText?: (reason: unknown) => string | undefined;
  /** The server's default rules, for teams that never saved their own (the full set, not the dashboard's view). */
  defaultRules?: TeamRules;
}

/** A stored reason without the server's renderer: the triggering event's title, else its key. */
const defaultReasonText = (reason: unknown): string | undefined => {
  if (typeof reason === 'string') return reason;
  const r = obj(reason);
  const params = obj(r.params);
  return typeof params.title === 'string' ? params.title : typeof r.key === 'string' ? r.key : undefined;
};

export class KyselyDashboardRepo implements DashboardRepo, AlertStore {
  private readonly reasonText: (reason: unknown) => string | undefined;
  private readonly defaultRules: TeamRules;

  constructor(private readonly db: Kysely<DashboardDb>, opts: KyselyRepoOptions = {}) {
    this.reasonText = opts.reasonText ?? defaultReasonText;
    this.defaultRules = opts.defaultRules ?? DEFAULT_TEAM_RULES;
  }

  private scoped<O>(qb: SelectQueryBuilder<DashboardDb & { l: ServerTables['leads'] }, 'l' | never, O>, scope: Scope) {
    let q = qb.where('l.org_id', '=', scope.orgId);
    if (scope.ownerId !== undefined) q = q.where('l.owner_id', '=', scope.ownerId);
    if (scope.team !== undefined) q = scope.team === null ? q.where('l.team', 'is', null) : q.where('l.team', '=', scope.team);
    return q;
  }

  // --- Sessions --------------------------------------------------------------------------------

  async userByTokenHash(hash: string): Promise<Viewer | undefined> {
    const row = await this.db.selectFrom('tokens as t')
      .innerJoin('users as u', (j) => j.onRef('u.org_id', '=', 't.org_id').onRef('u.id', '=', 't.user_id'))
      .leftJoin('dashboard_user_removals as r', (j) => j.onRef('r.org_id', '=', 'u.org_id').onRef('r.user_id', '=', 'u.id'))
      .select(['u.org_id', 'u.id', 'u.name', 'u.email', 'u.role', 'u.team'])
      .where('t.hash', '=', hash).where('t.revoked_at', 'is', null).where('r.user_id', 'is', null).executeTakeFirst();
    return row && isRole(row.role) ? { orgId: row.org_id, userId: row.id, name: row.name, email: row.email, role: row.role, team: row.team } : undefined;
  }

  async createSession(hash: string, v: Viewer, now: number, expiresAt: number): Promise<void> {
    await this.db.deleteFrom('dashboard_sessions').where('expires_at', '<=', now).execute();
    await this.db.insertInto('dashboard_sessions').values({ hash, org_id: v.orgId, user_id: v.userId, created_at: now, expires_at: expiresAt }).execute();
  }

  async sessionViewer(hash: string, now: number): Promise<Viewer | undefined> {
    // The user is read afresh: a changed role or team applies at once, a removed user is out.
    const row = await this.db.selectFrom('dashboard_sessions as s')
      .innerJoin('users as u', (j) => j.onRef('u.org_id', '=', 's.org_id').onRef('u.id', '=', 's.user_id'))
      .leftJoin('dashboard_user_removals as r', (j) => j.onRef('r.org_id', '=', 'u.org_id').onRef('r.user_id', '=', 'u.id'))
      .select(['u.org_id', 'u.id', 'u.name', 'u.email', 'u.role', 'u.team'])
      .where('s.hash', '=', hash).where('s.expires_at', '>', now).where('r.user_id', 'is', null).executeTakeFirst();
    return row && isRole(row.role) ? { orgId: row.org_id, userId: row.id, name: row.name, email: row.email, role: row.role, team: row.team } : undefined;
  }

  async deleteSession(hash: string): Promise<void> {
    await this.db.deleteFrom('dashboard_sessions').where('hash', '=', hash).execute();
  }

  // --- Activity ------------------------------------------------------------------------------------

  /** Keeps each lead's current need in the needs history (idempotent: one row per lead and instant). */
  async recordNeeds(orgId: string): Promise<void> {
    await sql`insert into dashboard_needs (org_id, lead_id, at, reason)
      select org_id, id, (extract(epoch from (score->>'needDetectedAt')::timestamptz) * 1000)::bigint, score->'needReason'
      from leads where org_id = ${orgId} and score->>'needDetectedAt' is not null
      on conflict do nothing`.execute(this.db);
  }

  private async refsOf(orgId: string, leadIds: string[]): Promise<Map<string, CrmRef[]>> {
    const out = new Map<string, CrmRef[]>();
    if (leadIds.length === 0) return out;
    const rows = await this.db.selectFrom('lead_refs').select(['lead_id', 'crm', 'object_type', 'record_id', 'host', 'url'])
      .where('org_id', '=', orgId).where('lead_id', 'in', leadIds).execute();
    for (const r of rows) {
      const ref = { crm: r.crm, objectType: r.object_type, recordId: r.record_id, ...(r.host ? { host: r.host } : {}), ...(r.url ? { url: r.url } : {}) } as CrmRef;
      out.set(r.lead_id, [...(out.get(r.lead_id) ?? []), ref]);
    }
    return out;
  }

  private async withRefs(orgId: string, rows: { lead_id: string; at: number; reason: unknown; name: string; company: string | null; owner_id: string | null }[]): Promise<NeedRow[]> {
    const refs = await this.refsOf(orgId, [...new Set(rows.map((r) => r.lead_id))]);
    return rows.map((r) => ({
      leadId: r.lead_id, leadName: r.name, ...(r.company ? { company: r.company } : {}), ...(r.owner_id ? { ownerId: r.owner_id } : {}),
      needDetectedAt: new Date(Number(r.at)).toISOString(), needReason: this.reasonText(r.reason), crmRefs: refs.get(r.lead_id) ?? [],
    }));
  }

  async needs(scope: Scope, from: number, to: number): Promise<NeedRow[]> {
    await this.recordNeeds(scope.orgId);
    const rows = await this.scoped(this.db.selectFrom('dashboard_needs as n')
      .innerJoin('leads as l', (j) => j.onRef('l.org_id', '=', 'n.org_id').onRef('l.id', '=', 'n.lead_id'))
      .select(['n.lead_id', 'n.at', 'n.reason', 'l.name', 'l.company', 'l.owner_id'])
      .where('n.at', '>=', from).where('n.at', '<', to), scope).execute();
    return this.withRefs(scope.orgId, rows);
  }

  async hotNeeds(scope: Scope): Promise<NeedRow[]> {
    const rows = await this.scoped(this.db.selectFrom('leads as l')
      .select(['l.id as lead_id', sql<number>`(extract(epoch from (l.score->>'needDetectedAt')::timestamptz) * 1000)::bigint`.as('at'), sql<unknown>`l.score->'needReason'`.as('reason'), 'l.name', 'l.company', 'l.owner_id']), scope)
      .where(sql<boolean>`l.score->>'band' = 'hot' and l.score->>'needDetectedAt' is not null`).execute();
    return this.withRefs(scope.orgId, rows);
  }

  async calls(scope: Scope, from: number, to: number): Promise<CallRow[]> {
    const rows = await this.scoped(this.db.selectFrom('events as e')
      .innerJoin('leads as l', (j) => j.onRef('l.org_id', '=', 'e.org_id').onRef('l.id', '=', 'e.lead_id'))
      .select(['e.id', 'e.lead_id', 'e.at', 'e.detail', 'e.actor', 'e.meta', 'l.name'])
      .where('e.type', '=', 'call').where('e.at', '>=', from).where('e.at', '<', to).orderBy('e.at'), scope).execute();
    return rows.flatMap((r) => {
      const meta = obj(r.meta);
      const outcome = oneOf(CALL_OUTCOMES, meta.outcome);
      if (!outcome) return [];
      const lossReason = oneOf(LOSS_REASONS, meta.lossReason);
      const actorId = typeof meta.actorId === 'string' ? meta.actorId : (r.actor ?? '');
      return [{ id: r.id, leadId: r.lead_id, leadName: r.name, actorId, at: new Date(Number(r.at)).toISOString(), outcome, ...(lossReason ? { lossReason } : {}), ...(r.detail ? { note: r.detail } : {}) }];
    });
  }

  async userNames(orgId: string): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('users').select(['id', 'name']).where('org_id', '=', orgId).execute();
    // Call logs name their actor by id or (older rows) by name: both resolve to the name.
    return new Map(rows.flatMap((r) => [[r.id, r.name], [r.name, r.name]] as [string, string][]));
  }

  async reassign(scope: Scope, leadId: string, toUserId: string, _by: string, now: number): Promise<'ok' | 'lead_not_found' | 'user_not_found'> {
    return this.db.transaction().execute(async (tx) => {
      const lead = await this.scoped(tx.selectFrom('leads as l').select(['l.owner_id', 'l.team']), scope).where('l.id', '=', leadId).executeTakeFirst();
      if (!lead) return 'lead_not_found';
      const user = await tx.selectFrom('users').select('id').where('org_id', '=', scope.orgId).where('id', '=', toUserId).executeTakeFirst();
      if (!user) return 'user_not_found';
      // A new feed position, and the previous owner kept, so both reps' extensions hear of it. The
      // fingerprint no longer describes what was sent (it holds the old owner): cleared, so the
      // lead's next re-score always moves it — a CRM re-import naming the old owner again included.
      const { seq } = await tx.updateTable('orgs').set((eb) => ({ seq: eb('seq', '+', 1) })).where('id', '=', scope.orgId).returning('seq').executeTakeFirstOrThrow();
      await tx.updateTable('leads').set({ owner_id: toUserId, prev_owner_id: lead.owner_id, prev_team: lead.team, seq, updated_at: now, fingerprint: '' })
        .where('org_id', '=', scope.orgId).where('id', '=', leadId).execute();
      return 'ok';
    });
  }

  // --- Rules -------------------------------------------------------------------------------------

  async rules(orgId: string, team: string): Promise<{ version: number; rules: TeamRules }> {
    const rows = await this.db.selectFrom('scoring_rules').select(['team', 'version', 'rules']).where('org_id', '=', orgId)
      .where('team', 'in', team === '' ? [''] : [team, '']).orderBy('version', 'desc').execute();
    for (const candidate of [team, '']) {
      const row = rows.find((r) => r.team === candidate);
      const parsed = row ? TeamRulesSchema.safeParse(obj(row.rules)) : undefined;
      if (row && parsed?.success) return { version: candidate === team ? row.version : 0, rules: parsed.data };
    }
    return { version: 0, rules: this.defaultRules };
  }

  async saveRules(orgId: string, team: string, baseVersion: number, rules: TeamRules, changes: RuleChange[], by: string, now: number): Promise<number | false> {
    try {
      return await this.db.transaction().execute(async (tx) => {
        const latest = await tx.selectFrom('scoring_rules').select(({ fn }) => fn.max('version').as('v')).where('org_id', '=', orgId).where('team', '=', team).executeTakeFirst();
        if ((latest?.v ?? 0) !== baseVersion) return false;
        const version = baseVersion + 1;
        // The primary key (org, team, version) refuses a second writer of the same version.
        await tx.insertInto('scoring_rules').values({ org_id: orgId, team, version, rules: json(rules), created_at: now, created_by: by }).execute();
        await tx.insertInto('dashboard_rules_audit').values({ org_id: orgId, team, version, at: now, by, changes: json(changes) }).execute();
        return version;
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505') return false;
      throw e;
    }
  }

  async rulesAudit(orgId: string, team: string, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('dashboard_rules_audit as a')
      .leftJoin('users as u', (j) => j.onRef('u.org_id', '=', 'a.org_id').onRef('u.id', '=', 'a.by'))
      .select(['a.version', 'a.at', 'a.by', 'a.changes', 'u.name']).where('a.org_id', '=', orgId).where('a.team', '=', team)
      .orderBy('a.version', 'desc').limit(limit).execute();
    return rows.map((r) => ({ version: r.version, at: Number(r.at), by: r.by, byName: r.name, changes: (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as RuleChange[] }));
  }

  /** Leads with activity in the last 90 days (older ones cannot be hot after decay), with their events for the scorer. */
  async previewLeads(orgId: string, team: string): Promise<PreviewLead[]> {
    const since = Date.now() - 90 * 86_400_000;
    let q = this.db.selectFrom('leads as l').leftJoin('users as u', (j) => j.onRef('u.org_id', '=', 'l.org_id').onRef('u.id', '=', 'l.owner_id'))
      .select(['l.id', 'l.name', 'l.company', 'l.job_title', 'l.employees', 'l.created_at', 'u.name as owner_name'])
      .where('l.org_id', '=', orgId)
      .where((eb) => eb.exists(eb.selectFrom('events as e').select('e.id').whereRef('e.org_id', '=', 'l.org_id').whereRef('e.lead_id', '=', 'l.id').where('e.at', '>=', since)))
      .limit(5000);
    if (team !== '') q = q.where('l.team', '=', team);
    const leads = await q.execute();
    if (leads.length === 0) return [];
    const events = await this.db.selectFrom('events').select(['lead_id', 'id', 'at', 'type', 'title', 'channel', 'meta'])
      .where('org_id', '=', orgId).where('lead_id', 'in', leads.map((l) => l.id)).orderBy('at').execute();
    const byLead = new Map<string, typeof events>();
    for (const e of events) byLead.set(e.lead_id, [...(byLead.get(e.lead_id) ?? []), e]);
    return leads.map((l) => ({
      id: l.id, name: l.name, ...(l.company ? { company: l.company } : {}), ...(l.owner_name ? { ownerName: l.owner_name } : {}),
      data: {
        profile: { ...(l.job_title ? { jobTitle: l.job_title } : {}), ...(l.employees !== null ? { employees: l.employees } : {}), createdAt: Number(l.created_at) },
        events: (byLead.get(l.id) ?? []).map((e) => ({ id: e.id, at: Number(e.at), type: e.type, title: e.title, ...(e.channel ? { channel: e.channel } : {}), ...(e.meta ? { meta: obj(e.meta) } : {}) })),
      },
    }));
  }

  async alertSettings(orgId: string, team: string): Promise<AlertSettings> {
    const row = await this.db.selectFrom('dashboard_alert_settings').select('settings').where('org_id', '=', orgId).where('team', '=', team).executeTakeFirst();
    const parsed = row ? AlertSettingsSchema.safeParse(obj(row.settings)) : undefined;
    return parsed?.success ? parsed.data : DEFAULT_ALERT_SETTINGS;
  }

  async saveAlertSettings(orgId: string, team: string, settings: AlertSettings): Promise<void> {
    await this.db.insertInto('dashboard_alert_settings').values({ org_id: orgId, team, settings: json(settings) })
      .onConflict((oc) => oc.columns(['org_id', 'team']).doUpdateSet({ settings: json(settings) })).execute();
  }

  // --- Users and tokens ----------------------------------------------------------------------------

  async users(scope: Scope): Promise<UserRow[]> {
    let q = this.db.selectFrom('users as u')
      .leftJoin('dashboard_user_removals as r', (j) => j.onRef('r.org_id', '=', 'u.org_id').onRef('r.user_id', '=', 'u.id'))
      .select(['u.id', 'u.name', 'u.email', 'u.role', 'u.team']).where('u.org_id', '=', scope.orgId).where('r.user_id', 'is', null);
    if (scope.team !== undefined) q = scope.team === null ? q.where('u.team', 'is', null) : q.where('u.team', '=', scope.team);
    if (scope.ownerId !== undefined) q = q.where('u.id', '=', scope.ownerId);
    const users = await q.orderBy('u.created_at').orderBy('u.id').execute();
    if (users.length === 0) return [];
    const tokens = await this.db.selectFrom('tokens as t').leftJoin('dashboard_token_use as w', 'w.token_id', 't.id')
      .select(['t.id', 't.user_id', 't.created_at', 't.revoked_at', 'w.last_used_at']).where('t.org_id', '=', scope.orgId)
      .where('t.user_id', 'in', users.map((u) => u.id)).orderBy('t.created_at').execute();
    return users.filter((u) => isRole(u.role)).map((u) => {
      const own = tokens.filter((t) => t.user_id === u.id).map((t) => ({ id: t.id, createdAt: Number(t.created_at), revokedAt: t.revoked_at === null ? null : Number(t.revoked_at), lastUsedAt: t.last_used_at === null ? null : Number(t.last_used_at) }));
      const used = own.flatMap((t) => (t.lastUsedAt === null ? [] : [t.lastUsedAt]));
      return { id: u.id, name: u.name, email: u.email, role: u.role as Viewer['role'], team: u.team, lastSyncAt: used.length ? Math.max(...used) : null, tokens: own };
    });
  }

  /** The server's auth calls this when a token reaches the API, for "last synced". */
  async markTokenUsed(orgId: string, tokenId: string, now: number): Promise<void> {
    await this.db.insertInto('dashboard_token_use').values({ token_id: tokenId, org_id: orgId, last_used_at: now })
      .onConflict((oc) => oc.column('token_id').doUpdateSet({ last_used_at: now })).execute();
  }

  async addUser(orgId: string, user: { name: string; email: string; role: DashboardRole; team: string | null }, now: number): Promise<{ id: string } | 'email_taken'> {
    const clash = await this.db.selectFrom('users').select('id').where('org_id', '=', orgId).where((eb) => eb(eb.fn('lower', ['email']), '=', user.email.toLowerCase())).executeTakeFirst();
    if (clash) return 'email_taken';
    const id = newId('u_');
    try {
      await this.db.insertInto('users').values({ org_id: orgId, id, name: user.name, email: user.email, role: user.role, team: user.team, created_at: now }).execute();
    } catch (e) {
      if ((e as { code?: string }).code === '23505') return 'email_taken';
      throw e;
    }
    return { id };
  }

  async removeUser(orgId: string, userId: string, now: number): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const user = await tx.selectFrom('users').select('id').where('org_id', '=', orgId).where('id', '=', userId).executeTakeFirst();
      if (!user) return false;
      await tx.updateTable('tokens').set({ revoked_at: now }).where('org_id', '=', orgId).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
      await tx.deleteFrom('dashboard_sessions').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
      await tx.insertInto('dashboard_user_removals').values({ org_id: orgId, user_id: userId, removed_at: now }).onConflict((oc) => oc.doNothing()).execute();
      // Their leads return to the team's stock, each with a feed position so every extension hears
      // of it; fingerprints cleared as in reassign.
      const owned = await tx.selectFrom('leads').select(['id', 'team']).where('org_id', '=', orgId).where('owner_id', '=', userId).execute();
      for (const lead of owned) {
        const { seq } = await tx.updateTable('orgs').set((eb) => ({ seq: eb('seq', '+', 1) })).where('id', '=', orgId).returning('seq').executeTakeFirstOrThrow();
        await tx.updateTable('leads').set({ owner_id: null, prev_owner_id: userId, prev_team: lead.team, seq, updated_at: now, fingerprint: '' }).where('org_id', '=', orgId).where('id', '=', lead.id).execute();
      }
      return true;
    });
  }

  async addToken(orgId: string, userId: string, hash: string, now: number): Promise<{ id: string }> {
    const id = newId('t_');
    await this.db.insertInto('tokens').values({ id, org_id: orgId, user_id: userId, hash, created_at: now, revoked_at: null }).execute();
    return { id };
  }

  async revokeToken(orgId: string, tokenId: string, now: number): Promise<{ userId: string } | undefined> {
    const row = await this.db.updateTable('tokens').set({ revoked_at: now }).where('org_id', '=', orgId).where('id', '=', tokenId).returning('user_id').executeTakeFirst();
    return row ? { userId: row.user_id } : undefined;
  }

  // --- Alert mail ------------------------------------------------------------------------------------

  async teamIds(): Promise<string[]> {
    // "org\u0000team" keys: the alert run is per team of each organisation with settings.
    const rows = await this.db.selectFrom('dashboard_alert_settings').select(['org_id', 'team']).execute();
    return rows.map((r) => `${r.org_id}\u0000${r.team}`);
  }

  async alertContext(teamKey: string, now: number) {
    const [orgId = '', team = ''] = teamKey.split('\u0000');
    const scope: Scope = team === '' ? { orgId } : { orgId, team };
    const [{ rules }, settings, hotNeeds, recentNeeds, calls, users, sent, digest] = await Promise.all([
      this.rules(orgId, team), this.alertSettings(orgId, team), this.hotNeeds(scope), this.needs(scope, now - 3 * 86_400_000, now),
      this.calls(scope, now - 30 * 86_400_000, now + 1), this.db.selectFrom('users').select(['id', 'email']).where('org_id', '=', orgId).execute(),
      this.db.selectFrom('dashboard_alert_mails').select('need_key').where('org_id', '=', orgId).where('claimed_at', '>=', now - 30 * 86_400_000).execute(),
      this.db.selectFrom('dashboard_alert_digests').select(['date', 'sent_at']).where('org_id', '=', orgId).where('team', '=', team).orderBy('sent_at', 'desc').limit(1).executeTakeFirst(),
    ]);
    return {
      rule: windowRuleOf(rules), settings, hotNeeds, recentNeeds, calls,
      sentKeys: new Set(sent.map((s) => s.need_key)), ownerEmails: new Map(users.map((u) => [u.id, u.email])),
      ...(digest ? { lastDigest: { date: digest.date, at: Number(digest.sent_at) } } : {}),
    };
  }

  async claimAlert(teamKey: string, key: string, now: number): Promise<boolean> {
    const orgId = teamKey.split('\u0000')[0] ?? '';
    const r = await this.db.insertInto('dashboard_alert_mails').values({ org_id: orgId, need_key: key, claimed_at: now }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async releaseAlert(teamKey: string, key: string): Promise<void> {
    await this.db.deleteFrom('dashboard_alert_mails').where('org_id', '=', teamKey.split('\u0000')[0] ?? '').where('need_key', '=', key).execute();
  }

  async claimDigest(teamKey: string, date: string, now: number): Promise<boolean> {
    const [orgId = '', team = ''] = teamKey.split('\u0000');
    const r = await this.db.insertInto('dashboard_alert_digests').values({ org_id: orgId, team, date, sent_at: now }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async releaseDigest(teamKey: string, date: string): Promise<void> {
    const [orgId = '', team = ''] = teamKey.split('\u0000');
    await this.db.deleteFrom('dashboard_alert_digests').where('org_id', '=', orgId).where('team', '=', team).where('date', '=', date).execute();
  }
}
