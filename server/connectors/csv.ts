/**
 * CSV import of leads or events (Excel exports from Japanese teams: Shift_JIS or UTF-8 with a
 * BOM). Streams the file (never loads it whole), maps each row by the admin's column mapping,
 * sends batches of 1,000 through the same ingest path as every connector, writes rejected rows
 * with their line numbers to a file, and saves its position after every stored batch so an
 * interrupted import resumes where it stopped. Throughput is measured by the bench, not here.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { z } from 'zod';
import type { IngestEvent, IngestLead } from '../contract/ingest';
import type { IngestSink, OrgCtx, Rejected } from './types';

export const BATCH_SIZE = 1000;

const Col = z.string().min(1);
const STAGES = ['lead', 'process', 'sleep', 'churn'] as const;

export const LeadsMapping = z.object({
  kind: z.literal('leads'),
  columns: z.object({
    externalId: Col,
    /** One column, or several joined with a space (姓 + 名). */
    name: z.union([Col, z.array(Col).min(1)]),
    company: Col.optional(), email: Col.optional(), phone: Col.optional(), ownerEmail: Col.optional(),
    team: Col.optional(), jobTitle: Col.optional(), employees: Col.optional(), stage: Col.optional(),
  }),
  /** Cell text → stage, e.g. { "商談中": "process" }; cells already in our words pass as they are. */
  stages: z.record(z.string(), z.enum(STAGES)).default({}),
});

export const EventsMapping = z.object({
  kind: z.literal('events'),
  columns: z.object({
    /** The source's own id per row; without it the id is a hash of the row's lead, type, time and title. */
    id: Col.optional(),
    leadEmail: Col.optional(), leadExternalId: Col.optional(),
    type: Col.optional(),
    at: Col,
    title: Col.optional(), detail: Col.optional(), url: Col.optional(),
  }).refine((c) => c.leadEmail !== undefined || c.leadExternalId !== undefined, { message: 'leadEmail or leadExternalId is required', path: ['leadEmail'] }),
  /** The event type for every row when there is no type column. */
  type: z.string().min(1).max(64).optional(),
  /** Cell text → our event type, e.g. { "来場": "seminar_attended" }. */
  types: z.record(z.string(), z.string().min(1).max(64)).default({}),
  channel: z.string().min(1).max(64).default('csv'),
  /** meta key → column; numeric cells are stored as numbers (meta.watchedPercent). */
  meta: z.record(z.string(), Col).default({}),
  /** Zone-less times ("2024/06/12 14:03") are read at this offset. */
  timeZoneOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/).default('+09:00'),
}).refine((m) => m.columns.type !== undefined || m.type !== undefined, { message: 'give a type column or a fixed type', path: ['type'] });

export const CsvMapping = z.discriminatedUnion('kind', [LeadsMapping, EventsMapping]);
export type CsvMapping = z.infer<typeof CsvMapping>;

type Row = Record<string, string | undefined>;
export type RowOutcome = { lead: IngestLead } | { event: IngestEvent } | { rejected: string };

/** Columns the mapping names, to check the header once before reading rows. */
export function mappedColumns(m: CsvMapping): string[] {
  const cols = Object.values(m.columns).flatMap((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]));
  return m.kind === 'events' ? [...cols, ...Object.values(m.meta)] : cols;
}

const cell = (row: Row, col: string | undefined) => {
  if (col === undefined) return undefined;
  const v = row[col]?.trim();
  return v === '' ? undefined : v;
};

