/**
 * `import --file leads.csv --kind leads|events --map mapping.json [--encoding auto|utf8|shift_jis]
 * [--rejected out.csv] [--url http://127.0.0.1:8787 --token <ingest token>]`
 * The server's CLI mounts this as `npm run server -- import …` with its own in-process sink;
 * run on its own (`tsx server/connectors/csv-cli.ts import …`) it posts to --url.
 * Progress goes to stderr; the final report (JSON) to stdout.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CsvMapping, formatProgress, importCsv, type ImportReport, type Progress } from './csv';
import { HttpSink } from './http-sink';
import type { IngestSink, OrgCtx } from './types';

export const IMPORT_OPTIONS = {
  file: { type: 'string' },
  kind: { type: 'string' },
  map: { type: 'string' },
  encoding: { type: 'string', default: 'auto' },
  rejected: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
} as const;

export class UsageError extends Error {}

export async function loadMapping(path: string, kind: string | undefined): Promise<CsvMapping> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--map ${path}: ${(err as Error).message}`);
  }
  if (kind && raw.kind && raw.kind !== kind) throw new UsageError(`--kind ${kind} but the mapping says "${String(raw.kind)}"`);
  const parsed = CsvMapping.safeParse({ ...raw, kind: kind ?? raw.kind });
  if (!parsed.success) throw new UsageError(`--map ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(mapping)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function progressPrinter(stream: NodeJS.WriteStream): (p: Progress) => void {
  let last = 0;
  return (p) => {
    if (stream.isTTY) { stream.write(`\r${formatProgress(p)}`); return; }
    if (p.elapsedMs - last >= 2000 || p.bytesDone >= p.bytesTotal) { last = p.elapsedMs; stream.write(`${formatProgress(p)}\n`); }
  };
}

export async function importCommand(
  values: { file?: string; kind?: string; map?: string; encoding?: string; rejected?: string; url?: string; token?: string },
  sinkFor: () => Promise<{ sink: IngestSink; org: OrgCtx }>,
): Promise<ImportReport> {
  if (!values.file || !values.map) throw new UsageError('usage: import --file <csv> --kind leads|events --map <mapping.json> [--encoding auto|utf8|shift_jis] [--rejected <file>]');
  if (values.kind && values.kind !== 'leads' && values.kind !== 'events') throw new UsageError('--kind is leads or events');
  const encoding = values.encoding === 'shift_jis' || values.encoding === 'sjis' || values.encoding === 'cp932' ? 'cp932' : values.encoding === 'utf8' ? 'utf8' : 'auto';
  const mapping = await loadMapping(values.map, values.kind);
  const { sink, org } = await sinkFor();
  const report = await importCsv({ file: values.file, mapping, sink, org, encoding, rejectedFile: values.rejected, onProgress: progressPrinter(process.stderr) });
  if (process.stderr.isTTY) process.stderr.write('\n');
  return report;
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: IMPORT_OPTIONS });
  try {
    if (positionals[0] !== 'import') throw new UsageError('usage: csv-cli.ts import --file … (see the header of this file)');
    if (!values.url || !values.token) throw new UsageError('--url and --token (an ingest token) are required when run on its own');
    const { url, token } = values;
    const report = await importCommand(values, async () => ({ sink: new HttpSink(url, token), org: { orgId: 'from-token' } }));
    console.log(JSON.stringify(report, null, 2));
    if (report.rejected > 0) console.error(`${report.rejected} row(s) rejected: see ${values.rejected ?? `${values.file}.rejected.csv`}`);
  } catch (err) {
    console.error(err instanceof UsageError ? err.message : err);
    process.exit(2);
  }
}
