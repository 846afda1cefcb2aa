/**
 * Local stand-ins (tests only) for the REST endpoints write-back calls, answering as each vendor
 * documents. One HTTP server serves them all under their own paths:
 * - Salesforce: POST /services/data/vXX.X/sobjects/Task → 201 { id, success, errors };
 *   PATCH …/sobjects/Task/<ExtField>/<value> (upsert) → 201 created / 200 updated;
 *   errors [{ message, errorCode, fields }]; OAuth POST /services/oauth2/token →
 *   { access_token, instance_url, token_type }.
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_create.htm
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 * - kintone: POST /k/v1/record/comment.json { app, record, comment: { text } } → { id: "3" };
 *   GET /k/v1/record/comments.json?app&record&order&limit → { comments: [{ id, text, … }], older, newer };
 *   API token in X-Cybozu-API-Token; errors { code, id, message }.
 *   https://cybozu.dev/ja/kintone/docs/rest-api/records/add-comment/
 *   https://cybozu.dev/ja/kintone/docs/rest-api/records/get-comments/
 * - HubSpot: POST /crm/v3/objects/calls { properties, associations } → 201 { id, properties, createdAt, … };
 *   POST /crm/v3/objects/calls/batch/upsert { inputs: [{ idProperty, id, properties }] } → { status, results: [{ id, new }] };
 *   PUT /crm/v4/objects/calls/<id>/associations/default/contacts/<id>; errors { status: "error", message, category }.
 *   https://developers.hubspot.com/docs/api/crm/calls
 * - Dynamics 365 (Dataverse Web API): PATCH /api/data/v9.2/phonecalls(<guid>) with If-None-Match: *
 *   → 204 + OData-EntityId when created, 412 { error: { code, message } } when the row exists;
 *   Entra ID token POST /<tenant>/oauth2/v2.0/token (client_credentials + scope).
 *   https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api
 *   https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * - Zoho CRM: POST /crm/v6/Calls { data: [record] } → 201 { data: [{ code: "SUCCESS", details: { id }, status: "success" }] };
 *   POST /crm/v6/Calls/upsert (duplicate_check_fields); record errors { data: [{ code: "INVALID_DATA", details: { api_name }, status: "error" }] };
 *   Authorization: Zoho-oauthtoken …; POST /oauth/v2/token?grant_type=refresh_token.
 *   https://www.zoho.com/crm/developer/docs/api/v6/insert-records.html
 *   https://www.zoho.com/crm/developer/docs/api/v6/upsert-records.html
 * - Marketo: GET /identity/oauth/token?grant_type=client_credentials… → { access_token, expires_in };
 *   GET /rest/v1/leads.json?filterType=email&filterValues=… → { requestId, result: [{ id, email }], success };
 *   POST /rest/v1/lists/{id}/leads.json { input: [{ id }] } → { result: [{ id, status: "added" }], success: true };
 *   POST /rest/v1/campaigns/{id}/trigger.json { input: { leads, tokens } } → { result: [{ id }], success: true };
 *   errors in a 200 body: { success: false, errors: [{ code: "601", message }] }.
 *   https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/assets/static-lists
 *   https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/campaigns
 * - A team's own webhook receiver (POST /hooks/recycle) that checks LeadLens' signature and keeps
 *   one delivery per Idempotency-Key.
 * Faults are queued per path prefix: an HTTP status (with headers), or "land then hang" — the
 * request is processed and stored, but the answer never comes (a timeout that did reach the CRM).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Seen = { method: string; path: string; headers: IncomingMessage['headers']; body: unknown };
export type Fault = { path: string; status?: number; headers?: Record<string, string>; body?: unknown; landThenHang?: boolean };

export class FakeCrm {
  readonly seen: Seen[] = [];
  readonly faults: Fault[] = [];
  /** Salesforce Tasks by id. */
  readonly tasks = new Map<string, Record<string, unknown>>();
  /** kintone comments by "app:record", newest last. */
  readonly comments = new Map<string, { id: string; text: string }[]>();
  /** HubSpot calls by id, with their associations. */
  readonly calls = new Map<string, { properties: Record<string, string>; associations: string[] }>();
  sfToken = 'sf-session-token';
  sfTokensIssued = 0;
  kintoneToken = 'kintone-api-token';
  hubspotToken = 'pat-na1-hubspot';
  /** Dynamics phone calls by activity id. */
  readonly phonecalls = new Map<string, Record<string, unknown>>();
  dynamicsToken = 'dyn-token';
  /** Zoho Calls by id. */
  readonly zohoCalls = new Map<string, Record<string, unknown>>();
  zohoToken = 'zoho-token';
  zohoTokensIssued = 0;
  /** Marketo persons by email, list members by list id, campaign runs. */
  readonly marketoPersons = new Map<string, number>([['yamada@example.jp', 318581]]);
  readonly listMembers = new Map<number, Set<number>>();
  readonly campaignRuns: { campaign: number; lead: number; tokens: unknown }[] = [];
  marketoToken = 'mkto-token';
  /** Webhook deliveries by Idempotency-Key. */
  readonly hooks = new Map<string, unknown>();
  hookSecret = 'hook-secret-0123456789abcdef';
  url = '';
  private server: Server | undefined;
  private seq = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = raw;
        try { body = raw ? JSON.parse(raw) : undefined; } catch { /* form bodies stay text */ }
        const u = new URL(req.url ?? '/', 'http://x');
        const seen: Seen = { method: req.method ?? 'GET', path: `${u.pathname}${u.search}`, headers: req.headers, body };
        this.seen.push(seen);
        const faultAt = this.faults.findIndex((f) => u.pathname.startsWith(f.path));
        const fault = faultAt >= 0 ? this.faults.splice(faultAt, 1)[0] : undefined;
        const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
          if (fault?.landThenHang) return; // stored, never answered
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(payload === undefined ? '' : JSON.stringify(payload));
        };
        if (fault && !fault.landThenHang) return send(fault.status ?? 500, fault.body ?? { message: 'fault' }, fault.headers);
        const res204 = (entityId: string) => { res.writeHead(204, { 'OData-EntityId': entityId }); res.end(); };
        this.route(req.method ?? 'GET', u, seen, body, raw, send, res204, fault);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private id(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(15 - prefix.length, '0')}`;
  }

  private route(
    method: string, u: URL, seen: Seen, body: unknown, raw: string, send: (s: number, p?: unknown, h?: Record<string, string>) => void,
    res204: (entityId: string) => void, fault: Fault | undefined,
  ): void {
    const p = u.pathname;
    const auth = seen.headers.authorization;
    // --- Salesforce
    if (p === '/services/oauth2/token' && method === 'POST') {
      const form = new URLSearchParams(raw);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== 'sf-client-secret') return send(400, { error: 'invalid_client', error_description: 'invalid client credentials' });
      this.sfTokensIssued += 1;
      return send(200, { access_token: this.sfToken, instance_url: this.url, token_type: 'Bearer', issued_at: '1', signature: 'x' });
    }
    const sf = /^\/services\/data\/v\d+\.\d\/sobjects\/Task(?:\/([A-Za-z0-9_]+)\/([^/]+))?$/.exec(p);
    if (sf) {
      if (auth !== `Bearer ${this.sfToken}`) return send(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      const task = body as Record<string, unknown>;
      const who = String(task.WhoId ?? task.WhatId ?? '');
      if (!/^00[Q3]|^001|^006/.test(who)) return send(400, [{ message: 'Record ID: id value of incorrect type: ' + who, errorCode: 'MALFORMED_ID', fields: ['WhoId'] }]);
      if (sf[1] && method === 'PATCH') {
        const key = decodeURIComponent(sf[2]!);
        const existing = [...this.tasks.entries()].find(([, t]) => t[sf[1]!] === key);
        if (existing) {
          this.tasks.set(existing[0], { ...existing[1], ...task });
          return send(200, { id: existing[0], success: true, errors: [], created: false });
        }
        const id = this.id('00T');
        this.tasks.set(id, { ...task, [sf[1]]: key });
        return send(201, { id, success: true, errors: [], created: true });
      }
      if (method !== 'POST') return send(405, [{ message: 'method not allowed', errorCode: 'METHOD_NOT_ALLOWED' }]);
      const id = this.id('00T');
      this.tasks.set(id, task);
      return send(201, { id, success: true, errors: [] });
    }
    // --- kintone
    if (p === '/k/v1/record/comment.json' || p === '/k/v1/record/comments.json') {
      if (seen.headers['x-cybozu-api-token'] !== this.kintoneToken) return send(401, { code: 'GAIA_IA02', id: 'e1', message: 'APIトークンが不正です。' });
      if (method === 'POST' && p === '/k/v1/record/comment.json') {
        const b = body as { app?: unknown; record?: unknown; comment?: { text?: unknown } };
        if (!b.app || !b.record || typeof b.comment?.text !== 'string') return send(400, { code: 'CB_VA01', id: 'e2', message: '入力内容が正しくありません。' });
        const key = `${String(b.app)}:${String(b.record)}`;
        if (String(b.record) === '404') return send(404, { code: 'GAIA_RE01', id: 'e3', message: '指定したレコード(id: 404)が見つかりません。' });
        const list = this.comments.get(key) ?? [];
        const id = String(list.length + 1);
        list.push({ id, text: b.comment.text });
        this.comments.set(key, list);
        return send(200, { id });
      }
      if (method === 'GET' && p === '/k/v1/record/comments.json') {
        const key = `${u.searchParams.get('app') ?? ''}:${u.searchParams.get('record') ?? ''}`;
        const limit = Number(u.searchParams.get('limit') ?? 10);
        const list = [...(this.comments.get(key) ?? [])];
        if (u.searchParams.get('order') === 'desc') list.reverse();
        return send(200, { comments: list.slice(0, limit).map((c) => ({ ...c, createdAt: '2026-11-25T02:00:00Z', creator: { code: 'api', name: 'API' }, mentions: [] })), older: list.length > limit, newer: false });
      }
    }
    // --- HubSpot
    if (p.startsWith('/crm/v3/') || p.startsWith('/crm/v4/')) {
      if (auth !== `Bearer ${this.hubspotToken}`) return send(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' });
      if (p === '/crm/v3/objects/calls' && method === 'POST') {
        const b = body as { properties?: Record<string, string>; associations?: { to: { id: string }; types: { associationTypeId: number }[] }[] };
        if (!b.properties?.hs_timestamp) return send(400, { status: 'error', message: 'Property values were not valid: hs_timestamp is required', category: 'VALIDATION_ERROR' });
        const id = String(50_000_000_000 + this.calls.size + 1);
        this.calls.set(id, { properties: b.properties, associations: (b.associations ?? []).map((a) => `${a.types[0]?.associationTypeId ?? '?'}:${a.to.id}`) });
        return send(201, { id, properties: b.properties, createdAt: '2026-11-25T02:00:00Z', updatedAt: '2026-11-25T02:00:00Z', archived: false });
      }
      if (p === '/crm/v3/objects/calls/batch/upsert' && method === 'POST') {
        const b = body as { inputs: { idProperty: string; id: string; properties: Record<string, string> }[] };
        const results = b.inputs.map((input) => {
          const hit = [...this.calls.entries()].find(([, c]) => c.properties[input.idProperty] === input.id);
          if (hit) {
            hit[1].properties = { ...hit[1].properties, ...input.properties };
            return { id: hit[0], properties: hit[1].properties, new: false };
          }
          const id = String(50_000_000_000 + this.calls.size + 1);
          this.calls.set(id, { properties: input.properties, associations: [] });
          return { id, properties: input.properties, new: true };
        });
        return send(200, { status: 'COMPLETE', results, startedAt: '2026-11-25T02:00:00Z', completedAt: '2026-11-25T02:00:00Z' });
      }
      const assoc = /^\/crm\/v4\/objects\/calls\/(\d+)\/associations\/default\/contacts\/(\d+)$/.exec(p);
      if (assoc && method === 'PUT') {
        const call = this.calls.get(assoc[1]!);
        if (!call) return send(404, { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' });
        if (!call.associations.includes(`194:${assoc[2]!}`)) call.associations.push(`194:${assoc[2]!}`);
        return send(200, { status: 'COMPLETE', results: [{ from: { id: assoc[1] }, to: { id: assoc[2] }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 } }] });
      }
    }
    // --- Dynamics 365
    if (/^\/[^/]+\/oauth2\/v2\.0\/token$/.test(p) && method === 'POST') {
      const form = new URLSearchParams(raw);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== 'dyn-secret' || !form.get('scope')?.endsWith('/.default')) {
        return send(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      }
      return send(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: this.dynamicsToken });
    }
    const dyn = /^\/api\/data\/v9\.2\/phonecalls\(([0-9a-f-]{36})\)$/.exec(p);
    if (dyn && method === 'PATCH') {
      if (auth !== `Bearer ${this.dynamicsToken}`) return send(401, { error: { code: '0x80072560', message: 'The user is not a member of the organization.' } });
      const row = body as Record<string, unknown>;
      const bind = Object.entries(row).find(([k]) => /^regardingobjectid_(lead|contact|account|opportunity)@odata\.bind$/.test(k));
      if (!bind || !/^\/(leads|contacts|accounts|opportunities)\([0-9a-f-]{36}\)$/.test(String(bind[1]))) {
        return send(400, { error: { code: '0x80048d19', message: 'Error identified in Payload provided by the user for Entity :\'phonecalls\'' } });
      }
      if (seen.headers['if-none-match'] === '*' && this.phonecalls.has(dyn[1]!)) return send(412, { error: { code: '0x80040237', message: 'A record with matching key values already exists.' } });
      this.phonecalls.set(dyn[1]!, row);
      if (fault?.landThenHang) return;
      res204(`${this.url}/api/data/v9.2/phonecalls(${dyn[1]!})`);
      return;
    }
    // --- Zoho CRM
    if (p === '/oauth/v2/token' && method === 'POST') {
      const form = new URLSearchParams(raw || u.search.slice(1));
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== 'zoho-refresh') return send(200, { error: 'invalid_code' });
      this.zohoTokensIssued += 1;
      return send(200, { access_token: this.zohoToken, api_domain: this.url, token_type: 'Bearer', expires_in: 3600 });
    }
    if ((p === '/crm/v6/Calls' || p === '/crm/v6/Calls/upsert') && method === 'POST') {
      if (auth !== `Zoho-oauthtoken ${this.zohoToken}`) return send(401, { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
      const b = body as { data: Record<string, unknown>[]; duplicate_check_fields?: string[] };
      const rec = b.data[0]!;
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(String(rec.Call_Start_Time))) {
        return send(400, { data: [{ code: 'INVALID_DATA', details: { expected_data_type: 'datetime', api_name: 'Call_Start_Time' }, message: 'invalid data', status: 'error' }] });
      }
      const dupField = b.duplicate_check_fields?.[0];
      const hit = dupField ? [...this.zohoCalls.entries()].find(([, c]) => c[dupField] === rec[dupField]) : undefined;
      if (hit) {
        this.zohoCalls.set(hit[0], { ...hit[1], ...rec });
        return send(200, { data: [{ code: 'SUCCESS', duplicate_field: dupField, action: 'update', details: { id: hit[0] }, message: 'record updated', status: 'success' }] });
      }
      const id = String(6_000_000_000_000_000_000n + BigInt(this.zohoCalls.size + 1));
      this.zohoCalls.set(id, rec);
      return send(201, { data: [{ code: 'SUCCESS', ...(dupField ? { duplicate_field: null, action: 'insert' } : {}), details: { id, Created_Time: '2026-11-25T11:00:00+09:00' }, message: 'record added', status: 'success' }] });
    }
    // --- Marketo
    if (p === '/identity/oauth/token') {
      if (u.searchParams.get('client_secret') !== 'mkto-secret') return send(401, { error: 'unauthorized', error_description: 'No client with requested id' });
      return send(200, { access_token: this.marketoToken, token_type: 'bearer', expires_in: 3599, scope: 'api@example.jp' });
    }
    if (p.startsWith('/rest/v1/')) {
      if (auth !== `Bearer ${this.marketoToken}`) return send(200, { requestId: 'r1', success: false, errors: [{ code: '601', message: 'Access token invalid' }] });
      if (p === '/rest/v1/leads.json' && method === 'GET') {
        const id = this.marketoPersons.get(u.searchParams.get('filterValues') ?? '');
        return send(200, { requestId: 'r2', result: id === undefined ? [] : [{ id, email: u.searchParams.get('filterValues') }], success: true });
      }
      const list = /^\/rest\/v1\/lists\/(\d+)\/leads\.json$/.exec(p);
      if (list && method === 'POST') {
        const members = this.listMembers.get(Number(list[1])) ?? new Set<number>();
        const input = (body as { input: { id: number }[] }).input;
        for (const i of input) members.add(i.id);
        this.listMembers.set(Number(list[1]), members);
        return send(200, { requestId: 'r3', result: input.map((i) => ({ id: i.id, status: 'added' })), success: true });
      }
      const camp = /^\/rest\/v1\/campaigns\/(\d+)\/trigger\.json$/.exec(p);
      if (camp && method === 'POST') {
        const b = body as { input: { leads: { id: number }[]; tokens?: unknown } };
        if (Number(camp[1]) === 404) return send(200, { requestId: 'r4', success: false, errors: [{ code: '1013', message: 'Campaign not found' }] });
        for (const l of b.input.leads) this.campaignRuns.push({ campaign: Number(camp[1]), lead: l.id, tokens: b.input.tokens });
        return send(200, { requestId: 'r5', result: [{ id: Number(camp[1]) }], success: true });
      }
    }
    // --- the team's webhook receiver
    if (p === '/hooks/recycle' && method === 'POST') {
      const ts = String(seen.headers['x-leadlens-timestamp'] ?? '');
      const expected = `v1=${createHmac('sha256', this.hookSecret).update(`${ts}.${raw}`, 'utf8').digest('hex')}`;
      if (seen.headers['x-leadlens-signature'] !== expected) return send(401, { error: 'bad signature' });
      const key = String(seen.headers['idempotency-key'] ?? '');
      if (!this.hooks.has(key)) this.hooks.set(key, body);
      return send(200, { ok: true });
    }
    send(404, { message: `fake CRM: no route ${method} ${p}` });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
