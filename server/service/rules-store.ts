/** Scoring rules per team, versioned: the latest version of the team's set, else the org's, else the defaults. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { DEFAULT_RULES, ScoringRules } from '../scoring/rules';

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
    const parsed = ScoringRules.safeParse(row.rules);
    // A stored set was validated on the way in; one that no longer parses (a newer server
    // wrote it) falls back to the defaults rather than stopping every score.
    if (parsed.success) byTeam.set(row.team, parsed.data);
  }
  const orgDefault = byTeam.get('') ?? DEFAULT_RULES;
  return { forTeam: (team) => (team ? byTeam.get(team) : undefined) ?? orgDefault };
}

export async function latestRules(db: Kysely<Database>, orgId: string, team: string): Promise<{ version: number; rules: ScoringRules }> {
  const row = await db.selectFrom('scoring_rules').select(['version', 'rules']).where('org_id', '=', orgId).where('team', '=', team)
    .orderBy('version', 'desc').limit(1).executeTakeFirst();
  const parsed = row ? ScoringRules.safeParse(row.rules) : undefined;
  return parsed?.success && row ? { version: row.version, rules: parsed.data } : { version: 0, rules: DEFAULT_RULES };
}
