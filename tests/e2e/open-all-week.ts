// The team open around the clock, so "callable now" (badge, Hot now) does not depend on when CI
// runs; the business-hours story itself is tested in call-loop.e2e.ts and the policy tables.
import type { ExtensionBrowser } from '../../demo/browser';

export const ALL_WEEK_POLICY = {
  lostCooldownDays: 14, recentCallHours: 48, contactCapCalls: 3, contactCapDays: 30, callWindowMinutes: 120, retryMinutes: 30,
  businessHours: { start: '00:00', end: '24:00', days: [0, 1, 2, 3, 4, 5, 6], timeZone: 'Asia/Tokyo' }, japaneseHolidays: false, closedDates: [],
};

export async function openAllWeek(browser: ExtensionBrowser): Promise<void> {
  await browser.worker.evaluate((policy) => chrome.storage.sync.set({ teamPolicy: policy }), ALL_WEEK_POLICY);
}
