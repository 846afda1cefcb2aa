// @vitest-environment node
/**
 * Salesforce Outbound Messages: the SOAP reader (strict, no DOCTYPE), Opportunity Closed Lost →
 * deal_lost with the reason, Lead/Contact owner changes → lead upserts, <Ack>true</Ack>, resends
 * deduped on the notification id, the organisation checked.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { mapNotification } from '../../../server/connectors/salesforce/map';
import { readOutboundMessage, SalesforceConfig } from '../../../server/connectors/salesforce/schema';
import { parseXml } from '../../../server/connectors/salesforce/xml';
import { MemorySink } from './memory-sink';
import { PinnedClock, connectorsApp, fixture } from './helpers';

const SECRET = 'salesforce-url-secret-0123456789';
const ORG = '00D5g000004ZxYzEAK';
const base = { id: 'sf', orgId: 'org1', organizationId: ORG, urlSecret: SECRET, host: 'acme.my.salesforce.com' };
const cfg = SalesforceConfig.parse(base);

describe('XML reader', () => {
  it.each([
    ['<a><b x="1">t &amp; &#x41;</b><c/></a>', { name: 'a', text: 'tA' }],
  ])('reads %s', (xml) => {
    const a = parseXml(xml).children[0]!;
    expect(a.children.map((c) => [c.name, c.attrs, c.text])).toEqual([['b', { x: '1' }, 't & A'], ['c', {}, '']]);
  });
  it.each([
    ['<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>', /DOCTYPE/],
    ['<a><b></a>', /unexpected/],
    ['<a>', /unclosed/],
    ['<a>&nope;</a>', /unknown entity/],
  ])('refuses %s', (xml, err) => {
    expect(() => parseXml(xml)).toThrow(err);
  });
});

describe('Salesforce mapping', () => {
  it('reads the documented envelope: org id and each notification with its fields, nil fields dropped', () => {
    const msg = readOutboundMessage(fixture('salesforce/opportunity-closed-lost.xml'));
    expect(msg.organizationId).toBe(ORG);
    expect(msg.notifications).toHaveLength(2);
    expect(msg.notifications[1]).toMatchObject({ id: '04l5g00000AbCdFAAV', objectType: 'Opportunity' });
    expect(msg.notifications[1]).not.toHaveProperty('fields.Loss_Reason__c');
  });
  it('Closed Lost → deal_lost on the account, with the loss reason; another stage is ignored', () => {
    const msg = readOutboundMessage(fixture('salesforce/opportunity-closed-lost.xml'));
    const [lost, open] = msg.notifications.map((n) => mapNotification(ORG, cfg, n as never));
    expect(lost).toEqual({
      events: [{
        id: `salesforce:${ORG}:notification:04l5g00000AbCdEAAV`,
        lead: { crm: 'salesforce', objectType: 'Account', recordId: '0015g00000QwErTAAV', host: 'acme.my.salesforce.com' },
        type: 'deal_lost', at: '2024-06-28T06:12:45.000Z', channel: 'salesforce',
        title: '山田商事 - 年間契約', detail: '価格 & 予算',
        meta: { opportunityId: '0065g00000XyZaBAAV', stage: 'Closed Lost', lossReason: '価格 & 予算' },
      }],
    });
    expect(open).toHaveProperty('ignored');
  });
  it('owner changes: Lead and Contact upserted with the owner, Contact keeps its account', () => {
    const msg = readOutboundMessage(fixture('salesforce/owner-change.xml'));
    const out = msg.notifications.map((n) => mapNotification(ORG, cfg, n as never));
    expect(out).toEqual([
      { leads: [{ externalId: `salesforce:${ORG}:00Q5g00000LmNoPEAV`, name: '山田 花子', email: 'yamada@example.co.jp', company: '山田商事', ownerEmail: 'tanaka@acme.example',
        crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000LmNoPEAV', host: 'acme.my.salesforce.com' }] }] },
      { leads: [{ externalId: `salesforce:${ORG}:0035g00000RsTuVAAV`, name: '佐藤 一郎', email: 'sato@example.co.jp', ownerEmail: 'suzuki@acme.example',
        crmRefs: [
          { crm: 'salesforce', objectType: 'Contact', recordId: '0035g00000RsTuVAAV', host: 'acme.my.salesforce.com' },
          { crm: 'salesforce', objectType: 'Account', recordId: '0015g00000QwErTAAV', host: 'acme.my.salesforce.com' },
        ] }] },
    ]);
  });
  // Suffix by hand: 00Q5g → Q at bit 2 = 4 = E; 00000 → A; LmNoP → bits 0,2,4 = 21 = V.
  it('a 15-character id is stored in its 18-character form', () => {
    expect(mapNotification(ORG, cfg, { id: 'n', objectType: 'Lead', fields: { Id: '00Q5g00000LmNoP', LastName: 'X' } }))
      .toMatchObject({ leads: [{ crmRefs: [{ recordId: '00Q5g00000LmNoPEAV' }] }] });
  });
  it.each([
    ['no Id', { objectType: 'Lead', fields: { LastName: 'X' } }, /Lead\.Id/],
    ['no name', { objectType: 'Contact', fields: { Id: '0035g00000RsTuVAAV' } }, /LastName/],
    ['no stage', { objectType: 'Opportunity', fields: { Id: '0065g00000XyZaBAAV' } }, /StageName/],
    ['no date', { objectType: 'Opportunity', fields: { Id: '0065g00000XyZaBAAV', StageName: 'Closed Lost' } }, /LastModifiedDate/],
  ])('rejects %s', (_n, n, reason) => {
    expect((mapNotification(ORG, cfg, { id: 'x', ...n }) as { rejected: string }).rejected).toMatch(reason);
  });
});

describe('Salesforce route', () => {
  let app: FastifyInstance | undefined;
  let sink: MemorySink;
  beforeEach(async () => { ({ app, sink } = await connectorsApp({ salesforce: [base] }, new PinnedClock(0))); });
  afterEach(async () => { await app?.close(); });
  const post = (body: string, secret = SECRET) => app!.inject({ method: 'POST', url: `/v1/connectors/salesforce/sf/${secret}`, payload: body, headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' } });

  it('acknowledges with <Ack>true</Ack>; a resend is stored once', async () => {
    const xml = fixture('salesforce/opportunity-closed-lost.xml');
    const res = await post(xml);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/xml/);
    expect(res.body).toMatch(/<notificationsResponse xmlns="http:\/\/soap.sforce.com\/2005\/09\/outbound">\s*<Ack>true<\/Ack>/);
    await post(xml);
    expect(sink.eventList()).toHaveLength(1);
    expect(sink.eventList()[0]).toMatchObject({ type: 'deal_lost', meta: { lossReason: '価格 & 予算' } });
  });
  it('owner changes upsert both leads', async () => {
    expect((await post(fixture('salesforce/owner-change.xml'))).statusCode).toBe(200);
    expect([...sink.leads.values()].map((l) => l.ownerEmail)).toEqual(['tanaka@acme.example', 'suzuki@acme.example']);
  });
  it('100 notifications in one message', async () => {
    const xml = fixture('salesforce/owner-change.xml');
    const one = /<Notification>[\s\S]*?<\/Notification>/.exec(xml)![0];
    const many = Array.from({ length: 100 }, (_v, i) => one.replace('04l5g00000AbCdGAAV', `04l5g00000N${String(i).padStart(5, '0')}AV`).replace('00Q5g00000LmNoPEAV', `00Q5g00000L${String(i).padStart(5, '0')}AV`)).join('');
    expect((await post(xml.replace(/<Notification>[\s\S]*<\/Notification>/, many))).statusCode).toBe(200);
    expect(sink.leads.size).toBe(100);
  });
  it.each([
    ['wrong secret', (x: string) => x, 'z'.repeat(32), 401],
    ['another organisation', (x: string) => x.replace(ORG, '00D000000000001AAA'), SECRET, 401],
    ['not SOAP', () => '{"json":true}', SECRET, 400],
  ])('%s → %s, nothing stored', async (_n, body, secret, status) => {
    const res = await post(body(fixture('salesforce/opportunity-closed-lost.xml')), secret);
    expect(res.statusCode).toBe(status);
    expect(sink.calls).toBe(0);
  });
});