/** Excel writes 2024/06/12 14:03 or 2024-06-12 14:03:00; ISO passes as it is. */
export function csvDateTime(value: string, offset: string): string | undefined {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (m) {
    const [, y, mo, d, h = '0', mi = '00', s = '00'] = m;
    const iso = `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}T${h.padStart(2, '0')}:${mi}:${s}${offset}`;
    return Number.isNaN(Date.parse(iso)) ? undefined : iso;
  }
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

export function mapCsvRow(m: CsvMapping, row: Row): RowOutcome {
  if (m.kind === 'leads') {
    const c = m.columns;
    const externalId = cell(row, c.externalId);
    if (!externalId) return { rejected: `${c.externalId}: empty` };
    const names = Array.isArray(c.name) ? c.name : [c.name];
    const name = names.map((n) => cell(row, n)).filter(Boolean).join(' ');
    if (!name) return { rejected: `${names.join(' + ')}: empty` };
    const lead: IngestLead = { externalId, name };
    const company = cell(row, c.company); if (company) lead.company = company;
    const email = cell(row, c.email); if (email) lead.email = email;
    const phone = cell(row, c.phone); if (phone) lead.phone = phone;
    const owner = cell(row, c.ownerEmail); if (owner) lead.ownerEmail = owner;
    const team = cell(row, c.team); if (team) lead.team = team;
    const jobTitle = cell(row, c.jobTitle); if (jobTitle) lead.jobTitle = jobTitle;
    const employees = cell(row, c.employees);
    if (employees) {
      const n = Number(employees.replace(/,/g, ''));
      if (!Number.isInteger(n) || n < 0) return { rejected: `${c.employees}: "${employees}" is not a number of employees` };
      lead.employees = n;
    }
    const stage = cell(row, c.stage);
    if (stage) {
      const s = m.stages[stage] ?? ((STAGES as readonly string[]).includes(stage) ? stage : undefined);
      if (!s) return { rejected: `${c.stage}: "${stage}" is not a stage (map it under "stages")` };
      lead.stage = s as IngestLead['stage'];
    }
    return { lead };
  }
  const c = m.columns;
  const email = cell(row, c.leadEmail);
  const ext = cell(row, c.leadExternalId);
  if (!email && !ext) return { rejected: `${c.leadEmail ?? c.leadExternalId}: empty, no lead to attach the event to` };
  const rawType = cell(row, c.type);
  const type = rawType !== undefined ? (m.types[rawType] ?? rawType) : m.type;
  if (!type) return { rejected: `${c.type}: empty` };
  const rawAt = cell(row, c.at);
  const at = rawAt ? csvDateTime(rawAt, m.timeZoneOffset) : undefined;
  if (!at) return { rejected: `${c.at}: "${rawAt ?? ''}" is not a date and time` };
  const title = cell(row, c.title);
  const lead = ext ? { externalId: ext } : { email: email! };
  const id = cell(row, c.id) ?? `csv:${createHash('sha1').update(`${ext ?? email}\u0000${type}\u0000${at}\u0000${title ?? ''}`).digest('base64url')}`;
  const event: IngestEvent = { id, lead, type, at, channel: m.channel };
  if (title) event.title = title.slice(0, 500);
  const detail = cell(row, c.detail); if (detail) event.detail = detail.slice(0, 4000);
  const url = cell(row, c.url); if (url) event.url = url;
  const metaEntries = Object.entries(m.meta).map(([k, col]) => {
    const v = cell(row, col);
    return [k, v !== undefined && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v] as const;
  }).filter(([, v]) => v !== undefined);
  if (metaEntries.length) event.meta = Object.fromEntries(metaEntries);
  return { event };
}

/** Excel in Japan writes Shift_JIS (cp932) unless told UTF-8, which then starts with a BOM. */
export function detectEncoding(head: Buffer): 'utf8' | 'cp932' {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  // Drop a possibly cut multi-byte sequence at the end of the sample before judging.
  let end = head.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = head[end - i]!;
    if ((b & 0xc0) === 0xc0) { end -= i; break; }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return 'utf8';
  } catch {
    return 'cp932';
  }
}

export type Progress = { bytesDone: number; bytesTotal: number; rows: number; elapsedMs: number };

