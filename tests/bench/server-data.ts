/**
 * The server benches' data set (tests/bench/server.ts, server-stages.ts): one organisation, REPS
 * reps of one team, LEADS leads each with a kintone record, EVENTS background events over the
 * last 90 days, loaded in bulk with SQL and then scored once as the server would have.
 */
import { retireOutdatedFeedViews } from '../../server/service/feed-views';
import { sql } from 'kysely';
import type { DbHandle } from '../../server/db/connect';
import type { ChangeNotifier } from '../../server/service/notifier';
import { rescoreAll } from '../../server/service/rescore-all';
import { createUser, ensureOrg } from '../../server/service/users';

export const REPS = 10;
export const ORG = 'bench';

export async function loadBenchData(handle: DbHandle, notifier: ChangeNotifier, LEADS: number, EVENTS: number): Promise<{ reps: string[]; loadLeadsMs: number; loadEventsMs: number; scoreMs: number }> {
  await ensureOrg(handle.db, ORG, Date.now());
  // The summaries stored below are this server's: recorded as such, as a running server records
  // them at its start, so the server under test does not retire them (service/feed-views.ts).
  await retireOutdatedFeedViews(handle.db);
  const reps: string[] = [];
  for (let r = 0; r < REPS; r++) reps.push((await createUser(handle.db, ORG, { name: `Rep ${r}`, email: `rep${r}@bench.test`, role: 'rep', team: 'east' }, Date.now())).token);
  let t = performance.now();
  // Background leads in bulk (SQL), owned round-robin by the reps, each with a kintone record;
  // scored as cold until their events arrive. What is timed below goes through the real routes.
  const repIds = (await handle.db.selectFrom('users').select('id').where('org_id', '=', ORG).where('role', '=', 'rep').orderBy('email').execute()).map((u) => u.id);
  const now0 = Date.now();
  const cold = JSON.stringify({ score: 0, scoreChange24h: 0, band: 'cold', stage: 'lead', waking: false });
  for (let i = 0; i < LEADS; i += 50_000) {
    const end = Math.min(LEADS, i + 50_000);
    await sql`
      insert into leads (org_id, id, external_id, name, company, email, phone, owner_id, team, job_title, employees, created_at, seq, fingerprint, score, scored_at, updated_at, prev_owner_id, prev_team)
      select ${ORG}, 'ld_' || g, 'L' || g, 'Lead ' || g, 'Company ' || (g % 5000), 'lead' || g || '@bench.test', null,
        (${JSON.stringify(repIds)}::jsonb ->> (g % ${REPS})::int), 'east', null, (g * 37) % 3000, ${now0}, g + 1, 'bulk', ${cold}::jsonb, ${now0}, ${now0}, null, null
      from generate_series(${i}::bigint, ${end - 1}::bigint) as g`.execute(handle.db);
    await sql`
      insert into lead_refs (org_id, lead_id, crm, object_type, record_key, host, record_id, url)
      select ${ORG}, 'ld_' || g, 'kintone', '12', g::text, 'bench.cybozu.com', g::text, null
      from generate_series(${i}::bigint, ${end - 1}::bigint) as g`.execute(handle.db);
  }
  await sql`update orgs set seq = ${LEADS} where id = ${ORG}`.execute(handle.db);
  const loadLeadsMs = performance.now() - t;
  t = performance.now();
  const now = Date.now();
  // Background history: EVENTS events spread over the leads and the last 90 days, in chunks so
  // one statement never holds millions of rows in the embedded engine's memory.
  const types = `(array['email_open','email_click','web_visit','download','seminar_registered','key_page'])[1 + (g % 6)]`;
  for (let i = 0; i < EVENTS; i += 100_000) {
    const end = Math.min(EVENTS, i + 100_000);
    await sql`
      insert into events (org_id, id, lead_id, at, type, title, detail, url, channel, actor, meta, received_at)
      select ${ORG}, 'bg-' || g, l.id, ${now} - (g % 7776000) * 1000, ${sql.raw(types)}, 'Background ' || g, null, null, 'web', null, null, ${now}
      from generate_series(${i}::bigint, ${end - 1}::bigint) as g
      join leads l on l.org_id = ${ORG} and l.id = 'ld_' || (g % ${LEADS})`.execute(handle.db);
  }
  await sql`analyze`.execute(handle.db);
  const loadEventsMs = performance.now() - t;
  t = performance.now();
  await rescoreAll({ db: handle.db, clock: Date.now, notifier }, ORG);
  await sql`analyze`.execute(handle.db);
  return { reps, loadLeadsMs, loadEventsMs, scoreMs: performance.now() - t };
}
