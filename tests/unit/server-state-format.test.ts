/**
 * Running states stored by the previous server version (the ScoreState as a JSON object) in a
 * live database: the next ingest folds its events into them, without reading the lead's history,
 * and writes the state back in the current encoding. On PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import type { DbHandle } from '../../server/db/connect';
import { decodeState } from '../../server/scoring/state-codec';
import { ENGINES, newOrg, openForSuite } from './server-harness';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe.each(ENGINES)('stored running states on %s', (engine) => {
  let handle: DbHandle & { schema?: string };

  openForSuite(engine, (opened) => (handle = opened));

  it('a state in the first encoding is read by the next ingest (no history read) and rewritten in the current one', async () => {
    const org = await newOrg(handle);
    const ingest = (await org.user({ name: 'Ingest', email: 'ingest@example.jp', role: 'ingest' })).token;
    await org.post('/v1/ingest/leads', org.admin, { leads: [{ externalId: 'x', name: 'X' }] });
    const lead = await handle.db.selectFrom('leads').select('id').where('org_id', '=', org.orgId).where('external_id', '=', 'x').executeTakeFirstOrThrow();
    const day = (d: number): string => new Date(org.clock.now - d * DAY).toISOString();
    await org.post('/v1/ingest/events', ingest, { events: [{ id: 'old', lead: { externalId: 'x' }, type: 'email_open', at: day(3), title: 'Newsletter' }] });
    const stored = async (): Promise<string> => (await handle.db.selectFrom('lead_states').select('state')
      .where('org_id', '=', org.orgId).where('lead_id', '=', lead.id).executeTakeFirstOrThrow()).state;
    // What the previous version wrote: the same state as a JSON object.
    const state = decodeState(await stored());
    if (!state) throw new Error('no running state after the first ingest');
    await handle.db.updateTable('lead_states').set({ state: JSON.stringify(state) }).where('org_id', '=', org.orgId).where('lead_id', '=', lead.id).execute();
    // Changed behind the server's back: only a full re-score (a state that did not read) would see it.
    await handle.db.updateTable('events').set({ type: 'form_submit' }).where('org_id', '=', org.orgId).where('id', '=', 'old').execute();
    org.clock.advance(HOUR);
    const res = await org.post('/v1/ingest/events', ingest, { events: [{ id: 'new', lead: { externalId: 'x' }, type: 'email_open', at: day(0), title: 'Newsletter 2' }] });
    expect(res.json()).toMatchObject({ accepted: 1 });
    const row = await handle.db.selectFrom('leads').select('score').where('org_id', '=', org.orgId).where('id', '=', lead.id).executeTakeFirstOrThrow();
    // Two opens (1 point each, one decayed by 3 days at a 7-day half-life) round to 2; the form (30) is not seen.
    expect((row.score as { score: number }).score).toBe(2);
    const after = await stored();
    expect(after.startsWith('[2,1,')).toBe(true);
    expect(decodeState(after)?.tail.map((e) => e.id)).toEqual(['new']);
  });
});
