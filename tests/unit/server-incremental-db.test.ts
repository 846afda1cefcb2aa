/**
 * Incremental scoring through the real ingest route and database (PGlite and PostgreSQL):
 * random events arrive in batches over days (late ones and replays among them); after every
 * batch each lead's stored summary and fingerprint must be what a full re-score of its stored
 * history gives (the model, scoreLead, is the oracle). The state's round trip through the
 * database is part of what is checked: a state read back differently would change the
 * fingerprint and bump the lead for nothing.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DbHandle } from '../../server/db/connect';
import { scoreLead } from '../../server/scoring/model';
import { DEFAULT_RULES } from '../../server/scoring/rules';
import { eventsOf, fingerprintOf, refsOf, storedScore } from '../../server/service/rescore';
import { ingestEvents } from '../../server/service/ingest';
import { rescoreAll } from '../../server/service/rescore-all';
import { ENGINES, newOrg, openForSuite, type Org } from './server-harness';
import { mulberry32 } from '../../demo/story/dataset';

const DAY = 86_400_000;
const HOUR = 3_600_000;

const KINDS: { type: string; meta?: Record<string, unknown> }[] = [
  { type: 'email_open' }, { type: 'email_click' }, { type: 'key_page' }, { type: 'download' }, { type: 'seminar_attended' },
  { type: 'form_submit' }, { type: 'video_watched', meta: { watchedPercent: 92, topic: 'kintone' } }, { type: 'deal_lost', meta: { lossReason: 'timing' } },
  { type: 'deal_won' }, { type: 'meeting_set' }, { type: 'complaint' }, { type: 'call', meta: { outcome: 'lost' } }, { type: 'call', meta: { outcome: 'no_answer' } },
];

/** Another writer holding the organisation row (`for update`) until released; its backend's pid. */
function holdOrgRow(handle: DbHandle, orgId: string): { holderPid: Promise<number>; release(): void; holder: Promise<void> } {
  let locked!: (pid: number) => void;
  let release!: () => void;
  const holderPid = new Promise<number>((resolve) => (locked = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const holder = handle.db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid from orgs where id = ${orgId} for update`.execute(tx);
    locked(rows[0]?.pid ?? -1);
    await released;
  });
  return { holderPid, release, holder };
}

describe.each(ENGINES)('incremental scoring on %s', (engine) => {
  let handle: DbHandle & { schema?: string };

  openForSuite(engine, (opened) => (handle = opened));

  /** Every lead's stored score and fingerprint against a full re-score of its stored events at `now`. */
  async function expectFullAnswer(org: Org, now: number, label: string): Promise<number> {
    const rows = await handle.db.selectFrom('leads').selectAll().where('org_id', '=', org.orgId).orderBy('id').execute();
    const ids = rows.map((r) => r.id);
    const [events, refs, states] = await Promise.all([
      eventsOf(handle.db, org.orgId, ids), refsOf(handle.db, org.orgId, ids),
      handle.db.selectFrom('lead_states').select('lead_id').where('org_id', '=', org.orgId).execute(),
    ]);
    const withState = new Set(states.map((s) => s.lead_id));
    for (const row of rows) {
      const profile = { ...(row.job_title !== null ? { jobTitle: row.job_title } : {}), ...(row.employees !== null ? { employees: row.employees } : {}), createdAt: row.created_at };
      const want = storedScore(scoreLead(profile, events.get(row.id) ?? [], now, DEFAULT_RULES));
      expect({ label, lead: row.external_id, score: row.score }).toEqual({ label, lead: row.external_id, score: want });
      expect({ label, lead: row.external_id, fingerprint: row.fingerprint }).toEqual({ label, lead: row.external_id, fingerprint: fingerprintOf(row, refs.get(row.id) ?? [], want) });
      expect(withState.has(row.id), `${label} ${row.external_id} has a running state`).toBe(true);
    }
    return rows.length;
  }

  it('random batches over three weeks: every lead equals its full re-score after each batch and each scheduled re-score', async () => {
    const org = await newOrg(handle);
    const ingest = (await org.user({ name: 'Ingest', email: 'ingest@example.jp', role: 'ingest' })).token;
    const rnd = mulberry32(20261127);
    const LEADS = 24;
    const leads = Array.from({ length: LEADS }, (_, i) => ({
      externalId: `L${i}`, name: `Lead ${i}`,
      ...(i % 3 === 0 ? { employees: 150 + i * 40 } : {}),
      ...(i % 4 === 0 ? { jobTitle: '営業部長' } : {}),
    }));
    expect((await org.post('/v1/ingest/leads', org.admin, { leads })).json()).toMatchObject({ upserted: LEADS, rejected: [] });
    const deps = { db: handle.db, clock: org.clock.fn, notifier: org.notifier };
    let n = 0;
    const sent: unknown[] = [];
    for (let round = 0; round < 14; round++) {
      org.clock.advance(Math.floor(rnd() < 0.4 ? rnd() * 8 * HOUR : rnd() * 3 * DAY));
      const now = org.clock.now;
      const events: unknown[] = [];
      for (let i = 0; i < 30; i++) {
        const kind = KINDS[Math.floor(rnd() * KINDS.length)] ?? { type: 'email_open' };
        const r = rnd();
        // Mostly fresh; some late by up to a month (the full path), a few a little in the future.
        const at = now - Math.floor(r < 0.8 ? rnd() * 1.5 * DAY : r < 0.92 ? rnd() * 30 * DAY : -rnd() * 3 * HOUR);
        events.push({
          id: `ev-${n++}`, lead: { externalId: `L${Math.floor(rnd() * LEADS)}` }, type: kind.type, at: new Date(at).toISOString(), title: `${kind.type} #${n}`,
          ...(rnd() < 0.2 ? { channel: rnd() < 0.5 ? 'web' : 'event' } : {}),
          ...(kind.meta ? { meta: kind.meta } : {}),
        });
      }
      // A replay of earlier events is a no-op: nothing folds twice.
      const replay = sent.slice(-5);
      const res = await org.post('/v1/ingest/events', ingest, { events: [...events, ...replay] });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ accepted: events.length, duplicates: replay.length });
      sent.push(...events);
      // Touched leads were scored at `now` by the ingest; the scheduled re-score brings the rest to `now`.
      await rescoreAll(deps, org.orgId);
      expect(await expectFullAnswer(org, now, `round ${round}`)).toBe(LEADS);
      // A later scheduled re-score without events answers from the states alone.
      org.clock.advance(Math.floor(rnd() * 2 * DAY));
      await rescoreAll(deps, org.orgId);
      await expectFullAnswer(org, org.clock.now, `round ${round}, later`);
    }
  }, 240_000);

  // PGlite runs one transaction at a time; PostgreSQL runs two ingest batches side by side.
  it.runIf(engine === 'postgres')('two batches for one lead at once: both reach its running state (neither scores from a state the other is replacing)', async () => {
    const org = await newOrg(handle);
    const ingest = (await org.user({ name: 'Ingest', email: 'ingest@example.jp', role: 'ingest' })).token;
    await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 'x', name: 'X' }] });
    const at = new Date(org.clock.now - HOUR).toISOString();
    const event = (id: string) => ({ id, lead: { externalId: 'x' }, type: 'form_submit', at, title: id });
    expect((await org.post('/v1/ingest/events', ingest, { events: [event('first')] })).json()).toMatchObject({ accepted: 1 });
    // Hold the organisation row so both batches are inside their transactions before either scores.
    const { holderPid, release, holder } = holdOrgRow(handle, org.orgId);
    const pid = await holderPid;
    const a = org.post('/v1/ingest/events', ingest, { events: [event('a')] });
    const b = org.post('/v1/ingest/events', ingest, { events: [event('b')] });
    const deadline = Date.now() + 20_000;
    for (;;) {
      // The second waiter on a row queues behind the first one, not the holder.
      const { rows } = await sql<{ n: number }>`
        with first as (select pid from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid)))
        select count(*)::int as n from pg_stat_activity s
        where s.pid in (select pid from first) or exists (select 1 from first f where f.pid = any(pg_blocking_pids(s.pid)))`.execute(handle.db);
      if ((rows[0]?.n ?? 0) >= 2) break;
      if (Date.now() > deadline) throw new Error('the two batches never waited on the organisation row');
    }
    release();
    await holder;
    expect((await a).json()).toMatchObject({ accepted: 1 });
    expect((await b).json()).toMatchObject({ accepted: 1 });
    await expectFullAnswer(org, org.clock.now, 'after two concurrent batches');
  }, 60_000);

  // What the organisation row guards, with three writers over many shared leads: each
  // batch folds its events into the states the previous one wrote (none is lost), and the feed
  // numbers every bump once, in one gapless run per batch, batches one after another.
  it.runIf(engine === 'postgres')('three batches over the same 40 leads at once: no fold lost, every bump numbered once, runs back to back', async () => {
    const org = await newOrg(handle);
    const ingest = (await org.user({ name: 'Ingest', email: 'ingest@example.jp', role: 'ingest' })).token;
    const LEADS = 40;
    await org.post('/v1/ingest/leads', org.admin, { leads: Array.from({ length: LEADS }, (_, i) => ({ externalId: `c${i}`, name: `C ${i}` })) });
    const before = (await handle.db.selectFrom('orgs').select('seq').where('id', '=', org.orgId).executeTakeFirstOrThrow()).seq;
    const emitted: { leadIds: string[]; seq: number }[] = [];
    const unsubscribe = org.notifier.subscribe((c) => {
      if (c.orgId === org.orgId) emitted.push({ leadIds: c.leadIds, seq: c.seq });
    });
    const types = ['email_click', 'download', 'key_page', 'form_submit'];
    const batch = (b: number) => Array.from({ length: LEADS }, (_, i) => ({
      id: `b${b}-${i}`, lead: { externalId: `c${(i + b * 7) % LEADS}` }, type: types[b] ?? 'email_open', at: new Date(org.clock.now - (b + 1) * 60_000).toISOString(), title: `b${b}`,
    }));
    // Every batch waits on the held organisation row (directly or behind another waiter) before any scores.
    const { holderPid, release, holder } = holdOrgRow(handle, org.orgId);
    const pid = await holderPid;
    // Three: with the holder and this test's own queries they use the suite's pool of five.
    const posts = [0, 1, 2].map((b) => org.post('/v1/ingest/events', ingest, { events: batch(b) }));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await sql<{ n: number }>`
        with recursive waiting(pid) as (
          select pid from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))
          union select s.pid from pg_stat_activity s join waiting w on w.pid = any(pg_blocking_pids(s.pid)))
        select count(*)::int as n from waiting`.execute(handle.db);
      if ((rows[0]?.n ?? 0) >= 3) break;
      if (Date.now() > deadline) throw new Error('the three batches never all waited on the organisation row');
    }
    release();
    await holder;
    for (const res of await Promise.all(posts)) expect(res.json()).toEqual({ accepted: LEADS, duplicates: 0, rejected: [] });
    unsubscribe();
    await expectFullAnswer(org, org.clock.now, 'after three concurrent batches');
    // Each batch's bumps are seq top-n+1 .. top in the order of its lead list; the runs follow one another without gap or overlap.
    emitted.sort((a, b) => a.seq - b.seq);
    expect(emitted).toHaveLength(3);
    const want = new Map<string, number>();
    let end = before;
    for (const e of emitted) {
      expect({ start: e.seq - e.leadIds.length + 1 }).toEqual({ start: end + 1 });
      e.leadIds.forEach((id, i) => want.set(id, end + 1 + i));
      end = e.seq;
    }
    const rows = await handle.db.selectFrom('leads').select(['id', 'seq']).where('org_id', '=', org.orgId).execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.seq]))).toEqual(Object.fromEntries(want));
    expect((await handle.db.selectFrom('orgs').select('seq').where('id', '=', org.orgId).executeTakeFirstOrThrow()).seq).toBe(end);
  }, 60_000);

  // A batch's events are stored in pieces of 1,000; all of them must be written before the batch
  // takes the organisation row: a piece that waits on an event id another writer has not yet
  // committed, while holding that row, deadlocks with the other writer when it wants the row.
  it.runIf(engine === 'postgres')('a batch of 1,500 events whose 1,200th id another writer holds: both commit, nothing deadlocks', async () => {
    const org = await newOrg(handle);
    const ingest = (await org.user({ name: 'Ingest', email: 'ingest@example.jp', role: 'ingest' })).token;
    await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 'x', name: 'X' }] });
    const lead = await handle.db.selectFrom('leads').select('id').where('org_id', '=', org.orgId).where('external_id', '=', 'x').executeTakeFirstOrThrow();
    const at = org.clock.now - HOUR;
    const events = Array.from({ length: 1500 }, (_, i) => ({ id: `big-${i}`, lead: { externalId: 'x' }, type: 'email_open', at: new Date(at).toISOString(), title: `#${i}` }));
    // The other writer: the same event id (a webhook's retry, say), stored but not yet committed.
    let stored!: (pid: number) => void;
    let proceed!: () => void;
    const holderPid = new Promise<number>((resolve) => (stored = resolve));
    const goOn = new Promise<void>((resolve) => (proceed = resolve));
    const holder = handle.db.transaction().execute(async (tx) => {
      await sql`insert into events (org_id, id, lead_id, at, type, title, received_at) values (${org.orgId}, 'big-1200', ${lead.id}, ${at}, 'email_open', 'retry', ${at})`.execute(tx);
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
      stored(rows[0]?.pid ?? -1);
      await goOn;
      // Then it re-scores, as every ingest does: it takes the organisation row.
      await sql`select id from orgs where id = ${org.orgId} for update`.execute(tx);
    });
    const pid = await holderPid;
    const batch = org.post('/v1/ingest/events', ingest, { events });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))`.execute(handle.db);
      if ((rows[0]?.n ?? 0) >= 1) break;
      if (Date.now() > deadline) throw new Error('the batch never waited on the other writer');
    }
    proceed();
    await holder;
    const res = await batch;
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 1499, duplicates: 1, rejected: [] });
  }, 60_000);

  // A replay (a connector resending what it sent) stores nothing and moves no lead: it has no
  // reason to queue behind every other writer of the organisation.
  it.runIf(engine === 'postgres')('a batch whose events are all stored already answers while another writer holds the organisation row', async () => {
    const org = await newOrg(handle);
    const ingest = (await org.user({ name: 'Ingest', email: 'ingest@example.jp', role: 'ingest' })).token;
    await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 'x', name: 'X' }, { externalId: 'y', name: 'Y' }] });
    const at = new Date(org.clock.now - HOUR).toISOString();
    const events = [{ id: 'r-1', lead: { externalId: 'x' }, type: 'form_submit', at }, { id: 'r-2', lead: { externalId: 'y' }, type: 'email_open', at }];
    expect((await org.post('/v1/ingest/events', ingest, { events })).json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const { holderPid, release, holder } = holdOrgRow(handle, org.orgId);
    try {
      const pid = await holderPid;
      let answered = false;
      const replay = org.post('/v1/ingest/events', ingest, { events }).finally(() => (answered = true));
      // Whichever comes first: the replay's answer, or the replay waiting on the held row.
      const waited = (async (): Promise<boolean> => {
        while (!answered) {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))`.execute(handle.db);
          if ((rows[0]?.n ?? 0) >= 1) return true;
        }
        return false;
      })();
      expect(await waited, 'the replay waited on the organisation row').toBe(false);
      expect((await replay).json()).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    } finally {
      release();
      await holder;
    }
  }, 60_000);

  it('a chunk whose write fails: the batch fails with that statement\'s error, not with a later statement refused by the aborted transaction', async () => {
    const org = await newOrg(handle);
    const LEADS = 300; // two chunks of re-scoring: the first one's write fails
    const leads = Array.from({ length: LEADS }, (_, i) => ({ externalId: `F${i}`, name: `Lead ${i}` }));
    expect((await org.post('/v1/ingest/leads', org.admin, { leads })).json()).toMatchObject({ upserted: LEADS, rejected: [] });
    const victim = await handle.db.selectFrom('leads').select('id').where('org_id', '=', org.orgId).where('external_id', '=', 'F5').executeTakeFirstOrThrow();
    const seqBefore = (await handle.db.selectFrom('orgs').select('seq').where('id', '=', org.orgId).executeTakeFirstOrThrow()).seq;
    // Refuses the next write of that lead's running state (rows already there are not checked).
    await sql.raw(`alter table lead_states add constraint test_refuses_${org.orgId} check (lead_id <> '${victim.id}') not valid`).execute(handle.db);
    try {
      const events = Array.from({ length: LEADS }, (_, i) => ({ id: `f-${i}`, lead: { externalId: `F${i}` }, type: 'download', at: new Date(org.clock.now - HOUR).toISOString() }));
      await expect(ingestEvents({ db: handle.db, clock: org.clock.fn, notifier: org.notifier }, { orgId: org.orgId }, events)).rejects.toThrow(`test_refuses_${org.orgId}`);
    } finally {
      await sql.raw(`alter table lead_states drop constraint test_refuses_${org.orgId}`).execute(handle.db);
    }
    // Nothing of the batch was kept.
    expect((await handle.db.selectFrom('orgs').select('seq').where('id', '=', org.orgId).executeTakeFirstOrThrow()).seq).toBe(seqBefore);
    expect(await handle.db.selectFrom('events').select('id').where('org_id', '=', org.orgId).execute()).toEqual([]);
  }, 120_000);

  it('a batch over more leads than one pipeline chunk: each moved lead gets its own seq, in one run that ends at the organisation\'s seq', async () => {
    const org = await newOrg(handle);
    const ingest = (await org.user({ name: 'Ingest', email: 'ingest@example.jp', role: 'ingest' })).token;
    const LEADS = 600; // re-scoring works in chunks of 250: three here
    const leads = Array.from({ length: LEADS }, (_, i) => ({ externalId: `C${i}`, name: `Lead ${i}` }));
    expect((await org.post('/v1/ingest/leads', org.admin, { leads })).json()).toMatchObject({ upserted: LEADS, rejected: [] });
    const seqOf = async (): Promise<number> => Number((await handle.db.selectFrom('orgs').select('seq').where('id', '=', org.orgId).executeTakeFirstOrThrow()).seq);
    const before = await seqOf();
    const heard: { leadIds: string[]; seq: number }[] = [];
    const stop = org.notifier.subscribe((c) => heard.push({ leadIds: [...c.leadIds], seq: c.seq }));
    org.clock.advance(HOUR);
    // Every lead but the last 50 (a lead the batch does not name keeps its seq), one of them twice.
    const events = Array.from({ length: LEADS - 50 }, (_, i) => ({ id: `c-${i}`, lead: { externalId: `C${i}` }, type: 'download', at: new Date(org.clock.now - 60_000).toISOString() }));
    events.push({ id: 'c-extra', lead: { externalId: 'C7' }, type: 'email_click', at: new Date(org.clock.now - 30_000).toISOString() });
    expect((await org.post('/v1/ingest/events', ingest, { events })).json()).toEqual({ accepted: LEADS - 49, duplicates: 0, rejected: [] });
    stop();
    const after = await seqOf();
    expect(after - before).toBe(LEADS - 50);
    const rows = await handle.db.selectFrom('leads').select(['external_id', 'seq']).where('org_id', '=', org.orgId).where('seq', '>', before).orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: LEADS - 50 }, (_, i) => before + 1 + i));
    expect(new Set(rows.map((r) => r.external_id))).toEqual(new Set(Array.from({ length: LEADS - 50 }, (_, i) => `C${i}`)));
    expect(heard).toHaveLength(1);
    expect(heard[0]?.seq).toBe(after);
    expect(heard[0]?.leadIds).toHaveLength(LEADS - 50);
    expect(await expectFullAnswer(org, org.clock.now, 'chunked batch')).toBe(LEADS);
  }, 120_000);

  it('a batch of fresh events reads no history: a lead with a running state is scored from it and the new events alone', async () => {
    const org = await newOrg(handle);
    const ingest = (await org.user({ name: 'Ingest', email: 'ingest@example.jp', role: 'ingest' })).token;
    await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 'x', name: 'X' }] });
    const day = (d: number): string => new Date(org.clock.now - d * DAY).toISOString();
    await org.post('/v1/ingest/events', ingest, { events: [{ id: 'old', lead: { externalId: 'x' }, type: 'email_open', at: day(3), title: 'Newsletter' }] });
    // Changed behind the server's back (no ingest): only a full re-score would see it.
    await handle.db.updateTable('events').set({ type: 'form_submit' }).where('org_id', '=', org.orgId).where('id', '=', 'old').execute();
    org.clock.advance(HOUR);
    await org.post('/v1/ingest/events', ingest, { events: [{ id: 'new', lead: { externalId: 'x' }, type: 'email_open', at: day(0), title: 'Newsletter 2' }] });
    const row = await handle.db.selectFrom('leads').select(['score']).where('org_id', '=', org.orgId).where('external_id', '=', 'x').executeTakeFirstOrThrow();
    // Two opens (1 point each, one decayed by 3 days at a 7-day half-life) round to 2; the form (30) is not seen.
    expect((row.score as { score: number }).score).toBe(2);
  });
});
