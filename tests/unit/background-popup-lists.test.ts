// The popup's lists, computed by the background on a real (fake-indexeddb) cache.
import { describe, expect, it } from 'vitest';
import { popupLists } from '../../utils/background/popup-lists';
import { toLeadRow } from '../../utils/db/schema';
import { DEFAULT_TEAM_POLICY, type TeamPolicy } from '../../utils/policy/team-policy';
import { DEFAULT_PREFERENCES } from '../../utils/preferences/schema';
import { freshDb, iso, lead, MIN, NOW } from './db-helpers';

const ALL_WEEK: TeamPolicy = {
  ...DEFAULT_TEAM_POLICY,
  businessHours: { start: '00:00', end: '24:00', days: [0, 1, 2, 3, 4, 5, 6], timeZone: 'Asia/Tokyo' },
  japaneseHolidays: false,
  closedDates: [],
};

describe('the popup\'s lists', () => {
  it('lists my hot leads by the badge\'s rules, the unowned warm stock and the followed leads', async () => {
    const { db } = freshDb();
    await db.leads.bulkPut([
      toLeadRow(lead('H1', { band: 'hot', needDetectedAt: iso(NOW - 100 * MIN) }), 'u-sato', new Set()),
      toLeadRow(lead('H2', { band: 'hot', needDetectedAt: iso(NOW - 10 * MIN) }), 'u-sato', new Set()),
      toLeadRow(lead('B1', { band: 'hot', needDetectedAt: iso(NOW - 10 * MIN), cooldownUntil: iso(NOW + 60 * MIN) }), 'u-sato', new Set()),
      toLeadRow(lead('S1', { band: 'warm', score: 60, owner: undefined }), 'u-sato', new Set()),
      toLeadRow(lead('S2', { band: 'warm', score: 65, owner: undefined }), 'u-sato', new Set()),
      toLeadRow(lead('F1', { owner: { id: 'u-other', name: 'x' } }), 'u-sato', new Set(['F1'])),
    ]);
    const lists = await popupLists({ db, now: () => NOW, teamPolicy: async () => ALL_WEEK, preferences: async () => ({ ...DEFAULT_PREFERENCES, followed: ['F1', 'GONE'] }) });
    // H1 has 20 minutes of its two hours left: the most pressing first. B1 is blocked.
    expect(lists.hot.map((row) => row.lead.id)).toEqual(['H1', 'H2']);
    expect(lists.hot[0]?.window).toMatchObject({ state: 'open', remainingMs: 20 * MIN });
    expect(lists.counts).toMatchObject({ count: 2, urgent: 1 });
    expect(lists.stock.map((l) => l.id)).toEqual(['S2', 'S1']);
    expect(lists.following.map((l) => l.id)).toEqual(['F1']);
    expect(lists.timeZone).toBe('Asia/Tokyo');
    expect(lists.windowMinutes).toBe(120);
    // What crosses to the popup survives the extension's JSON messaging unchanged.
    expect(JSON.parse(JSON.stringify(lists))).toEqual(lists);
  });

  it('counts a call just logged (in the outbox) against the hot list', async () => {
    const { db } = freshDb();
    await db.leads.put(toLeadRow(lead('H1', { band: 'hot', needDetectedAt: iso(NOW - 30 * MIN) }), 'u-sato', new Set()));
    await db.outbox.add({ key: 'k1', kind: 'activity', leadId: 'H1', body: { type: 'call', outcome: 'connected', at: iso(NOW - MIN) }, createdAt: NOW - MIN, status: 'pending', attempts: 0 });
    const lists = await popupLists({ db, now: () => NOW, teamPolicy: async () => ALL_WEEK, preferences: async () => DEFAULT_PREFERENCES });
    expect(lists.hot).toEqual([]);
    expect(lists.counts.count).toBe(0);
  });
});
