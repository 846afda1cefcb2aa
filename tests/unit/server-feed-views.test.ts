// @vitest-environment node
/**
 * Stored feed summaries across server versions and writers that do not re-score: a summary
 * stored in another format is not served after a start, and the next re-score stores every
 * missing or stale summary again without moving the lead in the feed (PGlite always,
 * PostgreSQL when LEADLENS_TEST_DATABASE_URL is set).
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ChangesResponse } from '../../utils/api/contract';
import type { DbHandle } from '../../server/db/connect';
import { feedViewFormat, retireOutdatedFeedViews } from '../../server/service/feed-views';
import { rescoreAll } from '../../server/service/rescore-all';
import { buildApp } from '../../server/app';
import { ENGINES, newOrg, openForSuite } from './server-harness';

describe.each(ENGINES)('stored feed summaries (%s)', (engine) => {
  let handle: DbHandle;
  openForSuite(engine, (h) => {
    handle = h;
  });

  async function twoLeads() {
    const org = await newOrg(handle);
    const rep = await org.user({ name: '佐藤 花子', email: 'sato@example.jp', role: 'rep' });
    const leads = [
      { externalId: 'a', name: '顧客 A', company: '株式会社A', ownerEmail: 'sato@example.jp' },
      { externalId: 'b', name: '顧客 B', ownerEmail: 'sato@example.jp' },
    ];
    expect((await org.post('/v1/ingest/leads', org.admin, { leads })).json()).toEqual({ upserted: 2, rejected: [] });
    // A form makes A's summary carry a reason, so its Japanese text differs from the English one.
    const events = [{ id: 'form-a', lead: { externalId: 'a' }, type: 'form_submit', at: new Date(org.clock.now - 60_000).toISOString(), title: 'お問い合わせ' }];
    expect((await org.post('/v1/ingest/events', org.admin, { events })).json()).toMatchObject({ accepted: 1, rejected: [] });
    const stored = async () => (await sql<{ id: string; external_id: string; seq: number; feed_view: string | null; feed_view_ja: string | null; feed_view_seq: number | null }>`
      select id, external_id, seq, feed_view, feed_view_ja, feed_view_seq from leads where org_id = ${org.orgId} order by external_id`.execute(handle.db)).rows
      .map((r) => ({ ...r, seq: Number(r.seq), feed_view_seq: r.feed_view_seq === null ? null : Number(r.feed_view_seq) }));
    const feed = async (lang: string) => ChangesResponse.parse((await org.get('/v1/leads/changes', rep.token, { 'accept-language': lang })).json());
    return { org, rep, stored, feed };
  }

  it('a summary stored in another format is not served once a server of this format starts', async () => {
    const { org, stored, feed } = await twoLeads();
    const before = await feed('ja');
    // An older server's text, stored for the lead's current position.
    await sql`update leads set feed_view = ${JSON.stringify({ ...before.leads[0], name: '古い表示' })}, feed_view_ja = null
      where org_id = ${org.orgId} and external_id = 'a'`.execute(handle.db);
    expect((await feed('ja')).leads.map((l) => l.name)).toContain('古い表示');

    expect(await retireOutdatedFeedViews(handle.db, `${feedViewFormat()}-next`)).toBeGreaterThanOrEqual(2);
    expect((await stored()).map((r) => r.feed_view_seq)).toEqual([null, null]);
    expect(await feed('ja')).toEqual(before);
    // The same format again: nothing to retire.
    expect(await retireOutdatedFeedViews(handle.db, `${feedViewFormat()}-next`)).toBe(0);
    await retireOutdatedFeedViews(handle.db);
  });

  it('a server that retires summaries at its start re-scores at once, not an interval later', async () => {
    const { org, stored } = await twoLeads();
    // Summaries stored by an older server.
    await sql`update server_meta set value = 'older' where key = 'feed_view_format'`.execute(handle.db);
    const app = await buildApp({ db: handle.db, clock: org.clock.fn, logger: false, config: { rescoreIntervalMs: 3_600_000 } });
    try {
      await expect.poll(async () => (await stored()).every((r) => r.feed_view_seq === r.seq), { timeout: 15_000 }).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('the next re-score stores missing summaries again, in both languages, without moving the leads', async () => {
    const { org, stored, feed } = await twoLeads();
    const en = await feed('en');
    const ja = await feed('ja');
    const positions = (await stored()).map((r) => r.seq);
    await sql`update leads set feed_view = null, feed_view_ja = null, feed_view_seq = null where org_id = ${org.orgId}`.execute(handle.db);

    expect(await rescoreAll({ db: handle.db, clock: org.clock.fn, notifier: org.notifier }, org.orgId)).toBe(0);
    const after = await stored();
    expect(after.map((r) => r.seq)).toEqual(positions);
    expect(after.map((r) => r.feed_view_seq)).toEqual(positions);
    // Each stored text is the summary served before, in its language (A's reason differs in Japanese).
    const served = (page: ChangesResponse, id: string | undefined) => page.leads.find((l) => l.id === id);
    expect(after.map((r) => JSON.parse(r.feed_view ?? 'null'))).toEqual(after.map((r) => served(en, r.id)));
    expect(JSON.parse(after[0]?.feed_view_ja ?? 'null')).toEqual(served(ja, after[0]?.id));
    expect(served(ja, after[0]?.id)?.needReason).not.toEqual(served(en, after[0]?.id)?.needReason);
    expect(after[1]?.feed_view_ja).toBeNull();
    expect(await feed('en')).toEqual(en);
    expect(await feed('ja')).toEqual(ja);
  });
});
