// @vitest-environment node
/**
 * Each write-back target against a local fake built from the vendor's documented requests and
 * answers (tests/unit/connectors/fakes/crm-writeback.ts): the request's shape and auth header,
 * the vendor's error as the answer, and what makes a retry safe where the vendor offers a way.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseWriteBackConfig, writeBackTargets } from '../../server/connectors/writeback/config';
import { activityGuid } from '../../server/connectors/dynamics/writeback';
import { nextStep } from '../../server/connectors/writeback/decide';
import type { CallItem, OutboxTarget, RecycleItem, SendDeps, TargetRef } from '../../server/connectors/writeback/types';
import { webhookSignature } from '../../server/connectors/webhook/recycle';
import { FakeCrm } from './connectors/fakes/crm-writeback';

const NOW = Date.parse('2026-11-25T02:00:00Z');
const fake = new FakeCrm();
beforeAll(() => fake.start());
afterAll(() => fake.stop());
beforeEach(() => {
  fake.seen.length = 0;
  fake.faults.length = 0;
  fake.tasks.clear();
  fake.comments.clear();
  fake.calls.clear();
  fake.phonecalls.clear();
  fake.zohoCalls.clear();
  fake.zohoTokensIssued = 0;
  fake.listMembers.clear();
  fake.campaignRuns.length = 0;
  fake.hooks.clear();
  fake.marketoToken = 'mkto-token';
  fake.sfToken = 'sf-session-token';
  fake.sfTokensIssued = 0;
});

const deps = (mayHaveLanded = false): SendDeps => ({ fetch: (url, init) => fetch(url, init), now: () => NOW, mayHaveLanded });

function call(ref: TargetRef, extra: Partial<CallItem> = {}): CallItem {
  return {
    kind: 'call', activityId: 'call_abc123', outcome: 'connected', note: '来月の予算会議で検討とのこと', at: '2026-11-25T01:45:00.000Z',
    actor: { name: '佐藤 健', email: 'sato@example.jp' }, ref, ...extra,
  };
}

function only(config: unknown): OutboxTarget {
  const [t] = writeBackTargets(parseWriteBackConfig(config));
  if (!t) throw new Error('no target');
  return t;
}

const SF_LEAD: TargetRef = { crm: 'salesforce', objectType: 'lead', recordId: '00Q5g00000AbCdEFGH', host: 'acme.my.salesforce.com' };

describe('Salesforce Task', () => {
  const sf = (extra: Record<string, unknown> = {}) => only({ salesforce: [{ id: 'main', orgId: 'o', instanceUrl: fake.url, accessToken: 'sf-session-token', ...extra }] });

  it('POSTs a completed call Task on the Lead with the bearer token', async () => {
    const out = await sf().send(call(SF_LEAD), deps());
    expect(out).toMatchObject({ ok: true, status: 201, remoteId: '00T000000000001' });
    const req = fake.seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/services/data/v62.0/sobjects/Task');
    expect(req.headers.authorization).toBe('Bearer sf-session-token');
    expect(req.body).toEqual({
      WhoId: '00Q5g00000AbCdEFGH', Subject: '架電: 本人と通話', Status: 'Completed', TaskSubtype: 'Call', CallType: 'Outbound',
      CallDisposition: '本人と通話', ActivityDate: '2026-11-25',
      Description: '来月の予算会議で検討とのこと\n\nLeadLens から記録(担当: 佐藤 健) [call_abc123]',
    });
  });

  it('puts an Account in WhatId, in English when configured', async () => {
    await sf({ locale: 'en' }).send(call({ ...SF_LEAD, objectType: 'account', recordId: '0015g00000QwErTAAV' }, { outcome: 'lost', lossReason: 'price', note: undefined }), deps());
    expect(fake.seen[0]!.body).toMatchObject({ WhatId: '0015g00000QwErTAAV', Subject: 'Call: lost (price)', Description: 'Logged in LeadLens by 佐藤 健 [call_abc123]' });
  });

  it('picks the Lead or Contact of its own org before an Account, and no other tenant', () => {
    const t = sf({ instanceUrl: 'https://acme.my.salesforce.com' });
    const account = { ...SF_LEAD, objectType: 'account', recordId: '0015g00000QwErTAAV' };
    const other = { ...SF_LEAD, host: 'other.my.salesforce.com' };
    expect(t.pick!([account, SF_LEAD])).toEqual(SF_LEAD);
    expect(t.pick!([account])).toEqual(account);
    expect(t.pick!([other])).toBeUndefined();
    expect(t.pick!([{ ...SF_LEAD, host: '' }])).toEqual({ ...SF_LEAD, host: '' });
    expect(t.pick!([{ ...SF_LEAD, crm: 'kintone' }])).toBeUndefined();
  });

  it('gets a client-credentials token once, uses its instance_url, and renews it once on 401', async () => {
    const t = sf({ accessToken: undefined, instanceUrl: 'https://acme.my.salesforce.com', oauth: { tokenUrl: `${fake.url}/services/oauth2/token`, clientId: 'cid', clientSecret: 'sf-client-secret' } });
    expect((await t.send(call(SF_LEAD), deps())).ok).toBe(true);
    expect((await t.send(call(SF_LEAD, { activityId: 'call_2' }), deps())).ok).toBe(true);
    expect(fake.sfTokensIssued).toBe(1);
    expect(fake.seen[0]!.body).toBe('client_id=cid&client_secret=sf-client-secret&grant_type=client_credentials');
    fake.sfToken = 'rotated';
    expect((await t.send(call(SF_LEAD, { activityId: 'call_3' }), deps())).ok).toBe(true);
    expect(fake.sfTokensIssued).toBe(2);
    expect(fake.tasks.size).toBe(3);
  });

  it('a refused client secret is a failed delivery with the token endpoint\'s words, never the secret', async () => {
    const t = sf({ accessToken: undefined, oauth: { tokenUrl: `${fake.url}/services/oauth2/token`, clientId: 'cid', clientSecret: 'wrong-secret' } });
    await expect(t.send(call(SF_LEAD), deps())).rejects.toThrow(/token endpoint answered 400: .*invalid_client/);
    await t.send(call(SF_LEAD), deps()).catch((e: Error) => expect(e.message).not.toContain('wrong-secret'));
  });

  it('with an external-id field, upserts: a retry after a landed timeout updates the same Task', async () => {
    const t = sf({ externalIdField: 'LeadLens_Id__c' });
    const first = await t.send(call(SF_LEAD), deps());
    const again = await t.send(call(SF_LEAD), deps(true));
    expect(first).toMatchObject({ ok: true, status: 201 });
    expect(again).toMatchObject({ ok: true, status: 200, remoteId: first.ok ? first.remoteId : '' });
    expect(fake.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'PATCH /services/data/v62.0/sobjects/Task/LeadLens_Id__c/call_abc123', 'PATCH /services/data/v62.0/sobjects/Task/LeadLens_Id__c/call_abc123',
    ]);
    expect(fake.tasks.size).toBe(1);
  });

  it('a malformed id is a permanent failure carrying Salesforce\'s message', async () => {
    const out = await sf().send(call({ ...SF_LEAD, recordId: 'bogus' }), deps());
    expect(out).toMatchObject({ ok: false, status: 400 });
    expect(out.answer).toContain('MALFORMED_ID');
    expect(nextStep(out, 1, NOW, 0)).toEqual({ status: 'failed' });
  });

  it('the daily API limit (403 REQUEST_LIMIT_EXCEEDED) waits an hour instead of failing', async () => {
    fake.faults.push({ path: '/services/data', status: 403, body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] });
    const out = await sf().send(call(SF_LEAD), deps());
    expect(nextStep(out, 1, NOW, 0)).toEqual({ status: 'pending', at: NOW + 3_600_000 });
  });
});

const KT_REF: TargetRef = { crm: 'kintone', objectType: '12', recordId: '34', host: 'example.cybozu.com' };

describe('kintone record comment', () => {
  const kt = (extra: Record<string, unknown> = {}) => only({ kintone: [{ id: 'main', orgId: 'o', host: 'example.cybozu.com', apiToken: 'kintone-api-token', baseUrl: fake.url, ...extra }] });

  it('POSTs the comment with the API token header', async () => {
    const out = await kt().send(call(KT_REF), deps());
    expect(out).toMatchObject({ ok: true, status: 200, remoteId: '1' });
    const req = fake.seen[0]!;
    expect(`${req.method} ${req.path}`).toBe('POST /k/v1/record/comment.json');
    expect(req.headers['x-cybozu-api-token']).toBe('kintone-api-token');
    expect(req.body).toEqual({ app: '12', record: '34', comment: { text: '架電: 本人と通話\n来月の予算会議で検討とのこと\n\nLeadLens から記録(担当: 佐藤 健) [call_abc123]' } });
  });

  it('when an earlier attempt may have landed, finds its comment and does not post twice', async () => {
    const t = kt();
    fake.faults.push({ path: '/k/v1/record/comment.json', landThenHang: true });
    const ctrl = new AbortController();
    const first = t.send(call(KT_REF), { ...deps(), fetch: (url, init) => fetch(url, { ...init, signal: ctrl.signal }) });
    await expect.poll(() => fake.comments.get('12:34')?.length ?? 0).toBe(1);
    ctrl.abort();
    await expect(first).rejects.toThrow();
    const again = await t.send(call(KT_REF), deps(true));
    expect(again).toMatchObject({ ok: true, remoteId: '1' });
    expect(fake.comments.get('12:34')).toHaveLength(1);
    expect(fake.seen.at(-1)!.path).toBe('/k/v1/record/comments.json?app=12&record=34&order=desc&limit=10');
  });

  it('when an earlier attempt may have landed but did not, posts', async () => {
    const out = await kt().send(call(KT_REF), deps(true));
    expect(out).toMatchObject({ ok: true, remoteId: '1' });
    expect(fake.seen.map((s) => s.method)).toEqual(['GET', 'POST']);
  });

  it('only comments in the configured apps of its own tenant', () => {
    const t = kt({ apps: ['12'] });
    expect(t.pick!([{ ...KT_REF, objectType: '99' }, KT_REF])).toEqual(KT_REF);
    expect(t.pick!([{ ...KT_REF, objectType: '99' }])).toBeUndefined();
    expect(t.pick!([{ ...KT_REF, host: 'partner.cybozu.com' }])).toBeUndefined();
  });

  it('a missing record fails permanently with kintone\'s message; a 503 is retried', async () => {
    const gone = await kt().send(call({ ...KT_REF, recordId: '404' }), deps());
    expect(gone).toMatchObject({ ok: false, status: 404 });
    expect(gone.answer).toContain('GAIA_RE01');
    expect(nextStep(gone, 1, NOW, 0)).toEqual({ status: 'failed' });
    fake.faults.push({ path: '/k/v1', status: 520, body: { code: 'CB_VA01', id: 'x', message: '入力内容が正しくありません。' } });
    expect(nextStep(await kt().send(call(KT_REF), deps()), 1, NOW, 0)).toEqual({ status: 'failed' });
    fake.faults.push({ path: '/k/v1', status: 503, body: { code: 'GAIA_TM12', id: 'x', message: '一時的に利用できません' } });
    expect(nextStep(await kt().send(call(KT_REF), deps()), 1, NOW, 0)).toEqual({ status: 'pending', at: NOW + 15_000 });
  });
});

const HS_CONTACT: TargetRef = { crm: 'hubspot', objectType: '0-1', recordId: '65059681032', host: '12345678' };

describe('HubSpot call engagement', () => {
  const hs = (extra: Record<string, unknown> = {}) => only({ hubspot: [{ id: 'main', orgId: 'o', portalId: '12345678', accessToken: 'pat-na1-hubspot', baseUrl: fake.url, ...extra }] });

  it('POSTs the call with its association to the contact (type 194)', async () => {
    const out = await hs().send(call(HS_CONTACT, { outcome: 'no_answer', note: undefined }), deps());
    expect(out).toMatchObject({ ok: true, status: 201, remoteId: '50000000001' });
    const req = fake.seen[0]!;
    expect(`${req.method} ${req.path}`).toBe('POST /crm/v3/objects/calls');
    expect(req.headers.authorization).toBe('Bearer pat-na1-hubspot');
    expect(req.body).toEqual({
      properties: {
        hs_timestamp: '2026-11-25T01:45:00.000Z', hs_call_title: '架電: 不在', hs_call_body: 'LeadLens から記録(担当: 佐藤 健) [call_abc123]',
        hs_call_direction: 'OUTBOUND', hs_call_status: 'COMPLETED', hs_call_disposition: '73a0d17f-1163-4015-bdd5-ec830791da20',
      },
      associations: [{ to: { id: '65059681032' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }] }],
    });
    expect(fake.calls.get('50000000001')!.associations).toEqual(['194:65059681032']);
  });

  it('with a unique property, upserts by the activity id: a retry adds no second call', async () => {
    const t = hs({ uniqueProperty: 'leadlens_id' });
    const first = await t.send(call(HS_CONTACT), deps());
    const again = await t.send(call(HS_CONTACT), deps(true));
    expect(first).toMatchObject({ ok: true, remoteId: '50000000001' });
    expect(again).toMatchObject({ ok: true, remoteId: '50000000001' });
    expect(fake.calls.size).toBe(1);
    expect(fake.calls.get('50000000001')!.associations).toEqual(['194:65059681032']);
    expect(fake.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /crm/v3/objects/calls/batch/upsert', 'PUT /crm/v4/objects/calls/50000000001/associations/default/contacts/65059681032',
      'POST /crm/v3/objects/calls/batch/upsert', 'PUT /crm/v4/objects/calls/50000000001/associations/default/contacts/65059681032',
    ]);
  });

  it('a refused token fails with HubSpot\'s message; a 429 waits for its Retry-After', async () => {
    const out = await hs({ accessToken: 'pat-wrong' }).send(call(HS_CONTACT), deps());
    expect(out).toMatchObject({ ok: false, status: 401 });
    expect(out.answer).toContain('Authentication credentials not found.');
    expect(nextStep(out, 1, NOW, 0)).toEqual({ status: 'failed' });
    fake.faults.push({ path: '/crm', status: 429, headers: { 'retry-after': '10' }, body: { status: 'error', message: 'You have reached your secondly limit.', category: 'RATE_LIMITS' } });
    expect(nextStep(await hs().send(call(HS_CONTACT), deps()), 1, NOW, 0)).toEqual({ status: 'pending', at: NOW + 15_000 });
  });
});

const DYN_LEAD: TargetRef = { crm: 'dynamics', objectType: 'lead', recordId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', host: 'contoso.crm7.dynamics.com' };

describe('Dynamics 365 phone call', () => {
  const dyn = (extra: Record<string, unknown> = {}) => only({ dynamics: [{
    id: 'main', orgId: 'o', url: fake.url,
    oauth: { tokenUrl: `${fake.url}/contoso-tenant/oauth2/v2.0/token`, clientId: 'app-id', clientSecret: 'dyn-secret', scope: 'https://contoso.crm7.dynamics.com/.default' }, ...extra,
  }] });

  it('creates the phone call under a GUID of its own with If-None-Match: *, regarding the lead', async () => {
    const out = await dyn().send(call(DYN_LEAD), deps());
    const guid = activityGuid('call_abc123');
    expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out).toMatchObject({ ok: true, status: 204, remoteId: guid });
    const [token, req] = fake.seen;
    expect(token!.body).toBe('client_id=app-id&client_secret=dyn-secret&grant_type=client_credentials&scope=https%3A%2F%2Fcontoso.crm7.dynamics.com%2F.default');
    expect(`${req!.method} ${req!.path}`).toBe(`PATCH /api/data/v9.2/phonecalls(${guid})`);
    expect(req!.headers).toMatchObject({ authorization: 'Bearer dyn-token', 'if-none-match': '*', 'odata-version': '4.0' });
    expect(req!.body).toEqual({
      subject: '架電: 本人と通話', description: '来月の予算会議で検討とのこと\n\nLeadLens から記録(担当: 佐藤 健) [call_abc123]', directioncode: true,
      actualend: '2026-11-25T01:45:00.000Z', 'regardingobjectid_lead@odata.bind': '/leads(3f2504e0-4f89-11d3-9a0c-0305e82c3301)',
    });
  });

  it('a retry after a landed timeout meets 412 and counts as delivered: one phone call', async () => {
    const t = dyn();
    expect((await t.send(call(DYN_LEAD), deps())).ok).toBe(true);
    expect(await t.send(call(DYN_LEAD), deps(true))).toMatchObject({ ok: true, status: 412 });
    expect(fake.phonecalls.size).toBe(1);
  });

  it('a contact binds regardingobjectid_contact; a refused client secret fails with Entra ID\'s words', async () => {
    await dyn().send(call({ ...DYN_LEAD, objectType: 'contact' }), deps());
    expect(fake.seen.at(-1)!.body).toMatchObject({ 'regardingobjectid_contact@odata.bind': '/contacts(3f2504e0-4f89-11d3-9a0c-0305e82c3301)' });
    const bad = dyn({ oauth: { tokenUrl: `${fake.url}/contoso-tenant/oauth2/v2.0/token`, clientId: 'app-id', clientSecret: 'nope', scope: 'https://x/.default' } });
    await expect(bad.send(call(DYN_LEAD), deps())).rejects.toThrow(/token endpoint answered 401: .*AADSTS7000215/);
  });
});

const ZOHO_LEAD: TargetRef = { crm: 'zoho', objectType: 'leads', recordId: '4876876000000624001', host: 'crm.zoho.jp' };

describe('Zoho CRM call', () => {
  const zoho = (extra: Record<string, unknown> = {}) => only({ zoho: [{
    id: 'main', orgId: 'o', apiDomain: fake.url, crmHost: 'crm.zoho.jp',
    oauth: { tokenUrl: `${fake.url}/oauth/v2/token`, clientId: '1000.ABC', clientSecret: 'zs', refreshToken: 'zoho-refresh' }, ...extra,
  }] });

  it('POSTs an outbound call on the lead (What_Id + $se_module) with a Zoho-oauthtoken from the refresh token', async () => {
    const out = await zoho().send(call(ZOHO_LEAD), deps());
    expect(out).toMatchObject({ ok: true, status: 201, remoteId: '6000000000000000001' });
    const [token, req] = fake.seen;
    expect(new URLSearchParams(String(token!.body)).get('grant_type')).toBe('refresh_token');
    expect(`${req!.method} ${req!.path}`).toBe('POST /crm/v6/Calls');
    expect(req!.headers.authorization).toBe('Zoho-oauthtoken zoho-token');
    expect(req!.body).toEqual({ data: [{
      Subject: '架電: 本人と通話', Call_Type: 'Outbound', Call_Start_Time: '2026-11-25T01:45:00+00:00', Call_Duration: '00:00', Call_Result: '本人と通話',
      Description: '来月の予算会議で検討とのこと\n\nLeadLens から記録(担当: 佐藤 健) [call_abc123]', What_Id: { id: '4876876000000624001' }, $se_module: 'Leads',
    }] });
  });

  it('a contact goes in Who_Id; with a unique field, a retry updates the same call', async () => {
    const t = zoho({ uniqueField: 'LeadLens_Id' });
    const contact = { ...ZOHO_LEAD, objectType: 'contacts' };
    const first = await t.send(call(contact), deps());
    const again = await t.send(call(contact), deps(true));
    expect(first).toMatchObject({ ok: true, remoteId: '6000000000000000001' });
    expect(again).toMatchObject({ ok: true, status: 200, remoteId: '6000000000000000001' });
    expect(fake.zohoCalls.size).toBe(1);
    expect(fake.seen.at(-1)!.path).toBe('/crm/v6/Calls/upsert');
    expect(fake.seen.at(-1)!.body).toMatchObject({ duplicate_check_fields: ['LeadLens_Id'], data: [{ Who_Id: { id: '4876876000000624001' }, LeadLens_Id: 'call_abc123' }] });
    expect(fake.zohoTokensIssued).toBe(1);
  });

  it('a record error fails permanently with Zoho\'s code; a 429 is retried', async () => {
    const out = await zoho().send(call(ZOHO_LEAD, { at: 'not a time' }), deps());
    expect(out).toMatchObject({ ok: false, status: 400 });
    expect(out.answer).toContain('INVALID_DATA');
    expect(nextStep(out, 1, NOW, 0)).toEqual({ status: 'failed' });
    fake.faults.push({ path: '/crm/v6/Calls', status: 429, body: { code: 'TOO_MANY_REQUESTS', message: 'too many requests', status: 'error' } });
    expect(nextStep(await zoho().send(call(ZOHO_LEAD), deps()), 1, NOW, 0)).toEqual({ status: 'pending', at: NOW + 15_000 });
  });
});

const RECYCLE: RecycleItem = {
  kind: 'recycle', activityId: 'rc_xyz789', leadId: 'ld_1', email: 'yamada@example.jp', track: 'kintone活用ナーチャリング', frequency: 'monthly',
  at: '2026-11-25T02:00:00.000Z', actor: { name: '佐藤 健', email: 'sato@example.jp' },
};

describe('recycle to Marketo', () => {
  const mkto = (action: Record<string, number>, extra: Record<string, unknown> = {}) => only({ marketo: [{ id: 'm', orgId: 'o', munchkinId: '123-ABC-456', clientId: 'cid', clientSecret: 'mkto-secret', baseUrl: fake.url, action, ...extra }] });

  it('finds the person by email and adds them to the static list; twice is still one member', async () => {
    const t = mkto({ addToList: 1001 });
    expect(await t.send(RECYCLE, deps())).toMatchObject({ ok: true, status: 200, remoteId: '318581' });
    expect(fake.seen.map((s) => `${s.method} ${s.path.split('?')[0]}`)).toEqual(['GET /identity/oauth/token', 'GET /rest/v1/leads.json', 'POST /rest/v1/lists/1001/leads.json']);
    expect(fake.seen[1]!.path).toBe('/rest/v1/leads.json?filterType=email&filterValues=yamada%40example.jp&fields=id%2Cemail');
    expect(fake.seen[2]!.headers.authorization).toBe('Bearer mkto-token');
    expect(fake.seen[2]!.body).toEqual({ input: [{ id: 318581 }] });
    expect((await t.send(RECYCLE, deps(true))).ok).toBe(true);
    expect([...fake.listMembers.get(1001)!]).toEqual([318581]);
  });

  it('requests a campaign with the track and frequency as My Tokens, renewing a token Marketo calls invalid', async () => {
    const t = mkto({ requestCampaign: 2002 });
    expect((await t.send(RECYCLE, deps())).ok).toBe(true);
    fake.marketoToken = 'mkto-rotated';
    expect((await t.send({ ...RECYCLE, activityId: 'rc_2' }, deps())).ok).toBe(true);
    expect(fake.campaignRuns).toEqual([1, 2].map(() => ({ campaign: 2002, lead: 318581, tokens: [{ name: '{{my.LeadLens Track}}', value: 'kintone活用ナーチャリング' }, { name: '{{my.LeadLens Frequency}}', value: 'monthly' }] })));
  });

  it('an unknown person or campaign fails with the reason; a rate limit (606) is retried', async () => {
    const nobody = await mkto({ addToList: 1 }).send({ ...RECYCLE, email: 'nobody@example.jp' }, deps());
    expect(nobody).toMatchObject({ ok: false, permanent: true, answer: "no Marketo person with the lead's email" });
    const gone = await mkto({ requestCampaign: 404 }).send(RECYCLE, deps());
    expect(gone.answer).toContain('Campaign not found');
    expect(nextStep(gone, 1, NOW, 0)).toEqual({ status: 'failed' });
    fake.faults.push({ path: '/rest/v1/leads.json', status: 200, body: { requestId: 'x', success: false, errors: [{ code: '606', message: 'Max rate limit 100 exceeded with in 20 secs' }] } });
    expect(nextStep(await mkto({ addToList: 1 }).send(RECYCLE, deps()), 1, NOW, 0)).toEqual({ status: 'pending', at: NOW + 20_000 });
  });
});

describe('recycle webhook', () => {
  const hook = () => only({ webhook: [{ id: 'ma', orgId: 'o', url: `${fake.url}/hooks/recycle`, secret: 'hook-secret-0123456789abcdef' }] });

  it('POSTs the recycle signed over timestamp and body, with the recycle id as Idempotency-Key', async () => {
    expect(await hook().send(RECYCLE, deps())).toMatchObject({ ok: true, status: 200 });
    const req = fake.seen[0]!;
    expect(req.headers['x-leadlens-timestamp']).toBe(String(NOW / 1000));
    expect(req.headers['idempotency-key']).toBe('rc_xyz789');
    const body = JSON.stringify(req.body);
    expect(req.headers['x-leadlens-signature']).toBe(webhookSignature('hook-secret-0123456789abcdef', String(NOW / 1000), body));
    expect(req.body).toEqual({
      type: 'lead.recycled', id: 'rc_xyz789', lead: { id: 'ld_1', email: 'yamada@example.jp' }, track: 'kintone活用ナーチャリング', frequency: 'monthly',
      at: '2026-11-25T02:00:00.000Z', by: { name: '佐藤 健', email: 'sato@example.jp' },
    });
    await hook().send(RECYCLE, deps(true));
    expect(fake.hooks.size).toBe(1);
  });

  it('a receiver that refuses the signature fails the delivery; a short secret fails the config', async () => {
    fake.hookSecret = 'another-secret-0123456789abcdef';
    const out = await hook().send(RECYCLE, deps());
    fake.hookSecret = 'hook-secret-0123456789abcdef';
    expect(out).toMatchObject({ ok: false, status: 401 });
    expect(nextStep(out, 1, NOW, 0)).toEqual({ status: 'failed' });
    expect(() => parseWriteBackConfig({ webhook: [{ id: 'w', orgId: 'o', url: 'https://ma.example.jp/hook', secret: 'short' }] })).toThrow('writeBack.webhook.0.secret: at least 24 characters');
  });
});

describe('write-back config', () => {
  it('reads a secret from the environment and names a missing variable, never a value', () => {
    process.env.LL_TEST_KT_TOKEN = 'from-env-token';
    const t = parseWriteBackConfig({ kintone: [{ id: 'k', orgId: 'o', host: 'example.cybozu.com', apiToken: { env: 'LL_TEST_KT_TOKEN' } }] });
    expect(t.kintone[0]!.apiToken).toBe('from-env-token');
    expect(() => parseWriteBackConfig({ kintone: [{ id: 'k', orgId: 'o', host: 'example.cybozu.com', apiToken: { env: 'LL_TEST_UNSET_VAR' } }] }))
      .toThrow('writeBack.kintone.0.apiToken: environment variable LL_TEST_UNSET_VAR is not set');
  });

  it('wants exactly one way to authenticate to Salesforce, and unique ids', () => {
    expect(() => parseWriteBackConfig({ salesforce: [{ id: 's', orgId: 'o', instanceUrl: 'https://a.my.salesforce.com' }] })).toThrow('give accessToken or oauth');
    expect(() => parseWriteBackConfig({ hubspot: [1, 2].map(() => ({ id: 'h', orgId: 'o', portalId: '1', accessToken: 't' })) })).toThrow('writeBack.hubspot: id h is used twice');
  });
});
