import { describe, expect, it } from 'vitest';
import type { LeadDetail } from '../../utils/api/contract';
import { countHotCallable, endingSoon, evictDetails, findByEmail, findByRef, leadsOwnedBy, nextBadgeBoundary } from '../../utils/db/queries';
import { refsInclude } from '../../utils/crm/tenant';
import { toLeadRow, type LeadLensDb } from '../../utils/db/schema';
import { badgeView, BADGE_COLORS, type BadgeTexts } from '../../utils/sync/badge';
import { freshDb, iso, lead, MIN, NOW } from './db-helpers';

const WINDOW = 120 * MIN;
const put = (db: LeadLensDb, ...summaries: ReturnType<typeof lead>[]) =>
  db.leads.bulkPut(summaries.map((s) => toLeadRow(s, 'u-sato', new Set())));

describe('badge count: hot, callable now, mine', () => {
  it.each([
    ['hot, mine, no cooldown', { band: 'hot' }, 1],
    ['warm', { band: 'warm' }, 0],
    ["a colleague's hot lead", { band: 'hot', owner: { id: 'u-other', name: '鈴木' } }, 0],
    ['hot, followed', { band: 'hot', owner: { id: 'u-other', name: '鈴木' }, followed: true }, 1],
    ['hot, blocked for another hour', { band: 'hot', cooldownUntil: iso(NOW + 60 * MIN) }, 0],
    ['hot, cooldown ended a minute ago', { band: 'hot', cooldownUntil: iso(NOW - MIN) }, 1],
    ['hot, cooldown ends right now', { band: 'hot', cooldownUntil: iso(NOW) }, 1],
  ] as const)('%s → %i', async (_name, extra, expected) => {
    const { db } = freshDb();
    await put(db, lead('L1', extra));
    expect(await countHotCallable(db, NOW)).toBe(expected);
  });

  it('counts by index, not by scan', async () => {
    const { db } = freshDb();
    await put(db, ...Array.from({ length: 50 }, (_, i) => lead(`L${i}`, { band: i % 5 === 0 ? 'hot' : 'cold' })));
    const scanned: string[] = [];
    db.use({ stack: 'dbcore', name: 'spy', create: (down) => ({ ...down, table: (name) => {
      const t = down.table(name);
      return { ...t, openCursor: (req) => { scanned.push(name); return t.openCursor(req); } };
    } }) });
    expect(await countHotCallable(db, NOW)).toBe(10);
    expect(scanned).toEqual([]);
  });
});

describe('urgent: under 30 minutes left in the call window', () => {
  it.each([
    ['need 100 min ago (20 left)', { needDetectedAt: iso(NOW - 100 * MIN) }, 1],
    ['need 80 min ago (40 left)', { needDetectedAt: iso(NOW - 80 * MIN) }, 0],
    ['need 130 min ago (missed)', { needDetectedAt: iso(NOW - 130 * MIN) }, 0],
    ['20 left but blocked', { needDetectedAt: iso(NOW - 100 * MIN), cooldownUntil: iso(NOW + MIN) }, 0],
  ] as const)('%s → %i', async (_name, extra, expected) => {
    const { db } = freshDb();
    await put(db, lead('L1', { band: 'hot', ...extra }));
    expect(await endingSoon(db, NOW, WINDOW).count()).toBe(expected);
  });
});

describe('next moment time alone changes the badge', () => {
  it.each([
    ['nothing pending', [], undefined],
    ['a cooldown ends in 45 min', [{ band: 'hot', cooldownUntil: iso(NOW + 45 * MIN) }], NOW + 45 * MIN],
    ['a window enters its last 30 min in 50 min', [{ band: 'hot', needDetectedAt: iso(NOW - 40 * MIN) }], NOW + 50 * MIN],
    ['an urgent window closes in 10 min', [{ band: 'hot', needDetectedAt: iso(NOW - 110 * MIN) }], NOW + 10 * MIN],
    ['the earliest of several', [{ band: 'hot', cooldownUntil: iso(NOW + 45 * MIN) }, { band: 'hot', needDetectedAt: iso(NOW - 110 * MIN) }], NOW + 10 * MIN],
    ['warm leads do not count', [{ band: 'warm', cooldownUntil: iso(NOW + 5 * MIN) }], undefined],
  ] as const)('%s', async (_name, extras, expected) => {
    const { db } = freshDb();
    await put(db, ...extras.map((extra, i) => lead(`L${i}`, extra)));
    expect(await nextBadgeBoundary(db, NOW, WINDOW)).toBe(expected);
  });
});

