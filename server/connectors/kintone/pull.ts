/**
 * Scheduled pull over the kintone REST API, for the changes kintone sends no webhook for (CSV
 * imports, bulk REST updates). Pages through records.json ordered by (更新日時, $id) and seeks
 * past the last record instead of using offset (kintone caps offset at 10,000). The position is
 * saved after each page is stored, so an interrupted pull resumes where it stopped.
 * 更新日時 has minute precision: a new run re-reads the last saved minute (>=), which is
 * harmless because lead upserts and event ids are idempotent, and catches records updated later
 * in that same minute. https://cybozu.dev/ja/kintone/docs/rest-api/records/get-records/
 */
import { z } from 'zod';
import { Batch, submit } from '../mapped';
import { fetchWithRetry, type FetchLike } from '../retry';
import type { Clock, IngestSink, StateStore } from '../types';
import { mapRecord } from './map';
import { KintoneRecord, type AppMapping, type KintoneConfig, type KintonePull } from './schema';

export const PAGE_SIZE = 500;

const RecordsResponse = z.object({ records: z.array(z.unknown()), totalCount: z.string().nullable().optional() });

export type Cursor = { updated: string; id: number };

/** The query for one page: the first of a run re-reads the saved minute, the next ones seek. */
export function pageQuery(updatedField: string, from: { cursor?: Cursor; since?: string; seek?: Cursor }, limit = PAGE_SIZE): string {
  const f = updatedField;
  let where = '';
  if (from.seek) where = `(${f} > "${from.seek.updated}" or (${f} = "${from.seek.updated}" and $id > ${from.seek.id}))`;
  else if (from.cursor) where = `${f} >= "${from.cursor.updated}"`;
  else if (from.since) where = `${f} >= "${from.since}"`;
  return `${where ? `${where} ` : ''}order by ${f} asc, $id asc limit ${limit}`;
}

export type PullDeps = {
  sink: IngestSink;
  state: StateStore;
  clock: Clock;
  fetch: FetchLike;
  sleep: (ms: number) => Promise<void>;
};

export type AppReport = { app: string; pages: number; records: number; upserted: number; accepted: number; duplicates: number; ignored: number; rejected: number };

const stateKey = (cfg: KintoneConfig, app: string) => `kintone:${cfg.id}:${app}`;

export async function pullApp(cfg: KintoneConfig, pull: KintonePull, m: AppMapping, deps: PullDeps): Promise<AppReport> {
  const report: AppReport = { app: m.app, pages: 0, records: 0, upserted: 0, accepted: 0, duplicates: 0, ignored: 0, rejected: 0 };
  const saved = await deps.state.get(stateKey(cfg, m.app));
  const cursor = saved ? (JSON.parse(saved) as Cursor) : undefined;
  let seek: Cursor | undefined;
  const base = (pull.baseUrl ?? `https://${cfg.host}`).replace(/\/$/, '');
  for (;;) {
    const query = pageQuery(pull.updatedField, { cursor, since: pull.since, seek });
    const url = `${base}/k/v1/records.json?app=${encodeURIComponent(m.app)}&query=${encodeURIComponent(query)}`;
    const res = await fetchWithRetry(deps.fetch, url, { headers: { 'X-Cybozu-API-Token': pull.apiToken } }, { sleep: deps.sleep, now: () => deps.clock.now() });
    const body = RecordsResponse.parse(await res.json());
    report.pages += 1;
    const batch = new Batch();
    let last: Cursor | undefined;
    body.records.forEach((raw, index) => {
      const rec = KintoneRecord.safeParse(raw);
      if (!rec.success) { batch.reject(index, 'not a kintone record'); return; }
      const id = Number(rec.data.$id?.value);
      const updated = rec.data[pull.updatedField]?.value;
      if (Number.isInteger(id) && typeof updated === 'string') last = { updated, id };
      batch.add(index, mapRecord(cfg.host, m, rec.data));
    });
    const r = await submit(deps.sink, { orgId: cfg.orgId }, batch);
    report.records += body.records.length;
    report.upserted += r.upserted; report.accepted += r.accepted; report.duplicates += r.duplicates;
    report.ignored += r.ignored; report.rejected += r.rejected.length;
    // Saved only once the page is stored: a crash before this line re-reads the page.
    if (last) await deps.state.set(stateKey(cfg, m.app), JSON.stringify(last));
    if (body.records.length < PAGE_SIZE || !last) return report;
    seek = last;
  }
}

/** Leads apps first, so that activities of a new lead find it in the same run. */
export async function pullOnce(cfg: KintoneConfig, deps: PullDeps): Promise<AppReport[]> {
  if (!cfg.pull) return [];
  const ordered = [...cfg.apps].sort((a, b) => (a.target === b.target ? 0 : a.target === 'leads' ? -1 : 1));
  const reports: AppReport[] = [];
  for (const m of ordered) reports.push(await pullApp(cfg, cfg.pull, m, deps));
  return reports;
}
