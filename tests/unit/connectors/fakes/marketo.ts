/**
 * A local Marketo REST API (tests only): client-credentials tokens that expire by the test's
 * clock, activity types, a paging token, and activities.json pages chained by nextPageToken, with
 * errors in a 200 body as Marketo reports them (601/602/606) and HTTP faults on demand.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Fault = { status: number } | { marketo: string };

export class FakeMarketo {
  clientId = 'cid';
  clientSecret = 'csecret';
  expiresIn = 3600;
  types: unknown[] = [];
  /** Page i is served for token `T<i>`; its nextPageToken is `T<i+1>`. */
  pages: unknown[][] = [];
  readonly faults: Fault[] = [];
  readonly calls: string[] = [];
  readonly typeIdsAsked: string[] = [];
  private tokens = new Map<string, number>();
  private issued = 0;
  url = '';
  private server: Server | undefined;

  constructor(private readonly now: () => number) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      this.calls.push(u.pathname);
      const send = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
      if (u.pathname === '/identity/oauth/token') {
        if (u.searchParams.get('client_id') !== this.clientId || u.searchParams.get('client_secret') !== this.clientSecret) {
          return send(401, { error: 'unauthorized', error_description: 'Bad client credentials' });
        }
        const token = `tok-${++this.issued}`;
        this.tokens.set(token, this.now() + this.expiresIn * 1000);
        return send(200, { access_token: token, token_type: 'bearer', expires_in: this.expiresIn, scope: 'api@example.com' });
      }
      const fault = this.faults.shift();
      if (fault && 'status' in fault) return send(fault.status, { error: 'fault' });
      if (fault) return send(200, { requestId: 'r', success: false, errors: [{ code: fault.marketo, message: 'injected' }] });
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const expiry = token ? this.tokens.get(token) : undefined;
      if (expiry === undefined) return send(200, { requestId: 'r', success: false, errors: [{ code: '601', message: 'Access token invalid' }] });
      if (this.now() >= expiry) return send(200, { requestId: 'r', success: false, errors: [{ code: '602', message: 'Access token expired' }] });
      if (u.pathname === '/rest/v1/activities/types.json') return send(200, { requestId: 'r', success: true, result: this.types });
      if (u.pathname === '/rest/v1/activities/pagingtoken.json') {
        if (!u.searchParams.get('sinceDatetime')) return send(200, { requestId: 'r', success: false, errors: [{ code: '1003', message: 'sinceDatetime required' }] });
        return send(200, { requestId: 'r', success: true, nextPageToken: 'T0' });
      }
      if (u.pathname === '/rest/v1/activities.json') {
        const ids = u.searchParams.get('activityTypeIds') ?? '';
        this.typeIdsAsked.push(ids);
        if (ids.split(',').length > 10) return send(200, { requestId: 'r', success: false, errors: [{ code: '1003', message: 'at most 10 activity type ids' }] });
        const i = Number(/^T(\d+)$/.exec(u.searchParams.get('nextPageToken') ?? '')?.[1] ?? NaN);
        if (!Number.isInteger(i)) return send(200, { requestId: 'r', success: false, errors: [{ code: '1003', message: 'bad token' }] });
        const wanted = new Set(ids.split(',').map(Number));
        const result = (this.pages[i] ?? []).filter((a) => wanted.has((a as { activityTypeId: number }).activityTypeId));
        const more = i < this.pages.length - 1;
        return send(200, { requestId: 'r', success: true, nextPageToken: `T${i + 1}`, moreResult: more, ...(result.length ? { result } : {}) });
      }
      send(404, { error: 'not found' });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