describe('lookups by index', () => {
  it('finds a lead by CRM reference, by email (any case) and by owner', async () => {
    const { db } = freshDb();
    await put(db, lead('L1', { email: 'Taro.Tanaka@Acme.example.jp', crmRefs: [{ crm: 'kintone', objectType: '12', recordId: '345' }, { crm: 'hubspot', objectType: '0-1', recordId: '51' }] }), lead('L2', { owner: { id: 'u-other', name: '鈴木' } }));
    expect((await findByRef(db, 'hubspot', '0-1', '51', '4455667'))?.id).toBe('L1');
    expect((await findByRef(db, 'kintone', '12', '345', 'acme.cybozu.com'))?.id).toBe('L1');
    expect(await findByRef(db, 'kintone', '12', '346', 'acme.cybozu.com')).toBeUndefined();
    expect((await findByEmail(db, ' taro.tanaka@acme.example.jp '))?.id).toBe('L1');
    expect(await leadsOwnedBy(db, 'u-other').primaryKeys()).toEqual(['L2']);
  });
});

describe('lookups by CRM reference, per tenant', () => {
  const kintone = (recordId: string, host?: string) => ({ crm: 'kintone' as const, objectType: '12', recordId, ...(host ? { host } : {}) });

  it("matches a ref of the same tenant, never another tenant's, and a ref without a tenant anywhere", async () => {
    const { db } = freshDb();
    await put(db, lead('OURS', { crmRefs: [kintone('34', 'acme.cybozu.com')] }), lead('ANY', { crmRefs: [kintone('35')] }));
    expect((await findByRef(db, 'kintone', '12', '34', 'acme.cybozu.com'))?.id).toBe('OURS');
    expect(await findByRef(db, 'kintone', '12', '34', 'partner.cybozu.com')).toBeUndefined();
    expect((await findByRef(db, 'kintone', '12', '35', 'partner.cybozu.com'))?.id).toBe('ANY');
  });

  it("prefers the tenant's own ref over one that names no tenant", async () => {
    const { db } = freshDb();
    await put(db, lead('ANY', { crmRefs: [kintone('34')] }), lead('OURS', { crmRefs: [kintone('34', 'acme.cybozu.com')] }), lead('THEIRS', { crmRefs: [kintone('34', 'partner.cybozu.com')] }));
    expect((await findByRef(db, 'kintone', '12', '34', 'acme.cybozu.com'))?.id).toBe('OURS');
    expect((await findByRef(db, 'kintone', '12', '34', 'partner.cybozu.com'))?.id).toBe('THEIRS');
    expect((await findByRef(db, 'kintone', '12', '34', 'other.cybozu.com'))?.id).toBe('ANY');
  });

  it("reads a ref's host in the tenant's canonical spelling (case, Salesforce's Lightning host, kintone secure access)", async () => {
    const { db } = freshDb();
    await put(db,
      lead('SF', { crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV', host: 'ACME.lightning.force.com' }] }),
      lead('KT', { crmRefs: [kintone('34', 'acme.s.cybozu.com')] }));
    expect((await findByRef(db, 'salesforce', 'Lead', '00Q5g00000AbCdEEAV', 'acme.my.salesforce.com'))?.id).toBe('SF');
    expect((await findByRef(db, 'kintone', '12', '34', 'acme.cybozu.com'))?.id).toBe('KT');
  });

  it('matches object types and ids as the server does (object type without case, Salesforce 15/18, Dynamics GUID braces)', async () => {
    const { db } = freshDb();
    await put(db,
      // As the server presents a ref: its matching key's object type, the id as the source gave it.
      lead('SF', { crmRefs: [{ crm: 'salesforce', objectType: 'lead', recordId: '00Q5g00000AbCdE', host: 'acme.my.salesforce.com' }] }),
      lead('DY', { crmRefs: [{ crm: 'dynamics', objectType: 'lead', recordId: '{3F2504E0-4F89-11D3-9A0C-0305E82C3301}' }] }));
    expect((await findByRef(db, 'salesforce', 'Lead', '00Q5g00000AbCdEEAV', 'acme.lightning.force.com'))?.id).toBe('SF');
    // Salesforce ids are case-sensitive on their core: another case is another record.
    expect(await findByRef(db, 'salesforce', 'Lead', '00Q5g00000ABCDEEAV', 'acme.lightning.force.com')).toBeUndefined();
    expect((await findByRef(db, 'dynamics', 'lead', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'acme.crm7.dynamics.com'))?.id).toBe('DY');
  });

  it("the background's check of an API answer uses the same rule", () => {
    const refs = [{ crm: 'salesforce', objectType: 'lead', recordId: '00Q5g00000AbCdE', host: 'acme.my.salesforce.com' }];
    expect(refsInclude(refs, { crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV', host: 'acme.lightning.force.com' })).toBe(true);
    expect(refsInclude(refs, { crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV', host: 'other.lightning.force.com' })).toBe(false);
    expect(refsInclude(refs, { crm: 'salesforce', objectType: 'Contact', recordId: '00Q5g00000AbCdEEAV', host: 'acme.lightning.force.com' })).toBe(false);
  });
});

describe('detail eviction', () => {
  const detail = (id: string): LeadDetail => ({ ...lead(id), breakdown: [], timeline: [], cooldowns: [], interests: [] });

  it('keeps the most recently viewed and every hot lead, evicts the rest, never summaries', async () => {
    const { db } = freshDb();
    await put(db, ...Array.from({ length: 6 }, (_, i) => lead(`L${i}`, { band: i === 0 ? 'hot' : 'warm' })));
    await db.details.bulkPut(Array.from({ length: 6 }, (_, i) => ({ id: `L${i}`, detail: detail(`L${i}`), fetchedAt: NOW, lastViewedAt: NOW + i })));
    expect(await evictDetails(db, 3)).toBe(2);
    expect((await db.details.toCollection().primaryKeys()).sort()).toEqual(['L0', 'L3', 'L4', 'L5']);
    expect(await db.leads.count()).toBe(6);
    expect(await evictDetails(db, 10)).toBe(0);
  });
});

describe('badge view', () => {
  const texts: BadgeTexts = {
    name: 'LeadLens', count: (n) => `${n} hot leads callable now`, urgent: (n) => `${n} with under 30 min left`,
    signIn: 'sign in again', failing: (e) => `sync failing: ${e.message}`, asOf: (t) => `as of ${new Date(t).toISOString().slice(11, 16)}`,
  };
  const offline = (minutesAgo: number) => ({ status: 'stale', lastSuccessAt: NOW - minutesAgo * MIN, lastError: { kind: 'unreachable', message: 'offline', at: NOW } }) as const;
  it.each([
    ['zero: empty', { count: 0, urgent: 0 }, { text: '', color: BADGE_COLORS.normal, title: 'LeadLens' }],
    ['count', { count: 4, urgent: 0 }, { text: '4', color: BADGE_COLORS.normal, title: 'LeadLens — 4 hot leads callable now' }],
    ['urgent is red', { count: 4, urgent: 1 }, { text: '4', color: BADGE_COLORS.urgent, title: 'LeadLens — 4 hot leads callable now · 1 with under 30 min left' }],
    ['capped text', { count: 1234, urgent: 0 }, { text: '999+', color: BADGE_COLORS.normal, title: 'LeadLens — 1234 hot leads callable now' }],
    ['sign-in needed', { count: 4, urgent: 0, state: { status: 'signin' } }, { text: '!', color: BADGE_COLORS.problem, title: 'LeadLens — sign in again' }],
    ['offline for 5 min: the cached count stays, marked', { count: 4, urgent: 0, state: offline(5) }, { text: '4', color: BADGE_COLORS.problem, title: 'LeadLens — 4 hot leads callable now · as of 00:55 · sync failing: offline' }],
    ['offline for 5 min, urgent stays red', { count: 4, urgent: 1, state: offline(5) }, { text: '4', color: BADGE_COLORS.urgent, title: 'LeadLens — 4 hot leads callable now · 1 with under 30 min left · as of 00:55 · sync failing: offline' }],
    ['failing for 31 min: "!"', { count: 4, urgent: 0, state: offline(31) }, { text: '!', color: BADGE_COLORS.problem, title: 'LeadLens — sync failing: offline' }],
    ['failing before any success: "!"', { count: 0, urgent: 0, state: { status: 'stale', lastError: { kind: 'unreachable', message: 'offline', at: NOW } } }, { text: '!', color: BADGE_COLORS.problem, title: 'LeadLens — sync failing: offline' }],
  ] as const)('%s', (_name, input, expected) => {
    expect(badgeView({ now: NOW, ...input }, texts)).toEqual(expected);
  });
});
