/** Scoring rules per team, versioned: the latest version of the team's set, else the org's, else the defaults. */
import type { Kysely } from 'kysely';
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
 * The rules a user works under, as scoring applies them (loadRuleBook): their team's own set,
 * else the organisation's, else the defaults. `team` says whose set it is ('' = the organisation's).
 */
export async function rulesForUser(db: Kysely<Database>, user: { orgId: string; team: string | null }): Promise<StoredRules & { team: string }> {
  if (user.team) {
    const own = await latestRules(db, user.orgId, user.team);
    if (own.version > 0) return { ...own, team: user.team };
  }
  return { ...(await latestRules(db, user.orgId, '')), team: '' };
}
