/** Scoring rules per team, versioned: the latest version of the team's set, else the org's, else the defaults. */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema';
import { DEFAULT_RULES, readStoredRules, type ScoringRules } from '../scoring/rules';

export interface RuleBook {
  forTeam(team: string | null): ScoringRules;
}

/** Every team's latest rules of one organisation, read once per batch. */
export async function loadRuleBook(db: Kysely<Database>, orgId: string): Promise<RuleBook> {
  const rows = await db.selectFrom('scoring_rules as r')
    .select(['r.team', 'r.rules'])
    .where('r.org_id', '=', orgId)
    .where(({ eb, selectFrom }) => eb('r.version', '=', selectFrom('scoring_rules as l').select(({ fn }) => fn.max('l.version').as('v')).whereRef('l.org_id', '=', 'r.org_id').whereRef('l.team', '=', 'r.team')))
    .execute();
  const byTeam = new Map<string, ScoringRules>();
  for (const row of rows) {
    const parsed = readStoredRules(row.rules);
    // A stored set was validated on the way in; one that no longer parses (a newer server
    // wrote it) falls back to the defaults rather than stopping every score.
    if (parsed) byTeam.set(row.team, parsed);
  }
  const orgDefault = byTeam.get('') ?? DEFAULT_RULES;
  return { forTeam: (team) => (team ? byTeam.get(team) : undefined) ?? orgDefault };
}

export interface StoredRules {
  version: number;
  rules: ScoringRules;
  /** When this version was saved (epoch ms); absent for the built-in defaults (version 0). */
  createdAt?: number;
}

export async function latestRules(db: Kysely<Database>, orgId: string, team: string): Promise<StoredRules> {
  const row = await db.selectFrom('scoring_rules').select(['version', 'rules', 'created_at']).where('org_id', '=', orgId).where('team', '=', team)
    .orderBy('version', 'desc').limit(1).executeTakeFirst();
  const parsed = row ? readStoredRules(row.rules) : undefined;
  return parsed && row ? { version: row.version, rules: parsed, createdAt: Number(row.created_at) } : { version: 0, rules: DEFAULT_RULES };
}

/**
 * The latest stored version of a team's set and of the organisation's ('' team), 0 for none: what
 * a cached parse is keyed on. Stored sets are never edited in place (PUT /v1/admin/scoring adds a
 * version), so (organisation, team, versions) names one parse for good, on every server process.
 */
export interface RulesVersions {
  team: number;
  org: number;
}

/** `RulesVersions.team` as a column of another query (the primary key's index answers it). */
export const teamVersionSql = (orgIdRef: string, teamRef: string): RawBuilder<number> =>
  sql<number>`(select coalesce(max(sr.version), 0) from scoring_rules sr where sr.org_id = ${sql.ref(orgIdRef)} and sr.team = ${sql.ref(teamRef)})`;
/** `RulesVersions.org` as a column of another query. */
export const orgVersionSql = (orgIdRef: string): RawBuilder<number> =>
  sql<number>`(select coalesce(max(so.version), 0) from scoring_rules so where so.org_id = ${sql.ref(orgIdRef)} and so.team = '')`;

async function rulesAt(db: Kysely<Database>, orgId: string, team: string, version: number): Promise<StoredRules | undefined> {
  if (version <= 0) return undefined;
  const row = await db.selectFrom('scoring_rules').select(['version', 'rules', 'created_at']).where('org_id', '=', orgId).where('team', '=', team)
    .where('version', '=', version).executeTakeFirst();
  const parsed = row ? readStoredRules(row.rules) : undefined;
  return parsed && row ? { version: row.version, rules: parsed, createdAt: Number(row.created_at) } : undefined;
}

const CACHE_LIMIT = 1_000;
const caches = new WeakMap<Kysely<Database>, Map<string, Promise<StoredRules & { team: string }>>>();

/**
 * The rules a user (or a lead: scoring applies them the same way, loadRuleBook) works under —
 * their team's own set, else the organisation's, else the defaults; `team` says whose set it is
 * ('' = the organisation's) — for the versions the caller read in its own query (the request's auth
 * query, a lead's row), parsed and validated once per version and database handle instead of on
 * every request. A new version is a new key, so a rule change is seen by the next request that
 * reads it, on this process or any other on the same database.
 */
export async function cachedRules(db: Kysely<Database>, orgId: string, team: string | null, versions: RulesVersions): Promise<StoredRules & { team: string }> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const own = team && versions.team > 0 ? team : '';
  const key = `${orgId}\u0000${own}\u0000${own ? versions.team : 0}\u0000${versions.org}`;
  let entry = cache.get(key);
  if (!entry) {
    // Old versions are never asked for again; the bound keeps them from piling up.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    entry = (async () => {
      const mine = own ? await rulesAt(db, orgId, own, versions.team) : undefined;
      if (mine) return { ...mine, team: own };
      return { ...((await rulesAt(db, orgId, '', versions.org)) ?? { version: 0, rules: DEFAULT_RULES }), team: '' };
    })();
    cache.set(key, entry);
    // A failed read is not remembered: the next request tries again.
    const cached = entry;
    entry.catch(() => { if (cache.get(key) === cached) cache.delete(key); });
  }
  return entry;
}
