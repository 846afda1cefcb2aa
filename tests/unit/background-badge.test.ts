// The badge module on a real (fake-indexeddb) cache: what it shows and when it looks again.
import { describe, expect, it } from 'vitest';
import { BADGE_ALARM, updateBadge, type BadgeBrowser } from '../../utils/background/badge';
import { toLeadRow } from '../../utils/db/schema';
import { DEFAULT_TEAM_POLICY, type TeamPolicy } from '../../utils/policy/team-policy';
import { freshDb, iso, lead, MIN, NOW } from './db-helpers';

const ALL_WEEK: TeamPolicy = {
  ...DEFAULT_TEAM_POLICY,
  businessHours: { start: '00:00', end: '24:00', days: [0, 1, 2, 3, 4, 5, 6], timeZone: 'Asia/Tokyo' },
  japaneseHolidays: false,
  closedDates: [],
};
/** Open Monday to Friday 09:00–19:00 Tokyo; NOW is Tuesday 10:00 there. */
const OFFICE: TeamPolicy = { ...ALL_WEEK, businessHours: { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo' } };

function fakeBrowser() {
  const shown: { text?: string; color?: string; title?: string } = {};
  const alarms = new Map<string, number>();
  const browser: BadgeBrowser = {
    action: {
      setBadgeText: async ({ text }) => { shown.text = text; },
      setBadgeBackgroundColor: async ({ color }) => { shown.color = color; },
      setTitle: async ({ title }) => { shown.title = title; },
    },
    alarms: {
      create: async (name, { when }) => { alarms.set(name, when); },
      clear: async (name) => alarms.delete(name),
    },
  };
  return { browser, shown, alarms };
}

async function badgeFor(policy: TeamPolicy, at: number, ...summaries: ReturnType<typeof lead>[]) {
  const { db } = freshDb();
  await db.leads.bulkPut(summaries.map((s) => toLeadRow(s, 'u-sato', new Set())));
  const fake = fakeBrowser();
  const result = await updateBadge({ browser: fake.browser, db, teamPolicy: async () => policy, now: () => at });
  return { ...fake, result };
}

describe('the badge module', () => {
  it('counts a hot lead of mine in its window and looks again when the window is about to turn', async () => {
    const need = NOW - 30 * MIN;
    const { shown, alarms, result } = await badgeFor(ALL_WEEK, NOW, lead('L1', { band: 'hot', needDetectedAt: iso(need) }), lead('L2', { band: 'warm' }));
    expect(shown.text).toBe('1');
    expect(result.view.text).toBe('1');
    const next = alarms.get(BADGE_ALARM);
    expect(next).toBeGreaterThan(NOW);
    // Never later than the window's end (two hours after the need), a second after the boundary.
    expect(next).toBeLessThanOrEqual(need + 120 * MIN + 1000);
  });

  it('shows nothing callable outside business hours, and looks again by the opening at the latest', async () => {
    const evening = Date.parse('2026-11-24T10:30:00Z'); // Tuesday 19:30 Tokyo
    const { shown, alarms } = await badgeFor(OFFICE, evening, lead('L1', { band: 'hot', needDetectedAt: iso(evening - 30 * MIN) }));
    expect(shown.text).toBe('');
    const next = alarms.get(BADGE_ALARM) ?? 0;
    expect(next).toBeGreaterThan(evening);
    expect(next).toBeLessThanOrEqual(Date.parse('2026-11-25T00:00:00Z') + 1000); // Wednesday 09:00 Tokyo
  });

  it('does not count a blocked lead', async () => {
    const { shown } = await badgeFor(ALL_WEEK, NOW, lead('L1', { band: 'hot', cooldownUntil: '9999-12-31T00:00:00.000Z' }));
    expect(shown.text).toBe('');
  });

  it('with nothing hot, looks again only when the team closes (the count could change then)', async () => {
    const { shown, alarms } = await badgeFor(OFFICE, NOW, lead('L1', { band: 'cold' }));
    expect(shown.text).toBe('');
    expect(alarms.get(BADGE_ALARM)).toBe(Date.parse('2026-11-24T10:00:00Z') + 1000); // Tuesday 19:00 Tokyo
  });
});
