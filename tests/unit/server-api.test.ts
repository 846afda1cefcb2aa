// @vitest-environment node
/**
 * The server end to end through Fastify's inject, on every engine the machine has (PGlite
 * always, PostgreSQL when LEADLENS_TEST_DATABASE_URL is set): auth, scope, ingest, the change
 * feed, idempotent writes, tenants, localisation and hardening.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ChangesResponse, LeadDetail, LookupResponse, MeResponse, type LeadSummary } from '../../utils/api/contract';
import { IngestEventsResponse, IngestLeadsResponse } from '../../server/contract/ingest';
import type { DbHandle } from '../../server/db/connect';
import { Writable } from 'node:stream';
import pino from 'pino';
import { buildApp, requestSerializer } from '../../server/app';
import { ENGINES, newOrg, openForSuite, type Org } from './server-harness';

const CHROME_ORIGIN = `chrome-extension://${'a'.repeat(32)}`;

describe.each(ENGINES)('server on %s', (engine) => {
  let handle: DbHandle & { schema?: string };

  openForSuite(engine, (opened) => (handle = opened));

  /** An org with two reps of team east, one of team west, and their leads. */
  async function team(): Promise<{ org: Org; a: { id: string; token: string }; b: { id: string; token: string }; w: { id: string; token: string }; ids: Record<string, string> }> {
    const org = await newOrg(handle);
    const a = await org.user({ name: '佐藤 花子', email: 'sato@example.jp', role: 'rep', team: 'east' });
    const b = await org.user({ name: 'Ben Tanaka', email: 'ben@example.jp', role: 'rep', team: 'east' });
    const w = await org.user({ name: 'West Rep', email: 'west@example.jp', role: 'rep', team: 'west' });
    const res = await org.post('/v1/ingest/leads', org.admin, {
      leads: [
        { externalId: 'a1', name: 'A の顧客', ownerEmail: 'sato@example.jp', email: 'a1@cust.jp', crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEFGH' }] },
        { externalId: 'b1', name: 'B の顧客', ownerEmail: 'ben@example.jp', email: 'b1@cust.jp', crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000ZzZzZZZZ' }] },
        { externalId: 's1', name: 'East stock', team: 'east' },
        { externalId: 'w1', name: 'West stock', team: 'west' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(IngestLeadsResponse.parse(res.json())).toEqual({ upserted: 4, rejected: [] });
    const all = ChangesResponse.parse((await org.get('/v1/leads/changes', org.admin)).json());
    const ids = Object.fromEntries(all.leads.map((l) => [l.name, l.id]));
    return { org, a, b, w, ids: { a1: ids['A の顧客'] ?? '', b1: ids['B の顧客'] ?? '', s1: ids['East stock'] ?? '', w1: ids['West stock'] ?? '' } };
  }

  const names = (leads: readonly LeadSummary[]): string[] => leads.map((l) => l.name).sort();

  describe('auth', () => {
    it('401 for a missing, forged, prototype-named or revoked token; the health check is open', async () => {
      const org = await newOrg(handle);
      const rep = await org.user({ name: 'R', email: 'r@example.jp', role: 'rep', team: 'east' });
      expect((await org.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await org.app.inject({ url: '/v1/me' })).statusCode).toBe(401);
      for (const forged of ['constructor', '__proto__', 'toString', 'hasOwnProperty', `${rep.token}x`, 'll_' + 'A'.repeat(43)]) {
        const r = await org.get('/v1/me', forged);
        expect(r.statusCode, forged).toBe(401);
        expect(r.json()).toMatchObject({ error: { code: 'unauthorized' } });
      }
      expect((await org.app.inject({ url: '/v1/me', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
      const me = await org.get('/v1/me', rep.token);
      expect(MeResponse.parse(me.json())).toMatchObject({ user: { id: rep.id, email: 'r@example.jp' }, settings: { hotThreshold: 70, callWindowMinutes: 120 } });
      const revoke = await org.app.inject({ method: 'DELETE', url: `/v1/admin/users/${rep.id}/tokens`, headers: { authorization: `Bearer ${org.admin}` } });
      expect(revoke.json()).toEqual({ revoked: 1 });
      expect((await org.get('/v1/me', rep.token)).statusCode).toBe(401);
      expect((await org.get('/v1/leads/changes', rep.token)).statusCode).toBe(401);
      // An idle poll (the cheapest answer the server gives) is refused from the next request on too.
      const other = await org.user({ name: 'S', email: 's@example.jp', role: 'rep', team: 'east' });
      const tag = String((await org.get('/v1/leads/changes', other.token)).headers.etag);
      expect((await org.get('/v1/leads/changes', other.token, { 'if-none-match': tag })).statusCode).toBe(304);
      await org.app.inject({ method: 'DELETE', url: `/v1/admin/users/${other.id}/tokens`, headers: { authorization: `Bearer ${org.admin}` } });
      expect((await org.get('/v1/leads/changes', other.token, { 'if-none-match': tag })).statusCode).toBe(401);
    });

    it('admin creates a rep whose token works once shown; roles gate the routes', async () => {
      const org = await newOrg(handle);
      const created = await org.post('/v1/admin/users', org.admin, { name: '鈴木', email: 'suzuki@example.jp', role: 'rep', team: 'east' });
      expect(created.statusCode).toBe(201);
      const { user, token } = created.json() as { user: { id: string }; token: string };
      expect(token).toMatch(/^ll_[A-Za-z0-9_-]{43}$/);
      expect((await org.get('/v1/me', token)).json()).toMatchObject({ user: { id: user.id, name: '鈴木' } });
      expect((await org.post('/v1/admin/users', org.admin, { name: 'x', email: 'suzuki@example.jp', role: 'rep' })).statusCode).toBe(409);
      expect((await org.post('/v1/admin/users', token, { name: 'x', email: 'x@example.jp', role: 'admin' })).statusCode).toBe(403);
      expect((await org.post('/v1/ingest/events', token, { events: [] })).statusCode).toBe(403);
      const ingest = (await org.post('/v1/admin/users', org.admin, { name: 'Marketo', email: 'mkto@example.jp', role: 'ingest' })).json() as { token: string };
      expect((await org.post('/v1/ingest/events', ingest.token, { events: [] })).statusCode).toBe(202);
      expect((await org.get('/v1/leads/changes', ingest.token)).statusCode).toBe(403);
    });
  });

  describe('scope', () => {
    it("a rep sees own + team stock + followed leads, never another rep's (changes, lookup, detail)", async () => {
      const { org, a, b, w, ids } = await team();
      const feedA = ChangesResponse.parse((await org.get('/v1/leads/changes', a.token)).json());
      expect(names(feedA.leads)).toEqual(['A の顧客', 'East stock']);
      expect(names(ChangesResponse.parse((await org.get('/v1/leads/changes', b.token)).json()).leads)).toEqual(['B の顧客', 'East stock']);
      expect(names(ChangesResponse.parse((await org.get('/v1/leads/changes', w.token)).json()).leads)).toEqual(['West stock']);

      expect((await org.get(`/v1/leads/${ids.b1}`, a.token)).statusCode).toBe(404);
      expect((await org.get(`/v1/leads/${ids.w1}`, a.token)).statusCode).toBe(404);
      expect((await org.get('/v1/leads/lookup?crm=salesforce&objectType=Lead&recordId=00Q5g00000ZzZzZ', a.token)).statusCode).toBe(404);
      expect((await org.get('/v1/leads/lookup?email=b1@cust.jp', a.token)).statusCode).toBe(404);
      // The 15-character id from a URL finds the 18-character one.
      const own = await org.get('/v1/leads/lookup?crm=salesforce&objectType=lead&recordId=00Q5g00000AbCdE', a.token);
      expect(LookupResponse.parse(own.json()).lead.id).toBe(ids.a1);
      expect(LeadDetail.parse((await org.get(`/v1/leads/${ids.s1}`, a.token)).json()).name).toBe('East stock');

      // A follows the stock lead; it is then given to B: A keeps it (followed), W never had it.
      const cursor = feedA.cursor;
      expect((await org.app.inject({ method: 'PUT', url: `/v1/leads/${ids.s1}/follow`, headers: { authorization: `Bearer ${a.token}` } })).statusCode).toBe(204);
      await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 's1', name: 'East stock', ownerEmail: 'ben@example.jp' }, { externalId: 'a1', name: 'A の顧客', ownerEmail: 'ben@example.jp', email: 'a1@cust.jp' }] });
      const delta = ChangesResponse.parse((await org.get(`/v1/leads/changes?cursor=${cursor}`, a.token)).json());
      expect(delta.leads.map((l) => [l.name, l.followed ?? false])).toEqual([['East stock', true]]);
      // a1 moved to B: A is told to drop it, by id only.
      expect(delta.removed).toEqual([ids.a1]);
      expect((await org.get(`/v1/leads/${ids.a1}`, a.token)).statusCode).toBe(404);
      const wDelta = ChangesResponse.parse((await org.get('/v1/leads/changes', w.token)).json());
      expect(names(wDelta.leads)).toEqual(['West stock']);
    });

    it("a rep's and a manager's feed, walked two at a time, is exactly their scope once each: owned, team stock and followed leads interleaved", async () => {
      const { org, a, w } = await team();
      const mgr = await org.user({ name: 'East Manager', email: 'mgr@example.jp', role: 'manager', team: 'east' });
      const owners = ['sato@example.jp', 'ben@example.jp', undefined, 'west@example.jp'];
      const leads = Array.from({ length: 16 }, (_, i) => {
        const ownerEmail = owners[i % 4];
        return { externalId: `p${i}`, name: `P${i}`, ...(ownerEmail ? { ownerEmail } : { team: i % 8 === 2 ? 'east' : 'west' }) };
      });
      await org.post('/v1/ingest/leads', org.admin, { leads });
      const all = ChangesResponse.parse((await org.get('/v1/leads/changes?limit=500', org.admin)).json()).leads;
      const idOf = (name: string): string => all.find((l) => l.name === name)?.id ?? '';
      // A follows a stock lead and one of their own (a rep follows what they can see).
      for (const name of ['P2', 'P12']) await org.app.inject({ method: 'PUT', url: `/v1/leads/${idOf(name)}/follow`, headers: { authorization: `Bearer ${a.token}` } });
      const walk = async (token: string, from = ''): Promise<{ names: string[]; removed: string[]; cursor: string }> => {
        const names: string[] = [];
        const removed: string[] = [];
        let cursor = from;
        for (let page = 0; page < 30; page++) {
          const r = ChangesResponse.parse((await org.get(`/v1/leads/changes?limit=2${cursor ? `&cursor=${cursor}` : ''}`, token)).json());
          names.push(...r.leads.map((l) => l.name));
          removed.push(...r.removed);
          cursor = r.cursor;
          if (!r.hasMore) return { names, removed, cursor };
        }
        throw new Error('the feed did not end');
      };
      const sorted = (list: string[]): string[] => [...list].sort();
      // By hand: A owns P0, P4, P8, P12 (+ the team's a1); east stock is P2, P10 (+ s1).
      const feedA = await walk(a.token);
      expect(sorted(feedA.names)).toEqual(sorted(['A の顧客', 'East stock', 'P0', 'P4', 'P8', 'P12', 'P2', 'P10']));
      // The manager: every east lead (A's, Ben's, east stock), nothing west.
      const feedM = await walk(mgr.token);
      expect(sorted(feedM.names)).toEqual(sorted(['A の顧客', 'B の顧客', 'East stock', 'P0', 'P4', 'P8', 'P12', 'P1', 'P5', 'P9', 'P13', 'P2', 'P10']));
      expect(sorted((await walk(w.token)).names)).toEqual(sorted(['West stock', 'P3', 'P7', 'P11', 'P15', 'P6', 'P14']));
      // P4, P8 and P10 go to the west rep (A hears they left, two at a time); the followed stock
      // lead P2 goes to Ben (A keeps it); P0 is renamed.
      await org.post('/v1/ingest/leads', org.admin, { leads: [
        { externalId: 'p4', name: 'P4', ownerEmail: 'west@example.jp' }, { externalId: 'p8', name: 'P8', ownerEmail: 'west@example.jp' },
        { externalId: 'p10', name: 'P10', ownerEmail: 'west@example.jp' }, { externalId: 'p0', name: 'P0 renamed', ownerEmail: 'sato@example.jp' },
        { externalId: 'p2', name: 'P2', ownerEmail: 'ben@example.jp' },
      ] });
      const gone = sorted([idOf('P4'), idOf('P8'), idOf('P10')]);
      const deltaA = await walk(a.token, feedA.cursor);
      expect(sorted(deltaA.names)).toEqual(['P0 renamed', 'P2']);
      expect(sorted(deltaA.removed)).toEqual(gone);
      const deltaM = await walk(mgr.token, feedM.cursor);
      expect(sorted(deltaM.names)).toEqual(['P0 renamed', 'P2']);
      expect(sorted(deltaM.removed)).toEqual(gone);
    });

    it("a lead that leaves for another team's stock or for no team reaches its last owner and manager as removed, never as a lead", async () => {
      const { org, a, w, ids } = await team();
      const mgr = await org.user({ name: 'East Manager', email: 'mgr@example.jp', role: 'manager', team: 'east' });
      const c0 = ChangesResponse.parse((await org.get('/v1/leads/changes', a.token)).json()).cursor;
      const m0 = ChangesResponse.parse((await org.get('/v1/leads/changes', mgr.token)).json()).cursor;
      // a1 (A's, east) becomes west stock; s1 (east stock) becomes a lead of no team, owned by nobody.
      await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 'a1', name: 'A の顧客', team: 'west', email: 'a1@cust.jp' }, { externalId: 's1', name: 'East stock' }] });
      const deltaA = ChangesResponse.parse((await org.get(`/v1/leads/changes?cursor=${c0}`, a.token)).json());
      expect(deltaA.leads).toEqual([]);
      expect([...deltaA.removed].sort()).toEqual([ids.a1, ids.s1].sort());
      const deltaM = ChangesResponse.parse((await org.get(`/v1/leads/changes?cursor=${m0}`, mgr.token)).json());
      expect(deltaM.leads).toEqual([]);
      expect([...deltaM.removed].sort()).toEqual([ids.a1, ids.s1].sort());
      expect(names(ChangesResponse.parse((await org.get('/v1/leads/changes', w.token)).json()).leads)).toEqual(['A の顧客', 'West stock']);
    });

    it('a rep and a manager of no team: own and followed leads once each (a followed own lead too), no stock; what leaves goes out as removed', async () => {
      const org = await newOrg(handle);
      const rep = await org.user({ name: 'Solo', email: 'solo@example.jp', role: 'rep' });
      const mgr = await org.user({ name: 'Lone Manager', email: 'lone@example.jp', role: 'manager' });
      await org.post('/v1/ingest/leads', org.admin, { leads: [
        { externalId: 'o1', name: 'Own 1', ownerEmail: 'solo@example.jp' }, { externalId: 'o2', name: 'Own 2', ownerEmail: 'solo@example.jp' },
        { externalId: 'n1', name: 'Unowned, no team' }, { externalId: 'e1', name: 'East stock', team: 'east' },
      ] });
      const all = ChangesResponse.parse((await org.get('/v1/leads/changes', org.admin)).json()).leads;
      const idOf = (name: string): string => all.find((l) => l.name === name)?.id ?? '';
      // Neither can follow what they cannot see (east stock; the manager sees nothing at all)...
      for (const [token, name, status] of [[rep.token, 'Own 1', 204], [rep.token, 'East stock', 404], [mgr.token, 'Own 2', 404]] as const) {
        const put = await org.app.inject({ method: 'PUT', url: `/v1/leads/${idOf(name)}/follow`, headers: { authorization: `Bearer ${token}` } });
        expect(put.statusCode, name).toBe(status);
      }
      // ...so the manager's follows are from when they had a team.
      await handle.db.insertInto('follows').values(['Own 2', 'Unowned, no team'].map((name) => ({ org_id: org.orgId, user_id: mgr.id, lead_id: idOf(name), created_at: org.clock.now }))).execute();
      const feedR = ChangesResponse.parse((await org.get('/v1/leads/changes', rep.token)).json());
      expect(feedR.leads.map((l) => [l.name, l.followed ?? false]).sort()).toEqual([['Own 1', true], ['Own 2', false]]);
      const feedM = ChangesResponse.parse((await org.get('/v1/leads/changes', mgr.token)).json());
      expect(feedM.leads.map((l) => [l.name, l.followed ?? false]).sort()).toEqual([['Own 2', true], ['Unowned, no team', true]]);
      // Own 2 goes to east stock: the rep is told it left; the manager still follows it.
      await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 'o2', name: 'Own 2', team: 'east' }] });
      const deltaR = ChangesResponse.parse((await org.get(`/v1/leads/changes?cursor=${feedR.cursor}`, rep.token)).json());
      expect([deltaR.leads, deltaR.removed]).toEqual([[], [idOf('Own 2')]]);
      const deltaM = ChangesResponse.parse((await org.get(`/v1/leads/changes?cursor=${feedM.cursor}`, mgr.token)).json());
      expect([deltaM.leads.map((l) => l.name), deltaM.removed]).toEqual([['Own 2'], []]);
    });

    it('a manager sees the team; an admin sees everything', async () => {
      const { org } = await team();
      const mgr = await org.user({ name: 'Mgr', email: 'mgr@example.jp', role: 'manager', team: 'east' });
      expect(names(ChangesResponse.parse((await org.get('/v1/leads/changes', mgr.token)).json()).leads)).toEqual(['A の顧客', 'B の顧客', 'East stock']);
      expect(ChangesResponse.parse((await org.get('/v1/leads/changes', org.admin)).json()).leads).toHaveLength(4);
    });

    it('a kintone record in tenant A never resolves to the lead of tenant B', async () => {
      const org = await newOrg(handle);
      const ref = (host: string) => ({ crm: 'kintone', objectType: '12', recordId: '5', host });
      await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 'ka', name: 'Tenant A', crmRefs: [ref('a.cybozu.com')] }, { externalId: 'kb', name: 'Tenant B', crmRefs: [ref('b.cybozu.com')] }] });
      const look = async (host: string) => org.get(`/v1/leads/lookup?crm=kintone&objectType=12&recordId=5&host=${host}`, org.admin);
      expect(LookupResponse.parse((await look('a.cybozu.com')).json()).lead.name).toBe('Tenant A');
      expect(LookupResponse.parse((await look('B.cybozu.com')).json()).lead.name).toBe('Tenant B');
      expect((await look('c.cybozu.com')).statusCode).toBe(404);
      const ev = await org.post('/v1/ingest/events', org.admin, { events: [
        { id: 'k-1', lead: { ...ref('a.cybozu.com') }, type: 'form_submit', at: '2026-11-25T01:30:00Z', title: '問い合わせ' },
        { id: 'k-2', lead: { crm: 'kintone', objectType: '12', recordId: '5' }, type: 'download', at: '2026-11-25T01:30:00Z' },
      ] });
      // Without a host the record is ambiguous between two tenants: rejected, never guessed.
      expect(IngestEventsResponse.parse(ev.json())).toMatchObject({ accepted: 1, rejected: [{ index: 1 }] });
      const a = LookupResponse.parse((await look('a.cybozu.com')).json()).lead;
      const b = LookupResponse.parse((await look('b.cybozu.com')).json()).lead;
      expect([a.score, b.score]).toEqual([30, 0]);
      expect(a.crmRefs).toEqual([{ crm: 'kintone', objectType: '12', recordId: '5', host: 'a.cybozu.com' }]);
    });

    it('a lead whose only change is its CRM record moves in the feed (the extension finds leads by it); the same refs again do not', async () => {
      const org = await newOrg(handle);
      const lead = (recordId: string) => ({ externalId: 'r1', name: 'Ref only', crmRefs: [{ crm: 'kintone', objectType: '12', recordId, host: 'a.cybozu.com' }] });
      await org.post('/v1/ingest/leads', org.admin, { leads: [lead('5')] });
      const c0 = ChangesResponse.parse((await org.get('/v1/leads/changes', org.admin)).json()).cursor;
      await org.post('/v1/ingest/leads', org.admin, { leads: [lead('6')] });
      const moved = ChangesResponse.parse((await org.get(`/v1/leads/changes?cursor=${c0}`, org.admin)).json());
      expect(moved.leads.map((l) => [l.name, l.crmRefs])).toEqual([['Ref only', [{ crm: 'kintone', objectType: '12', recordId: '6', host: 'a.cybozu.com' }]]]);
      await org.post('/v1/ingest/leads', org.admin, { leads: [lead('6')] });
      expect(ChangesResponse.parse((await org.get(`/v1/leads/changes?cursor=${moved.cursor}`, org.admin)).json()).leads).toEqual([]);
    });
  });

  describe('ingest and scoring', () => {
    it('scores before returning, keeps the good items of a bad batch, and a replayed event id changes nothing', async () => {
      const { org, a, ids } = await team();
      const first = await org.get('/v1/leads/changes', a.token);
      const cursor = ChangesResponse.parse(first.json()).cursor;
      const res = await org.post('/v1/ingest/events', org.admin, { events: [
        { id: 'mkto-1', lead: { externalId: 'a1' }, type: 'seminar_attended', at: '2026-11-25T01:00:00Z', title: 'kintone活用セミナー' },
        { id: 'mkto-2', lead: { email: 'A1@cust.jp' }, type: 'form_submit', at: '2026-11-25T01:30:00Z', title: 'お問い合わせ' },
        { id: 'bad', lead: { externalId: 'a1' }, type: 'download', at: 'yesterday' },
        { id: 'ghost', lead: { externalId: 'nobody' }, type: 'download', at: '2026-11-25T01:30:00Z' },
        { id: 'mkto-3', lead: { externalId: 'a1' }, type: 'video_watched', at: '2026-11-25T01:40:00Z', title: '導入事例', meta: { watchedPercent: 90 } },
      ] });
      expect(res.statusCode).toBe(202);
      const body = IngestEventsResponse.parse(res.json());
      expect(body.accepted).toBe(3);
      expect(body.duplicates).toBe(0);
      expect(body.rejected.map((r) => r.index)).toEqual([2, 3]);
      expect(body.rejected[1]?.error).toMatch(/unknown lead/);
      // The change is in the next poll: 25 + 30 + 20 = 75, decayed by under an hour → 75, hot.
      const delta = ChangesResponse.parse((await org.get(`/v1/leads/changes?cursor=${cursor}`, a.token)).json());
      expect(delta.leads.map((l) => [l.id, l.score, l.band])).toEqual([[ids.a1, 75, 'hot']]);
      const after = delta.leads[0];

      const replay = IngestEventsResponse.parse((await org.post('/v1/ingest/events', org.admin, { events: [
        { id: 'mkto-1', lead: { externalId: 'a1' }, type: 'deal_lost', at: '2026-11-25T01:50:00Z' },
        { id: 'mkto-3', lead: { externalId: 'a1' }, type: 'video_watched', at: '2026-11-25T01:40:00Z', meta: { watchedPercent: 90 } },
      ] })).json());
      expect(replay).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
      const again = ChangesResponse.parse((await org.get(`/v1/leads/changes?cursor=${delta.cursor}`, a.token)).json());
      expect(again.leads).toEqual([]);
      const detail = LeadDetail.parse((await org.get(`/v1/leads/${ids.a1}`, a.token)).json());
      expect(detail.score).toBe(after?.score);
      expect(detail.timeline.map((e) => e.id)).toEqual(['mkto-3', 'mkto-2', 'mkto-1']);
    });

    it('notifies subscribers after commit with the moved leads', async () => {
      const { org, ids } = await team();
      const seen: string[][] = [];
      org.notifier.subscribe((c) => {
        if (c.orgId === org.orgId) seen.push(c.leadIds);
      });
      await org.post('/v1/ingest/events', org.admin, { events: [{ id: 'n-1', lead: { externalId: 'b1' }, type: 'download', at: '2026-11-25T01:00:00Z' }] });
      expect(seen).toEqual([[ids.b1]]);
    });

    it('answers in Japanese or English by Accept-Language', async () => {
      const { org, a, ids } = await team();
      await org.post('/v1/ingest/events', org.admin, { events: [{ id: 'l-1', lead: { externalId: 'a1' }, type: 'seminar_attended', at: '2026-11-25T01:00:00Z', title: 'DX' }, { id: 'l-2', lead: { externalId: 'a1' }, type: 'deal_lost', at: '2026-11-20T01:00:00Z', meta: { lossReason: 'price' } }] });
      const ja = LeadDetail.parse((await org.get(`/v1/leads/${ids.a1}`, a.token, { 'accept-language': 'ja-JP,ja;q=0.9' })).json());
      const en = LeadDetail.parse((await org.get(`/v1/leads/${ids.a1}`, a.token)).json());
      expect([ja.needReason, en.needReason]).toEqual(['セミナー参加: DX', 'Attended seminar: DX']);
      expect(ja.cooldowns.find((c) => c.reason === 'recently_lost')?.message).toMatch(/^5日前に失注\(価格\): 2026-12-04 10:00 .*まで架電しないでください。$/);
      expect(en.breakdown.find((f) => f.key === 'behavior:seminar_attended')?.label).toBe('Seminars attended');
      expect(ja.breakdown.find((f) => f.key === 'behavior:seminar_attended')?.label).toBe('セミナー参加');
    });

    it('a rules change is validated, versioned and re-scores the team', async () => {
      const { org, a, ids } = await team();
      await org.post('/v1/ingest/events', org.admin, { events: [{ id: 'r-1', lead: { externalId: 'a1' }, type: 'form_submit', at: '2026-11-25T01:00:00Z' }] });
      expect(LeadDetail.parse((await org.get(`/v1/leads/${ids.a1}`, a.token)).json()).band).toBe('cold');
      const current = (await org.get('/v1/admin/scoring', org.admin)).json() as { version: number; rules: Record<string, unknown> };
      expect(current.version).toBe(0);
      const put = (body: unknown) => org.app.inject({ method: 'PUT', url: '/v1/admin/scoring', headers: { authorization: `Bearer ${org.admin}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      expect((await put({ team: 'east', rules: { ...current.rules, hotThreshold: 20, warmThreshold: 30 } })).statusCode).toBe(400);
      const ok = await put({ team: 'east', rules: { ...current.rules, hotThreshold: 25, warmThreshold: 10 } });
      expect(ok.json()).toMatchObject({ team: 'east', version: 1 });
      expect(LeadDetail.parse((await org.get(`/v1/leads/${ids.a1}`, a.token)).json()).band).toBe('hot');
      expect(MeResponse.parse((await org.get('/v1/me', a.token)).json()).settings.hotThreshold).toBe(25);
      // Team west keeps the defaults.
      expect(MeResponse.parse((await org.get('/v1/me', org.admin)).json()).settings.hotThreshold).toBe(70);
    });

    it('decay reaches the feed through re-score on read and on schedule, and only moves a lead when what it shows changes', async () => {
      const { org, a, ids } = await team();
      await org.post('/v1/ingest/events', org.admin, { events: [{ id: 'd-1', lead: { externalId: 'a1' }, type: 'download', at: '2026-11-25T01:00:00Z' }] });
      const c0 = ChangesResponse.parse((await org.get('/v1/leads/changes', a.token)).json()).cursor;
      org.clock.advance(60_000);
      expect(await org.app.leadlens.rescoreAll()).toBe(0);
      org.clock.advance(7 * 86_400_000);
      expect(await org.app.leadlens.rescoreAll()).toBeGreaterThan(0);
      const delta = ChangesResponse.parse((await org.get(`/v1/leads/changes?cursor=${c0}`, a.token)).json());
      expect(delta.leads.find((l) => l.id === ids.a1)?.score).toBe(4);
    });
  });

  describe('re-score on read', () => {
    it('a lookup or detail after decay answers the decayed lead and moves it in the feed once; reads that change nothing write nothing', async () => {
      const { org, a, ids } = await team();
      await org.post('/v1/ingest/events', org.admin, { events: [{ id: 'r-1', lead: { externalId: 'a1' }, type: 'download', at: '2026-11-25T01:00:00Z' }] });
      const feed = async (cursor: string) => ChangesResponse.parse((await org.get(`/v1/leads/changes?cursor=${cursor}`, a.token)).json());
      const start = ChangesResponse.parse((await org.get('/v1/leads/changes', a.token)).json());
      const fresh = LookupResponse.parse((await org.get('/v1/leads/lookup?email=a1@cust.jp', a.token)).json()).lead;
      // Nothing moved: neither the lookup nor the detail wrote, so the feed has nothing new.
      expect(LeadDetail.parse((await org.get(`/v1/leads/${ids.a1}`, a.token)).json()).score).toBe(fresh.score);
      expect((await feed(start.cursor)).leads).toEqual([]);
      // A week of decay with no scheduled pass: the read re-scores and publishes the lead.
      org.clock.advance(7 * 86_400_000);
      const decayed = LookupResponse.parse((await org.get('/v1/leads/lookup?email=a1@cust.jp', a.token)).json()).lead;
      expect([fresh.score, decayed.score]).toEqual([8, 4]);
      const moved = await feed(start.cursor);
      expect(moved.leads.map((l) => [l.id, l.score])).toEqual([[ids.a1, 4]]);
      // Read again at the same time, by lookup and detail: already stored, nothing moves.
      expect(LeadDetail.parse((await org.get(`/v1/leads/${ids.a1}`, a.token)).json()).score).toBe(4);
      expect(LookupResponse.parse((await org.get('/v1/leads/lookup?email=a1@cust.jp', a.token)).json()).lead).toEqual(decayed);
      expect((await feed(moved.cursor)).leads).toEqual([]);
    });

    it.runIf(engine === 'postgres')("a lookup or detail of a lead that has not moved does not wait for a writer holding the organisation's lock", async () => {
      const { org, a, ids } = await team();
      await org.post('/v1/ingest/events', org.admin, { events: [{ id: 'l-1', lead: { externalId: 'a1' }, type: 'download', at: '2026-11-25T01:00:00Z' }] });
      // A writer (an ingest batch, a re-score) holds the organisation row until it commits.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked: (pid: number) => void = () => undefined;
      const writerPid = new Promise<number>((resolve) => (locked = resolve));
      const writer = handle.db.transaction().execute(async (tx) => {
        await tx.selectFrom('orgs').select('id').where('id', '=', org.orgId).forUpdate().execute();
        locked((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)).rows[0]?.pid ?? 0);
        await held;
      });
      const pid = await writerPid;
      // Another backend waiting for the writer's lock: the reads did not get by without it.
      let settled = false;
      const blocked = async (): Promise<string> => {
        while (!settled) {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid))`.execute(handle.db);
          if ((rows[0]?.n ?? 0) > 0) return 'waited for the lock';
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return 'settled';
      };
      try {
        const reads = Promise.all([org.get('/v1/leads/lookup?email=a1@cust.jp', a.token), org.get(`/v1/leads/${ids.a1}`, a.token)]).then((rs) => rs.map((r) => r.statusCode));
        expect(await Promise.race([reads, blocked()])).toEqual([200, 200]);
      } finally {
        settled = true;
        release();
        await writer;
      }
    });
  });

  describe('change feed', () => {
    it('a lead reads the same in the feed as through lookup, in either language: refs in order, owner, follow flag, need reason', async () => {
      const { org, a, ids } = await team();
      const upsert = await org.post('/v1/ingest/leads', org.admin, { leads: [{
        externalId: 'a1', name: 'A の顧客', ownerEmail: 'sato@example.jp', email: 'a1@cust.jp', company: '株式会社エー', phone: '03-1234-5678', crmRefs: [
          { crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEFGH' },
          { crm: 'kintone', objectType: '12', recordId: '7', host: 'acme.cybozu.com', url: 'https://acme.cybozu.com/k/12/show#record=7' },
          { crm: 'kintone', objectType: '12', recordId: '3', host: 'acme.cybozu.com' },
        ] }] });
      expect(upsert.statusCode).toBe(200);
      await org.post('/v1/ingest/events', org.admin, { events: [{ id: 'sem-1', lead: { externalId: 'a1' }, type: 'seminar_attended', at: '2026-11-25T01:30:00Z', title: 'セミナー' }] });
      expect((await org.app.inject({ method: 'PUT', url: `/v1/leads/${ids.a1}/follow`, headers: { authorization: `Bearer ${a.token}` } })).statusCode).toBe(204);
      for (const lang of ['ja', 'en']) {
        const looked = LookupResponse.parse((await org.get('/v1/leads/lookup?email=a1@cust.jp', a.token, { 'accept-language': lang })).json()).lead;
        const fed = ChangesResponse.parse((await org.get('/v1/leads/changes', a.token, { 'accept-language': lang })).json()).leads.find((l) => l.id === ids.a1);
        expect(fed).toEqual(looked);
        expect(fed?.crmRefs.map((r) => `${r.crm}/${r.recordId}`)).toEqual(['kintone/3', 'kintone/7', 'salesforce/00Q5g00000AbCdEFGH']);
        expect([fed?.owner?.name, fed?.followed, fed?.company, fed?.phone, fed?.needReason !== undefined]).toEqual(['佐藤 花子', true, '株式会社エー', '03-1234-5678', true]);
      }
    });

    it('a lead whose stored feed summary is missing (written before migration 0007) or stale (moved by a writer that does not re-score) is served from its columns, the same as a fresh one', async () => {
      const { org, a, ids } = await team();
      await org.post('/v1/ingest/events', org.admin, { events: [{ id: 'sem-1', lead: { externalId: 'a1' }, type: 'seminar_attended', at: '2026-11-25T01:30:00Z', title: 'セミナー' }] });
      expect((await org.app.inject({ method: 'PUT', url: `/v1/leads/${ids.s1}/follow`, headers: { authorization: `Bearer ${a.token}` } })).statusCode).toBe(204);
      const feed = async (lang: string, token: string): Promise<LeadSummary[]> =>
        ChangesResponse.parse((await org.get('/v1/leads/changes?limit=2', token, { 'accept-language': lang })).json()).leads;
      const readers = [['ja', a.token], ['en', a.token], ['ja', org.admin], ['en', org.admin]] as const;
      const fresh = await Promise.all(readers.map(([lang, token]) => feed(lang, token)));
      expect(fresh[0]?.map((l) => [l.name, l.followed, l.needReason !== undefined])).toEqual([['A の顧客', undefined, true], ['East stock', true, false]]);
      const stale = [
        sql`update leads set feed_view_seq = seq - 1 where org_id = ${org.orgId} and id = ${ids.a1}`,
        sql`update leads set feed_view = null, feed_view_ja = null, feed_view_seq = null where org_id = ${org.orgId} and id = ${ids.s1}`,
      ];
      for (const q of stale) await q.execute(handle.db);
      expect(await Promise.all(readers.map(([lang, token]) => feed(lang, token)))).toEqual(fresh);
    });

    it('a ref taken by another lead leaves the old lead\'s entry; an unchanged re-import keeps its time; following keeps the stored summary in use', async () => {
      const org = await newOrg(handle);
      const ref = { crm: 'kintone', objectType: '12', recordId: '9', host: 'acme.cybozu.com' };
      await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 'x1', name: 'First', crmRefs: [ref] }] });
      await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 'x2', name: 'Second', crmRefs: [ref] }] });
      const feed = async (): Promise<LeadSummary[]> => ChangesResponse.parse((await org.get('/v1/leads/changes', org.admin)).json()).leads;
      const byName = (leads: LeadSummary[]) => Object.fromEntries(leads.map((l) => [l.name, l]));
      const first = byName(await feed());
      expect([first.First?.crmRefs.length, first.Second?.crmRefs.map((r) => r.recordId)]).toEqual([0, ['9']]);
      // Nothing changed: the stored summary stays in use and reads as the lead's detail does.
      org.clock.advance(60_000);
      await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 'x2', name: 'Second', crmRefs: [ref] }] });
      const again = byName(await feed()).Second;
      const id = again?.id ?? '';
      expect(again).toEqual(first.Second);
      expect((await org.get(`/v1/leads/${id}`, org.admin)).json()).toMatchObject({ updatedAt: again?.updatedAt });
      expect((await org.app.inject({ method: 'PUT', url: `/v1/leads/${id}/follow`, headers: { authorization: `Bearer ${org.admin}` } })).statusCode).toBe(204);
      const row = await handle.db.selectFrom('leads').select(['seq', 'feed_view_seq']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.feed_view_seq).toBe(row.seq);
    });

    it('pages a snapshot by cursor, answers 304 to an idle poll, and resumes with only what changed', async () => {
      const org = await newOrg(handle);
      await org.post('/v1/ingest/leads', org.admin, { leads: Array.from({ length: 5 }, (_, i) => ({ externalId: `p${i}`, name: `Lead ${i}` })) });
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const r = ChangesResponse.parse((await org.get(`/v1/leads/changes?limit=2${cursor ? `&cursor=${cursor}` : ''}`, org.admin)).json());
        seen.push(...r.leads.map((l) => l.name));
        cursor = r.cursor;
        pages += 1;
        if (!r.hasMore) break;
      }
      expect([pages, seen.sort()]).toEqual([3, ['Lead 0', 'Lead 1', 'Lead 2', 'Lead 3', 'Lead 4']]);
      const idle = await org.get(`/v1/leads/changes?limit=2&cursor=${cursor}`, org.admin);
      expect(idle.json()).toMatchObject({ leads: [], removed: [], hasMore: false });
      const etag = String(idle.headers.etag);
      expect((await org.get(`/v1/leads/changes?limit=2&cursor=${cursor}`, org.admin, { 'if-none-match': etag })).statusCode).toBe(304);
      await org.post('/v1/ingest/events', org.admin, { events: [{ id: 'f-1', lead: { externalId: 'p3' }, type: 'email_click', at: '2026-11-25T01:00:00Z' }] });
      const moved = await org.get(`/v1/leads/changes?limit=2&cursor=${cursor}`, org.admin, { 'if-none-match': etag });
      expect(moved.statusCode).toBe(200);
      expect(ChangesResponse.parse(moved.json()).leads.map((l) => l.name)).toEqual(['Lead 3']);
      expect((await org.get('/v1/leads/changes?cursor=garbage!', org.admin)).statusCode).toBe(400);
    });
  });

  describe('exactly-once writes', () => {
    it('three concurrent activity POSTs with one key create one event; another body with that key is 422', async () => {
      const { org, a, ids } = await team();
      const body = { type: 'call', outcome: 'connected', at: '2026-11-25T01:55:00Z', note: '資料送付の依頼あり' };
      const post = (b: unknown) => org.post(`/v1/leads/${ids.a1}/activities`, a.token, b, { 'idempotency-key': 'k-123' });
      const answers = await Promise.all([post(body), post(body), post(body)]);
      expect(answers.map((r) => r.statusCode)).toEqual([201, 201, 201]);
      const eventIds = answers.map((r) => (r.json() as { event: { id: string } }).event.id);
      expect(new Set(eventIds).size).toBe(1);
      const detail = LeadDetail.parse((await org.get(`/v1/leads/${ids.a1}`, a.token)).json());
      expect(detail.timeline.filter((e) => e.type === 'call').map((e) => [e.id, e.actor, e.title, e.detail])).toEqual([[eventIds[0], '佐藤 花子', 'Call: connected', '資料送付の依頼あり']]);
      // Scored before the answer: a reached lead is "called recently".
      expect(detail.cooldowns.map((c) => c.reason)).toContain('recent_call');
      expect((await post({ ...body, outcome: 'no_answer' })).statusCode).toBe(422);
      expect((await org.post(`/v1/leads/${ids.a1}/activities`, a.token, body)).statusCode).toBe(400);
      // Every outcome of the contract is accepted.
      const outcomes = (await import('../../utils/api/contract')).CALL_OUTCOMES;
      for (const outcome of outcomes) {
        const r = await org.post(`/v1/leads/${ids.s1}/activities`, a.token, { ...body, outcome }, { 'idempotency-key': `o-${outcome}` });
        expect(r.statusCode, outcome).toBe(201);
      }
      // A rep cannot log on a lead outside the scope.
      expect((await org.post(`/v1/leads/${ids.b1}/activities`, a.token, body, { 'idempotency-key': 'k-x' })).statusCode).toBe(404);
    });

    it('keys expire after 7 days', async () => {
      const { org, a, ids } = await team();
      const body = { type: 'call', outcome: 'connected', at: '2026-11-25T01:55:00Z' };
      const first = await org.post(`/v1/leads/${ids.a1}/activities`, a.token, body, { 'idempotency-key': 'old' });
      org.clock.advance(8 * 86_400_000);
      const later = await org.post(`/v1/leads/${ids.a1}/activities`, a.token, body, { 'idempotency-key': 'old' });
      expect(later.statusCode).toBe(201);
      expect((later.json() as { event: { id: string } }).event.id).not.toBe((first.json() as { event: { id: string } }).event.id);
    });

    it('recycle answers 202', async () => {
      const { org, a, ids } = await team();
      const r = await org.post(`/v1/leads/${ids.a1}/recycle`, a.token, { track: 'nurture-dx', frequency: 'monthly', email: 'a1@cust.jp' });
      expect(r.statusCode).toBe(202);
    });
  });

  describe('hardening', () => {
    it('CORS only for configured extension origins, preflight included', async () => {
      const org = await newOrg(handle, { corsOrigins: [CHROME_ORIGIN] });
      const pre = (origin: string) => org.app.inject({ method: 'OPTIONS', url: '/v1/leads/changes', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
      const ok = await pre(CHROME_ORIGIN);
      expect([ok.statusCode, ok.headers['access-control-allow-origin'], ok.headers['access-control-allow-headers']]).toEqual([204, CHROME_ORIGIN, expect.stringContaining('Authorization')]);
      expect((await pre('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
      expect((await pre(`chrome-extension://${'b'.repeat(32)}`)).headers['access-control-allow-origin']).toBeUndefined();
      const get = await org.get('/v1/me', org.admin, { origin: CHROME_ORIGIN });
      expect(get.headers['access-control-allow-origin']).toBe(CHROME_ORIGIN);
    });

    it('logs carry no token, query string or email', async () => {
      const org = await newOrg(handle);
      const lines: string[] = [];
      const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
      const app = await buildApp({ db: handle.db, logger: pino({ serializers: { req: requestSerializer } }, sink), config: { rescoreIntervalMs: 0 } });
      await app.inject({ url: '/v1/leads/lookup?email=secret.person@example.jp', headers: { authorization: `Bearer ${org.admin}` } });
      await app.inject({ url: '/v1/me', headers: { authorization: 'Bearer forged-token-value' } });
      await app.close();
      const log = lines.join('');
      expect(log).toContain('/v1/leads/lookup');
      for (const secret of [org.admin, 'forged-token-value', 'secret.person', 'email=']) expect(log).not.toContain(secret);
    });

    it('JSON only, bounded bodies, and 429 with Retry-After past the per-token rate', async () => {
      const org = await newOrg(handle, { rateLimitPerMinute: 3, bodyLimitBytes: 2048 });
      const rep = await org.user({ name: 'R', email: 'r@example.jp', role: 'rep', team: 'east' });
      const text = await org.app.inject({ method: 'POST', url: '/v1/leads/x/recycle', headers: { authorization: `Bearer ${org.admin}`, 'content-type': 'text/plain' }, payload: 'hi' });
      expect([text.statusCode, text.json()]).toEqual([415, { error: { code: 'unsupported_media_type', message: expect.any(String) } }]);
      const big = await org.post('/v1/leads/x/recycle', org.admin, { track: 'x'.repeat(5000), frequency: 'weekly', email: 'a@b.jp' });
      expect([big.statusCode, big.json()]).toEqual([413, { error: { code: 'payload_too_large', message: expect.any(String) } }]);
      const broken = await org.app.inject({ method: 'POST', url: '/v1/leads/x/recycle', headers: { authorization: `Bearer ${org.admin}`, 'content-type': 'application/json' }, payload: '{"track":' });
      expect(broken.statusCode).toBe(400);
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await org.get('/v1/me', rep.token)).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const limited = await org.get('/v1/me', rep.token);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      org.clock.advance(60_000);
      expect((await org.get('/v1/me', rep.token)).statusCode).toBe(200);
    });
  });
});
