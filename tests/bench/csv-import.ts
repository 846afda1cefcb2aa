/**
 * `npm run bench:csv` — the CSV import over generated event files of 250,000 and 1,000,000 rows
 * (UTF-8, and 1,000,000 in Shift_JIS), each in its own process so peak memory is its own. The
 * sink validates every item with the generic ingest schema and counts it: the import's own cost
 * plus the per-item check the server does, without the database. Prints one JSON object with
 * wall-clock and CPU rates (other processes on a shared machine slow the first, not the second).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { IngestEvent } from '../../server/contract/ingest';
import { CsvMapping, importCsv } from '../../server/connectors/csv';
import type { IngestSink } from '../../server/connectors/types';

const MAPPING = CsvMapping.parse({
  kind: 'events',
  columns: { id: '履歴ID', leadEmail: 'メール', type: '区分', at: '日時', title: '件名' },
  types: { 来場: 'seminar_attended', 視聴: 'video_watched', 資料DL: 'download' },
  meta: { watchedPercent: '視聴率' },
});

async function generate(file: string, rows: number, encoding: 'utf8' | 'cp932'): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) => new Promise<void>((resolve) => { if (out.write(encoding === 'cp932' ? iconv.encode(s, 'cp932') : s)) resolve(); else out.once('drain', () => resolve()); });
  await write('履歴ID,メール,区分,日時,件名,視聴率\r\n');
  const kinds = ['来場', '視聴', '資料DL'];
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    const d = 1 + (i % 28);
    chunk += `H${i},user${i % 50_000}@example.co.jp,${kinds[i % 3]},2024/6/${d} ${i % 24}:${String(i % 60).padStart(2, '0')},"営業DXセミナー 第${i % 40}回",${i % 101}\r\n`;
    if (i % 10_000 === 0) { await write(chunk); chunk = ''; }
  }
  await write(chunk);
  await new Promise<void>((resolve) => out.end(resolve));
}

async function child(file: string): Promise<void> {
  let accepted = 0;
  const sink: IngestSink = {
    async ingestLeads() { throw new Error('events only'); },
    async ingestEvents(_org, items) {
      const rejected: { index: number; error: string }[] = [];
      items.forEach((item, index) => { if (IngestEvent.safeParse(item).success) accepted += 1; else rejected.push({ index, error: 'invalid' }); });
      return { accepted: items.length - rejected.length, duplicates: 0, rejected };
    },
  };
  let peakRss = 0;
  const samples: number[] = [];
  const cpuStart = process.cpuUsage();
  const timer = setInterval(() => { const r = process.memoryUsage().rss; peakRss = Math.max(peakRss, r); samples.push(r); }, 100);
  const report = await importCsv({ file, mapping: MAPPING, sink, org: { orgId: 'bench' }, stateFile: `${file}.state`, rejectedFile: `${file}.rejected` });
  clearInterval(timer);
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const q = (f: number) => Math.round((samples[Math.floor(f * (samples.length - 1))] ?? 0) / 1048576);
  process.stdout.write(JSON.stringify({
    rows: report.rows, accepted, rejected: report.rejected, encoding: report.encoding, seconds: report.seconds, rowsPerSecond: report.rowsPerSecond,
    // On a shared machine wall time includes other work; CPU time is this import's own.
    cpuSeconds: Math.round(cpuSeconds * 10) / 10, rowsPerCpuSecond: Math.round(report.rows / cpuSeconds),
    peakRssMiB: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1048576),
    rssMiBAt: { '25%': q(0.25), '50%': q(0.5), '75%': q(0.75), '100%': q(1) },
  }));
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] ?? '');
} else {
  const dir = await mkdtemp(join(tmpdir(), 'leadlens-csv-bench-'));
  const self = fileURLToPath(import.meta.url);
  const runs: Record<string, unknown> = {};
  try {
    for (const [name, rows, enc] of [['utf8_250k', 250_000, 'utf8'], ['utf8_1m', 1_000_000, 'utf8'], ['shiftjis_1m', 1_000_000, 'cp932']] as const) {
      const file = join(dir, `${name}.csv`);
      await generate(file, rows, enc);
      const bytes = (await stat(file)).size;
      const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
      runs[name] = { fileMiB: Math.round(bytes / 1048576), ...JSON.parse(r.stdout) as object };
      await rm(file);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ csvImport: { budgetRowsPerSecond: 20_000, ...runs } }, null, 2));
}
