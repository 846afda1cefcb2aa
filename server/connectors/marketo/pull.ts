/**
 * Scheduled pull of Lead Activities: read the instance's activity types (ids differ per
 * instance), take a paging token for the start time once, then follow nextPageToken through
 * activities.json for at most 10 type ids. Marketo scans a fixed window of activities per call,
 * so an empty page with moreResult: true is normal: keep going. The token after each stored page
 * is the saved position: the next run (or a resumed one) continues from it.
 */
import { Batch, submit } from '../mapped';
import type { FetchLike } from '../retry';
import type { Clock, IngestSink, StateStore } from '../types';
import { MarketoClient } from './client';
import { mapActivity, ACTIVITY_TYPES } from './map';
import { Activity, ActivityType, type MarketoConfig } from './schema';

export const MAX_TYPE_IDS = 10;
/** A guard against an instance that never says moreResult: false within one run. */
export const MAX_PAGES_PER_RUN = 10_000;

export type PullDeps = { sink: IngestSink; state: StateStore; clock: Clock; fetch: FetchLike; sleep: (ms: number) => Promise<void> };
export type PullReport = { pages: number; activities: number; accepted: number; duplicates: number; upserted: number; ignored: number; rejected: number };

export const stateKey = (cfg: MarketoConfig) => `marketo:${cfg.id}:nextPageToken`;

export function clientFor(cfg: MarketoConfig, deps: Pick<PullDeps, 'fetch' | 'clock' | 'sleep'>): MarketoClient {
  if (!cfg.pull) throw new Error(`marketo ${cfg.id}: no pull configured`);
  const base = (cfg.pull.baseUrl ?? `https://${cfg.munchkinId}.mktorest.com`).replace(/\/$/, '');
  return new MarketoClient(base, cfg.pull.clientId, cfg.pull.clientSecret, deps);
}

export async function pullActivities(cfg: MarketoConfig, deps: PullDeps, client = clientFor(cfg, deps)): Promise<PullReport> {
  const pull = cfg.pull;
  if (!pull) throw new Error(`marketo ${cfg.id}: no pull configured`);
  const report: PullReport = { pages: 0, activities: 0, accepted: 0, duplicates: 0, upserted: 0, ignored: 0, rejected: 0 };

  const types = (await client.get('/rest/v1/activities/types.json')).result ?? [];
  const nameById = new Map<number, string>();
  for (const t of types) {
    const p = ActivityType.safeParse(t);
    if (p.success && ACTIVITY_TYPES[p.data.name]) nameById.set(p.data.id, p.data.name);
  }
  const ids = [...nameById.keys()].slice(0, MAX_TYPE_IDS);
  if (ids.length === 0) throw new Error('Marketo lists none of the activity types we map (Visit Webpage, Fill Out Form, …)');

  let token = await deps.state.get(stateKey(cfg));
  if (!token) {
    const since = pull.since ?? new Date(deps.clock.now() - 24 * 3600_000).toISOString();
    const t = await client.get(`/rest/v1/activities/pagingtoken.json?sinceDatetime=${encodeURIComponent(since)}`);
    if (!t.nextPageToken) throw new Error('Marketo gave no paging token');
    token = t.nextPageToken;
  }
  for (let page = 0; page < MAX_PAGES_PER_RUN; page += 1) {
    const body = await client.get(`/rest/v1/activities.json?nextPageToken=${encodeURIComponent(token)}&activityTypeIds=${ids.join(',')}`);
    report.pages += 1;
    const batch = new Batch();
    (body.result ?? []).forEach((raw, index) => {
      const a = Activity.safeParse(raw);
      if (!a.success) { batch.reject(index, 'not a Marketo activity'); return; }
      batch.add(index, mapActivity(cfg, pull, nameById.get(a.data.activityTypeId), a.data));
    });
    const r = await submit(deps.sink, { orgId: cfg.orgId }, batch);
    report.activities += body.result?.length ?? 0;
    report.accepted += r.accepted; report.duplicates += r.duplicates; report.upserted += r.upserted;
    report.ignored += r.ignored; report.rejected += r.rejected.length;
    if (body.nextPageToken) {
      token = body.nextPageToken;
      await deps.state.set(stateKey(cfg), token);
    }
    if (!body.moreResult) return report;
  }
  return report;
}
