/**
 * A local kintone REST API (tests only) answering GET /k/v1/records.json the way kintone
 * documents it: API token in X-Cybozu-API-Token, at most 500 records per call, `{ records,
 * totalCount }`, errors as `{ code, id, message }`. It evaluates the query forms the pull sends
 * (>=, and the (updated, $id) seek) and can be told to fail the next calls.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeRecord = { app: string; id: number; updated: string; fields: Record<string, { type: string; value: unknown }> };
type Fault = { status: number; headers?: Record<string, string> };

export class FakeKintone {
  readonly records: FakeRecord[] = [];
  readonly queries: string[] = [];
  readonly faults: Fault[] = [];
  token = 'kintone-token';
  private server: Server | undefined;
  url = '';

  add(rec: FakeRecord): void { this.records.push(rec); }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (u.pathname !== '/k/v1/records.json' || req.method !== 'GET') return send(404, { code: 'GAIA_NF01', id: 'x', message: 'not found' });
      const fault = this.faults.shift();
      if (fault) return send(fault.status, { code: 'GAIA_TM01', id: 'x', message: 'try again' }, fault.headers);
      if (req.headers['x-cybozu-api-token'] !== this.token) return send(401, { code: 'GAIA_IA02', id: 'x', message: 'APIトークンが不正です。' });
      const app = u.searchParams.get('app') ?? '';
      const query = u.searchParams.get('query') ?? '';
      this.queries.push(query);
      const limit = Number(/limit (\d+)/.exec(query)?.[1] ?? 100);
      if (limit > 500) return send(400, { code: 'CB_VA01', id: 'x', message: 'limit must be 500 or less' });
      let match: (r: FakeRecord) => boolean = () => true;
      const seek = /^\(\S+ > "([^"]+)" or \(\S+ = "([^"]+)" and \$id > (\d+)\)\)/.exec(query);
      const from = /^\S+ >= "([^"]+)"/.exec(query);
      if (seek) match = (r) => r.updated > seek[1]! || (r.updated === seek[2]! && r.id > Number(seek[3]));
      else if (from) match = (r) => r.updated >= from[1]!;
      const rows = this.records
        .filter((r) => r.app === app && match(r))
        .sort((a, b) => (a.updated === b.updated ? a.id - b.id : a.updated < b.updated ? -1 : 1))
        .slice(0, limit)
        .map((r) => ({
          ...r.fields,
          $id: { type: '__ID__', value: String(r.id) },
          $revision: { type: '__REVISION__', value: '1' },
          更新日時: { type: 'UPDATED_TIME', value: r.updated },
        }));
      send(200, { records: rows, totalCount: null });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
