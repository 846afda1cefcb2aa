// The team open around the clock, so "callable now" (badge, Hot now) does not depend on when CI
// runs; the business-hours story itself is tested in call-loop.e2e.ts and the policy tables.
import type { ExtensionBrowser } from '../../demo/browser';
import { DEFAULT_TEAM_POLICY, type TeamPolicy } from '../../utils/policy/team-policy';

export const ALL_WEEK_POLICY: TeamPolicy = {
  ...DEFAULT_TEAM_POLICY,
  businessHours: { start: '00:00', end: '24:00', days: [0, 1, 2, 3, 4, 5, 6], timeZone: 'Asia/Tokyo' },
  japaneseHolidays: false,
  closedDates: [],
};

/** Sets the team policy as the extension stores it (storage.sync). */
export async function setTeamPolicy(browser: ExtensionBrowser, policy: TeamPolicy): Promise<void> {
  await browser.worker.evaluate(async (value) => { await chrome.storage.sync.set({ teamPolicy: value }); }, policy);
}

export async function openAllWeek(browser: ExtensionBrowser): Promise<void> {
  await setTeamPolicy(browser, ALL_WEEK_POLICY);
}
