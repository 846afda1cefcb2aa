// @vitest-environment node
/**
 * CSV import: row mapping, Excel's encodings (Shift_JIS, UTF-8 with BOM), the progress line,
 * rejected rows with their line numbers, a clear error for a missing column, and an interrupted
 * import resumed from its saved position.
 */
import { mkdtemp, readFile, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { beforeEach, describe, expect, it } from 'vitest';
import { CsvMapping, csvDateTime, detectEncoding, formatProgress, importCsv, mapCsvRow } from '../../../server/connectors/csv';
import { loadMapping, UsageError } from '../../../server/connectors/csv-cli';
import { MemorySink } from './memory-sink';
import { fixture } from './helpers';

const leadsMap = CsvMapping.parse(JSON.parse(fixture('csv/leads-mapping.json')));
const eventsMap = CsvMapping.parse(JSON.parse(fixture('csv/events-mapping.json')));
const HEADER = '顧客ID,姓,名,会社名,メール,担当者メール,従業員数,状態';

describe('CSV rows', () => {
  it.each([
    [{ 顧客ID: 'C-1', 姓: '山田', 名: '花子', 会社名: '山田商事', メール: 'h@ex.jp', 担当者メール: 'rep@ex.jp', 従業員数: '1,200', 状態: '商談中' },
      { lead: { externalId: 'C-1', name: '山田 花子', company: '山田商事', email: 'h@ex.jp', ownerEmail: 'rep@ex.jp', employees: 1200, stage: 'process' } }],
    [{ 顧客ID: 'C-2', 姓: '佐藤', 状態: 'lead' }, { lead: { externalId: 'C-2', name: '佐藤', stage: 'lead' } }],
    [{ 顧客ID: '', 姓: '佐藤' }, { rejected: '顧客ID: empty' }],
    [{ 顧客ID: 'C-3' }, { rejected: '姓 + 名: empty' }],
    [{ 顧客ID: 'C-4', 姓: 'A', 状態: '不明' }, { rejected: '状態: "不明" is not a stage (map it under "stages")' }],
    [{ 顧客ID: 'C-5', 姓: 'A', 従業員数: '約100' }, { rejected: '従業員数: "約100" is not a number of employees' }],
  ])('lead row %#', (row, expected) => {
    expect(mapCsvRow(leadsMap, row)).toEqual(expected);
  });
  it.each([
    [{ 履歴ID: 'H1', メール: 'h@ex.jp', 区分: '視聴', 日時: '2024/6/12 9:05', 件名: '入門動画', 視聴率: '85.5' },
      { event: { id: 'H1', lead: { email: 'h@ex.jp' }, type: 'video_watched', at: '2024-06-12T09:05:00+09:00', channel: 'csv', title: '入門動画', meta: { watchedPercent: 85.5 } } }],
    [{ 履歴ID: 'H2', メール: 'h@ex.jp', 区分: 'web_visit', 日時: '2024-06-12T00:00:00Z' }, { event: { id: 'H2', lead: { email: 'h@ex.jp' }, type: 'web_visit', at: '2024-06-12T00:00:00Z', channel: 'csv' } }],
    [{ 履歴ID: 'H3', 区分: '来場', 日時: '2024/6/12' }, { rejected: 'メール: empty, no lead to attach the event to' }],
    [{ 履歴ID: 'H4', メール: 'h@ex.jp', 区分: '来場', 日時: '昨日' }, { rejected: '日時: "昨日" is not a date and time' }],
  ])('event row %#', (row, expected) => {
    expect(mapCsvRow(eventsMap, row)).toEqual(expected);
  });
  it('without an id column the id is stable for the same row and differs for another', () => {
    const m = CsvMapping.parse({ ...JSON.parse(fixture('csv/events-mapping.json')), columns: { leadEmail: 'メール', type: '区分', at: '日時' } });
    const a = mapCsvRow(m, { メール: 'h@ex.jp', 区分: '来場', 日時: '2024/6/12 10:00' }) as { event: { id: string } };
    const b = mapCsvRow(m, { メール: 'h@ex.jp', 区分: '来場', 日時: '2024/6/12 10:00' }) as { event: { id: string } };
    const c = mapCsvRow(m, { メール: 'h@ex.jp', 区分: '来場', 日時: '2024/6/13 10:00' }) as { event: { id: string } };
    expect(a.event.id).toBe(b.event.id);
    expect(a.event.id).not.toBe(c.event.id);
  });
  it.each([
    ['2024/6/1', '2024-06-01T00:00:00+09:00'], ['2024-06-01 7:08:09', '2024-06-01T07:08:09+09:00'],
    ['2024-06-01T07:08:09+09:00', '2024-06-01T07:08:09+09:00'], ['2024/13/01', undefined], ['6/1', undefined],
  ])('time %s → %s', (v, iso) => { expect(csvDateTime(v, '+09:00')).toBe(iso); });
  it.each([
    [Buffer.from([0xef, 0xbb, 0xbf, 0x41]), 'utf8'],
    [Buffer.from('顧客ID,氏名\n', 'utf8'), 'utf8'],
    [iconv.encode('顧客ID,氏名\n山田,花子\n', 'cp932'), 'cp932'],
    [Buffer.from('顧客', 'utf8').subarray(0, 4), 'utf8'],
  ])('encoding of %#', (buf, enc) => { expect(detectEncoding(buf)).toBe(enc); });
  it.each([
    [{ bytesDone: 0, bytesTotal: 100, rows: 0, elapsedMs: 0 }, '[--------------------]   0%  0 rows  0 rows/s  ETA 0:00'],
    [{ bytesDone: 25, bytesTotal: 100, rows: 50_000, elapsedMs: 2_000 }, '[#####---------------]  25%  50,000 rows  25,000 rows/s  ETA 0:06'],
    [{ bytesDone: 100, bytesTotal: 100, rows: 200_000, elapsedMs: 8_000 }, '[####################] 100%  200,000 rows  25,000 rows/s  ETA 0:00'],
  ])('progress %#', (p, line) => { expect(formatProgress(p)).toBe(line); });
});

describe('CSV import', () => {
  let dir: string;
  let sink: MemorySink;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'leadlens-csv-')); sink = new MemorySink(); });
  const org = { orgId: 'org1' };
  const rows = (n: number, from = 1) => Array.from({ length: n }, (_v, i) => `C-${from + i},姓${from + i},名,会社,u${from + i}@ex.jp,,${i},商談中`).join('\r\n');

  it('Shift_JIS from Excel: leads stored, a bad row rejected with its line number (a quoted line break counted)', async () => {
    const text = `${HEADER}\r\nC-1,山田,花子,"山田商事\r\n東京本社",h@ex.jp,rep@ex.jp,"1,200",商談中\r\nC-2,,,,,,,\r\nC-3,佐藤,一郎,,s@ex.jp,,,休眠\r\n`;
    const file = join(dir, 'leads.csv');
    await writeFile(file, iconv.encode(text, 'cp932'));
    const report = await importCsv({ file, mapping: leadsMap, sink, org });
    expect(report).toMatchObject({ encoding: 'cp932', rows: 3, stored: 2, rejected: 1, complete: true });
    expect(sink.leads.get('org1/C-1')).toMatchObject({ name: '山田 花子', company: '山田商事\r\n東京本社', employees: 1200, stage: 'process' });
    expect(await readFile(`${file}.rejected.csv`, 'utf8')).toBe('line,error\n4,姓 + 名: empty\n');
  });

  it('empty lines are skipped but still counted in line numbers', async () => {
    const file = join(dir, 'gaps.csv');
    await writeFile(file, `${HEADER}\n\nC-1,山田,,,,,,\n\n\nC-2,,,,,,,\n`);
    expect(await importCsv({ file, mapping: leadsMap, sink, org })).toMatchObject({ rows: 2, stored: 1, rejected: 1 });
    expect(await readFile(`${file}.rejected.csv`, 'utf8')).toBe('line,error\n6,姓 + 名: empty\n');
  });

  it('UTF-8 with BOM: the first column name is read without the BOM', async () => {
    const file = join(dir, 'bom.csv');
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}\n${rows(3)}\n`, 'utf8')]));
    const report = await importCsv({ file, mapping: leadsMap, sink, org });
    expect(report).toMatchObject({ encoding: 'utf8', stored: 3, rejected: 0 });
  });

  it('a header without a mapped column stops at once with the columns it has', async () => {
    const file = join(dir, 'wrong.csv');
    await writeFile(file, 'ID,Name\n1,A\n');
    await expect(importCsv({ file, mapping: leadsMap, sink, org })).rejects.toThrow(/no column "顧客ID", "姓", "名".* \(it has "ID", "Name"\)/);
    expect(sink.calls).toBe(0);
  });

  it('an empty file is an error, not an import of nothing', async () => {
    const file = join(dir, 'empty.csv');
    await writeFile(file, '');
    await expect(importCsv({ file, mapping: leadsMap, sink, org })).rejects.toThrow(/empty/);
  });

  it('the sink’s own rejections are reported with the row’s line', async () => {
    const file = join(dir, 'bad-email.csv');
    await writeFile(file, `${HEADER}\nC-1,山田,花子,,not-an-email,,,\nC-2,佐藤,,,s@ex.jp,,,\n`);
    await importCsv({ file, mapping: leadsMap, sink, org });
    expect(await readFile(`${file}.rejected.csv`, 'utf8')).toMatch(/^line,error\n2,email: /);
  });

  it('interrupted after the first batch: a second run resumes from the saved position and completes', async () => {
    const file = join(dir, 'big.csv');
    await writeFile(file, `${HEADER}\n${rows(2500)}\n`);
    const first = await importCsv({ file, mapping: leadsMap, sink, org, stopAfterBatches: 1 });
    expect(first).toMatchObject({ complete: false, rows: 1000, stored: 1000 });
    expect(JSON.parse(await readFile(`${file}.import-state.json`, 'utf8'))).toMatchObject({ done: 1000, kind: 'leads' });
    const second = await importCsv({ file, mapping: leadsMap, sink, org });
    expect(second).toMatchObject({ complete: true, skipped: 1000, rows: 1500, stored: 1500 });
    expect(sink.leads.size).toBe(2500);
    await expect(access(`${file}.import-state.json`)).rejects.toThrow();
  });

  it('events: importing the same file twice stores nothing twice', async () => {
    const file = join(dir, 'events.csv');
    await writeFile(file, '履歴ID,メール,区分,日時,件名,視聴率\nH1,h@ex.jp,来場,2024/6/12 10:00,セミナー,\nH2,h@ex.jp,視聴,2024/6/12 11:00,動画,91\n');
    expect(await importCsv({ file, mapping: eventsMap, sink, org })).toMatchObject({ stored: 2, duplicates: 0 });
    expect(await importCsv({ file, mapping: eventsMap, sink, org })).toMatchObject({ stored: 0, duplicates: 2 });
    expect(sink.events.get('org1/H2')?.meta).toEqual({ watchedPercent: 91 });
  });

  it('mapping files are validated with the place of each problem', async () => {
    const file = join(dir, 'm.json');
    await writeFile(file, JSON.stringify({ kind: 'events', columns: { at: '日時' } }));
    await expect(loadMapping(file, 'events')).rejects.toThrow(/columns\.leadEmail: leadEmail or leadExternalId is required.*type: give a type column/);
    await expect(loadMapping(file, 'leads')).rejects.toBeInstanceOf(UsageError);
  });
});