/** `[########----------]  42%  420,000 rows  51,200 rows/s  ETA 0:11` — pure, tested. */
export function formatProgress(p: Progress, width = 20): string {
  const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
  const filled = Math.round(frac * width);
  const rate = p.elapsedMs > 0 ? (p.rows * 1000) / p.elapsedMs : 0;
  const etaS = frac > 0 && frac < 1 ? Math.round((p.elapsedMs / frac - p.elapsedMs) / 1000) : 0;
  const eta = `${Math.floor(etaS / 60)}:${String(etaS % 60).padStart(2, '0')}`;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(frac * 100)).padStart(3)}%  ${n(p.rows)} rows  ${n(rate)} rows/s  ETA ${eta}`;
}

export type ImportOptions = {
  file: string;
  mapping: CsvMapping;
  sink: IngestSink;
  org: OrgCtx;
  encoding?: 'auto' | 'utf8' | 'cp932';
  /** Default `<file>.rejected.csv`: line,error. */
  rejectedFile?: string;
  /** Default `<file>.import-state.json`; removed when the import completes. */
  stateFile?: string;
  onProgress?: (p: Progress) => void;
  /** Stop after this many stored batches (tests: an interruption). */
  stopAfterBatches?: number;
  now?: () => number;
};

export type ImportReport = {
  rows: number; stored: number; duplicates: number; rejected: number; skipped: number;
  encoding: 'utf8' | 'cp932'; seconds: number; rowsPerSecond: number; complete: boolean;
};

type State = { size: number; mtimeMs: number; kind: string; done: number };

async function readState(path: string): Promise<State | undefined> {
  try { return JSON.parse(await readFile(path, 'utf8')) as State; } catch { return undefined; }
}

async function writeState(path: string, s: State): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(s));
  await rename(`${path}.tmp`, path);
}

const csvEscape = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export async function importCsv(o: ImportOptions): Promise<ImportReport> {
  const now = o.now ?? Date.now;
  const started = now();
  const st = await stat(o.file);
  const stateFile = o.stateFile ?? `${o.file}.import-state.json`;
  const rejectedFile = o.rejectedFile ?? `${o.file}.rejected.csv`;
  const saved = await readState(stateFile);
  // A state for another version of the file (or another kind) is not ours to resume.
  const resumeFrom = saved && saved.size === st.size && saved.mtimeMs === st.mtimeMs && saved.kind === o.mapping.kind ? saved.done : 0;

  let encoding: 'utf8' | 'cp932';
  if (o.encoding && o.encoding !== 'auto') encoding = o.encoding;
  else {
    const fh = await open(o.file, 'r');
    const head = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    await fh.close();
    encoding = detectEncoding(head.subarray(0, bytesRead));
  }

  const rejectedOut: WriteStream = createWriteStream(rejectedFile, { flags: resumeFrom > 0 ? 'a' : 'w' });
  if (resumeFrom === 0) rejectedOut.write('line,error\n');
  const writeRejected = (line: number, error: string) => { rejectedOut.write(`${line},${csvEscape(error)}\n`); };

  const source = createReadStream(o.file, { highWaterMark: 256 * 1024 });
  let bytesDone = 0;
  source.on('data', (chunk) => { bytesDone += chunk.length; });
  const wanted = mappedColumns(o.mapping);
  let headerSeen = false;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    columns: (header: string[]) => {
      headerSeen = true;
      const names = header.map((h) => h.trim());
      const missing = wanted.filter((w) => !names.includes(w));
      if (missing.length) throw new Error(`the header has no column ${missing.map((m) => `"${m}"`).join(', ')} (it has ${names.map((n) => `"${n}"`).join(', ')})`);
      return names;
    },
  });
  const decoded: NodeJS.ReadableStream = encoding === 'cp932' ? source.pipe(iconv.decodeStream('cp932')) : source;
  decoded.on('error', (err: Error) => parser.destroy(err));
  decoded.pipe(parser);

  const report: ImportReport = { rows: 0, stored: 0, duplicates: 0, rejected: 0, skipped: resumeFrom, encoding, seconds: 0, rowsPerSecond: 0, complete: false };
  let items: (IngestLead | IngestEvent)[] = [];
  let lines: number[] = [];
  let seen = 0;
  let batches = 0;
  let lastProgress = 0;
  // Line numbers counted here (csv-parse's own count costs half its speed and counts a CRLF
  // inside a quoted cell twice): each record is its delimiter plus the breaks inside its cells.
  // The header is line 1; empty lines are kept as records and skipped below, so they count too.
  let nextLine = 2;
  const recordLines = (record: Row): number => {
    let breaks = 0;
    for (const k in record) {
      const v = record[k];
      if (v !== undefined && (v.includes('\n') || v.includes('\r'))) breaks += (v.match(/\r\n|\r|\n/g) ?? []).length;
    }
    return 1 + breaks;
  };
  const isEmpty = (record: Row): boolean => {
    for (const k in record) if (record[k]) return false;
    return true;
  };

  const flush = async () => {
    if (items.length > 0) {
      const r = o.mapping.kind === 'leads' ? await o.sink.ingestLeads(o.org, items) : await o.sink.ingestEvents(o.org, items);
      report.stored += 'upserted' in r ? r.upserted : r.accepted;
      if ('duplicates' in r) report.duplicates += r.duplicates;
      for (const rej of r.rejected as Rejected[]) { writeRejected(lines[rej.index] ?? 0, rej.error); report.rejected += 1; }
    }
    items = []; lines = [];
    // Position saved only after the batch is stored: a crash here re-sends it (idempotent).
    await writeState(stateFile, { size: st.size, mtimeMs: st.mtimeMs, kind: o.mapping.kind, done: seen });
    batches += 1;
  };

  try {
    for await (const record of parser as AsyncIterable<Row>) {
      const line = nextLine;
      nextLine += recordLines(record);
      if (isEmpty(record)) continue;
      seen += 1;
      if (seen <= resumeFrom) continue;
      report.rows += 1;
      const out = mapCsvRow(o.mapping, record);
      if ('rejected' in out) { writeRejected(line, out.rejected); report.rejected += 1; }
      else { items.push('lead' in out ? out.lead : out.event); lines.push(line); }
      // Every 1,000 rows (rejected ones included), so the saved position never lags far behind.
      if ((seen - resumeFrom) % BATCH_SIZE === 0) {
        await flush();
        if (o.stopAfterBatches !== undefined && batches >= o.stopAfterBatches) { source.destroy(); break; }
      }
      if (o.onProgress && now() - lastProgress >= 250) {
        lastProgress = now();
        o.onProgress({ bytesDone, bytesTotal: st.size, rows: seen, elapsedMs: now() - started });
      }
    }
    if (!headerSeen) throw new Error('the file is empty: no header line');
    if (o.stopAfterBatches === undefined || batches < o.stopAfterBatches) {
      await flush();
      report.complete = true;
      await rm(stateFile, { force: true });
    }
  } finally {
    await new Promise<void>((resolve) => rejectedOut.end(resolve));
  }
  report.seconds = (now() - started) / 1000;
  report.rowsPerSecond = report.seconds > 0 ? Math.round(report.rows / report.seconds) : report.rows;
  o.onProgress?.({ bytesDone: report.complete ? st.size : bytesDone, bytesTotal: st.size, rows: seen, elapsedMs: now() - started });
  return report;
}
