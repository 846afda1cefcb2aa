// The team open around the clock, so "callable now" (badge, Hot now) does not depend on when CI
// runs; the business-hours story itself is tested in call-loop.e2e.ts and the policy tables.
//
// Where a team's policy lives: with a LeadLens server connected, on the server (the team's
// scoring rules, served as GET /v1/policy, which wins over the rep's own settings); without one,
// in the rep's own settings (storage.sync). The helpers set both, as the test's setup has them.
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { ExtensionBrowser } from '../../demo/browser';
import type { Database } from '../../server/db/schema';
import { withTeamPolicy } from '../../server/scoring/policy';
import { DEFAULT_RULES } from '../../server/scoring/rules';
import { DEFAULT_TEAM_POLICY, type TeamPolicy } from '../../utils/policy/team-policy';

export const ALL_WEEK_POLICY: TeamPolicy = {
  ...DEFAULT_TEAM_POLICY,
  businessHours: { start: '00:00', end: '24:00', days: [0, 1, 2, 3, 4, 5, 6], timeZone: 'Asia/Tokyo' },
  japaneseHolidays: false,
  closedDates: [],
};

/** Whatever sets the team's policy on the server side: the demo stack's admin API (stack.api), or rulesInDb. */
export interface PolicyServer {
  setTeamPolicy(policy: TeamPolicy): Promise<unknown>;
}

/** The server's policy as the extension holds it (chrome.storage.local), if any. */
export async function serverPolicyIn(browser: ExtensionBrowser): Promise<{ policy: TeamPolicy; version: number } | undefined> {
  return browser.worker.evaluate(async () => (await chrome.storage.local.get('serverTeamPolicy')).serverTeamPolicy as { policy: TeamPolicy; version: number } | undefined ?? undefined);
}

/** "Sync now" (as the popup's button sends it) until the extension holds `policy` from the server. */
export async function syncUntilPolicy(browser: ExtensionBrowser, policy: TeamPolicy): Promise<void> {
  const page = await browser.context.newPage();
  await page.goto(browser.extensionUrl('options.html'));
  await expect.poll(async () => {
    await page.evaluate(() => chrome.runtime.sendMessage({ type: 'syncNow' }));
    return (await serverPolicyIn(browser))?.policy;
  }, { timeout: 20_000 }).toEqual(policy);
  await page.close();
}

/**
 * Sets the team policy: the rep's own copy, and with `server` the team's rules there. When the
 * extension already holds a server policy (it is connected), syncs until it holds the new one;
 * otherwise its first sync after connecting fetches it.
 */
export async function setTeamPolicy(browser: ExtensionBrowser, policy: TeamPolicy, server?: PolicyServer): Promise<void> {
  await browser.worker.evaluate(async (value) => { await chrome.storage.sync.set({ teamPolicy: value }); }, policy);
  if (!server) return;
  await server.setTeamPolicy(policy);
  if (await serverPolicyIn(browser)) await syncUntilPolicy(browser, policy);
}

export async function openAllWeek(browser: ExtensionBrowser, server?: PolicyServer): Promise<void> {
  await setTeamPolicy(browser, ALL_WEEK_POLICY, server);
}

/** For a test that runs its own server: writes the organisation's (or a team's) rules as a new version. */
export function rulesInDb(db: Kysely<Database>, orgId: string, team = ''): PolicyServer {
  return {
    async setTeamPolicy(policy) {
      const top = await db.selectFrom('scoring_rules').select(({ fn }) => fn.max('version').as('v')).where('org_id', '=', orgId).where('team', '=', team).executeTakeFirst();
      await db.insertInto('scoring_rules').values({
        org_id: orgId, team, version: (top?.v ?? 0) + 1, rules: JSON.stringify(withTeamPolicy(DEFAULT_RULES, policy)), created_at: Date.now(), created_by: null,
      }).execute();
    },
  };
}
