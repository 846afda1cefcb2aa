// @vitest-environment node
// The CRM look-alike site over real HTTPS: each CRM's pages under its real host name (sent as
// SNI + Host to the one port), escaping of record strings, not-found handling, the JSON record
// endpoint the page scripts use, and the host-resolver rules handed to Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_RECORDS, createRecordSource } from '../../demo/site/sample-records';
import { siteGet } from '../../demo/site/request';
import { SITE_HOSTS, startCrmSite, type CrmSite } from '../../demo/site/server';
import type { CrmName, CrmRecordView } from '../../demo/site/types';

const EVIL = `<script>alert("x")</script> & 'O"Reilly'`;
const EVIL_ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;O&quot;Reilly&#39;';

const evilRecords: CrmRecordView[] = [
  { crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000EvIl1EAA', name: EVIL, company: EVIL, email: 'evil@example.com' },
  { crm: 'kintone', objectType: '12', recordId: '666', name: EVIL, company: EVIL },
  { crm: 'hubspot', objectType: '0-1', recordId: '666', name: EVIL, company: EVIL },
  { crm: 'dynamics', objectType: 'lead', recordId: '66666666-6666-4666-8666-666666666666', name: EVIL, company: EVIL },
  { crm: 'zoho', objectType: 'Leads', recordId: '4876876000000666666', name: EVIL, company: EVIL },
];

let site: CrmSite;

beforeAll(async () => {
  site = await startCrmSite({ port: 0, records: createRecordSource([...SAMPLE_RECORDS, ...evilRecords]) });
});

afterAll(async () => {
  await site.close();
});

const get = (host: string, path: string) => siteGet(site.port, host, path);

interface RecordCase {
  crm: CrmName;
  host: string;
  path: string;
  name: string;
  /** A landmark the real app has and adapters key on. */
  landmark: string;
}

// Server-rendered record pages (kintone renders from the hash on the client: tested apart).
const RECORD_CASES: RecordCase[] = [
  { crm: 'salesforce', host: 'leadlens-demo.lightning.force.com', path: '/lightning/r/Lead/00Q5g00000AbCdEEAV/view', name: '田中 太郎', landmark: '<records-lwc-highlights-panel>' },
  { crm: 'salesforce', host: 'other-org.lightning.force.com', path: '/lightning/r/Lead/00Q5g00000AbCdE/view', name: '田中 太郎', landmark: 'slot name="primaryField"' },
  { crm: 'salesforce', host: 'leadlens-demo.lightning.force.com', path: '/lightning/r/Opportunity/0065g00000PpQqRAAV/view?0.source=alohaHeader', name: 'サンプル商事 年間ライセンス', landmark: 'slds-path__item' },
  { crm: 'hubspot', host: 'app.hubspot.com', path: '/contacts/20112233/record/0-1/51234567801', name: '伊藤 さくら', landmark: 'data-selenium-test="highlightTitle"' },
  { crm: 'hubspot', host: 'app.hubspot.com', path: '/contacts/20112233/contact/51234567802', name: 'John Smith', landmark: 'data-selenium-test="highlightTitle"' },
  { crm: 'hubspot', host: 'app-eu1.hubspot.com', path: '/contacts/26123456/record/0-2/9876543210', name: 'Contoso Ltd', landmark: 'data-selenium-test="property-input-name"' },
  { crm: 'hubspot', host: 'app.hubspot.com', path: '/contacts/20112233/record/0-3/15555555501', name: 'Contoso - Enterprise plan', landmark: 'data-selenium-test="property-input-dealstage"' },
  { crm: 'dynamics', host: 'leadlens-demo.crm7.dynamics.com', path: '/main.aspx?appid=d2c0a9b1-6f3e-4e8a-9b7c-5a4d3e2f1c0b&pagetype=entityrecord&etn=lead&id=5d4c2f1e-8a3b-4c6d-9e0f-1a2b3c4d5e6f', name: '渡辺 直樹', landmark: 'data-id="header_title"' },
  { crm: 'dynamics', host: 'acme.crm.dynamics.com', path: '/main.aspx?id=%7B7B6A5C4D-3E2F-4A1B-8C9D-0E1F2A3B4C5D%7D&etn=lead&pagetype=entityrecord', name: 'Sarah Johnson', landmark: 'id="headerContainer"' },
  { crm: 'dynamics', host: 'leadlens-demo.crm7.dynamics.com', path: '/main.aspx?pagetype=entityrecord&etn=contact&id={c0ffee00-1234-4abc-9def-0123456789ab}', name: '加藤 健二', landmark: 'data-id="emailaddress1.fieldControl-mail-text-input"' },
  { crm: 'zoho', host: 'crm.zoho.jp', path: '/crm/org60012345/tab/Leads/4876876000000512001', name: '中村 優子', landmark: 'id="dv_title"' },
  { crm: 'zoho', host: 'crm.zoho.com', path: '/crm/tab/Leads/4876876000000512002', name: 'Michael Brown', landmark: 'class="dv_title"' },
  { crm: 'zoho', host: 'crm.zoho.eu', path: '/crm/org60012345/tab/Contacts/4876876000000523001', name: '小川 里奈', landmark: 'id="value_EMAIL"' },
];

describe('CRM look-alike site', () => {
  it('starts on a random port and reports health on any host', async () => {
    expect(site.port).toBeGreaterThan(0);
    const res = await get('leadlens-demo.lightning.force.com', '/__lookalike/health');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, crm: 'salesforce' });
    expect(site.origin('crm.zoho.jp')).toBe('https://crm.zoho.jp');
  });

  it('builds --host-resolver-rules for every served pattern', () => {
    const rules = site.hostRules.split(',');
    expect(rules).toHaveLength(SITE_HOSTS.length);
    expect(rules).toContain(`MAP *.lightning.force.com 127.0.0.1:${site.port}`);
    expect(rules).toContain(`MAP *.cybozu.com 127.0.0.1:${site.port}`);
    expect(rules).toContain(`MAP *.kintone.com 127.0.0.1:${site.port}`);
    expect(rules).toContain(`MAP app.hubspot.com 127.0.0.1:${site.port}`);
    expect(rules).toContain(`MAP *.dynamics.com 127.0.0.1:${site.port}`);
    for (const zoho of ['crm.zoho.com', 'crm.zoho.jp', 'crm.zoho.eu']) expect(rules).toContain(`MAP ${zoho} 127.0.0.1:${site.port}`);
  });

  it.each(RECORD_CASES)('$crm record page on $host$path', async (c) => {
    const res = await get(c.host, c.path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['x-lookalike-record']).toBe('found');
    expect(res.body).toContain(c.name.replace(/&/g, '&amp;'));
    expect(res.body).toContain(c.landmark);
    expect(res.body).toContain(`data-lookalike-crm="${c.crm}"`);
  });

  it('sets the document title from the record (Salesforce)', async () => {
    const res = await get('leadlens-demo.lightning.force.com', '/lightning/r/Lead/00Q5g00000AbCdEEAV/view');
    expect(res.body).toContain('<title>田中 太郎 | Lead | Salesforce</title>');
  });

  it('serves the kintone show page as a shell that renders from the hash', async () => {
    for (const [host, path] of [
      ['leadlens-demo.cybozu.com', '/k/12/show'],
      ['leadlens-demo.kintone.com', '/k/guest/5/12/show'],
    ] as const) {
      const res = await get(host, path);
      expect(res.status).toBe(200);
      expect(res.body).toContain('data-lookalike-object-type="12"');
      expect(res.body).toContain('gaia-argoui-app-show');
      expect(res.body).toContain("addEventListener('hashchange'");
    }
  });

  it('escapes record strings in every CRM page', async () => {
    const pages = [
      ['leadlens-demo.lightning.force.com', '/lightning/r/Lead/00Q5g00000EvIl1EAA/view'],
      ['app.hubspot.com', '/contacts/20112233/record/0-1/666'],
      ['leadlens-demo.crm7.dynamics.com', '/main.aspx?pagetype=entityrecord&etn=lead&id=66666666-6666-4666-8666-666666666666'],
      ['crm.zoho.jp', '/crm/org60012345/tab/Leads/4876876000000666666'],
    ] as const;
    for (const [host, path] of pages) {
      const res = await get(host, path);
      expect(res.body, host).toContain(EVIL_ESCAPED);
      expect(res.body, host).not.toContain('<script>alert');
    }
    const kintone = await get('leadlens-demo.cybozu.com', '/__lookalike/api/record?crm=kintone&objectType=12&recordId=666');
    const data = JSON.parse(kintone.body) as { html: string };
    expect(data.html).toContain(EVIL_ESCAPED);
    expect(data.html).not.toContain('<script>alert');
    // Other pages list the evil record too (related lists, indexes): escaped there as well.
    const related = await get('leadlens-demo.lightning.force.com', '/lightning/r/Lead/00Q5g00000AbCdEEAV/view');
    expect(related.body).toContain(EVIL_ESCAPED);
    expect(related.body).not.toContain('<script>alert');
  });

  it.each([
    ['salesforce', 'leadlens-demo.lightning.force.com', '/lightning/r/Lead/00Q5g00000ZzZzZEAA/view'],
    ['salesforce (malformed id)', 'leadlens-demo.lightning.force.com', '/lightning/r/Lead/nope/view'],
    ['salesforce (broken escape)', 'leadlens-demo.lightning.force.com', '/lightning/r/Lead/%E0%A4%A/view'],
    ['hubspot', 'app.hubspot.com', '/contacts/20112233/record/0-1/999'],
    ['dynamics', 'leadlens-demo.crm7.dynamics.com', '/main.aspx?pagetype=entityrecord&etn=lead&id=00000000-0000-4000-8000-000000000000'],
    ['zoho', 'crm.zoho.jp', '/crm/org60012345/tab/Leads/4876876000000599999'],
  ])('unknown %s record: 200 with the CRM-style not-found view', async (_label, host, path) => {
    const res = await get(host, path);
    expect(res.status).toBe(200);
    expect(res.headers['x-lookalike-record']).toBe('not-found');
    expect(res.body).toContain('data-lookalike-status="not-found"');
    expect(res.body).toContain('record-not-found');
  });

  it('answers the JSON record endpoint the page scripts fetch', async () => {
    const ok = await get('leadlens-demo.lightning.force.com', '/__lookalike/api/record?crm=salesforce&objectType=Contact&recordId=0035g00000QrStUAAV');
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toContain('application/json');
    const data = JSON.parse(ok.body) as { found: boolean; record: CrmRecordView; title: string; path: string; html: string };
    expect(data.found).toBe(true);
    expect(data.record.name).toBe('佐藤 花子');
    expect(data.title).toBe('佐藤 花子 | Contact | Salesforce');
    expect(data.path).toBe('/lightning/r/Contact/0035g00000QrStUAAV/view');
    expect(data.html).toContain('<records-lwc-highlights-panel>');

    const kintone = JSON.parse((await get('leadlens-demo.cybozu.com', '/__lookalike/api/record?crm=kintone&objectType=12&recordId=2&ctx=/k/guest/5')).body) as { html: string; path: string };
    expect(kintone.path).toBe('/k/guest/5/12/show#record=2');
    expect(kintone.html).toContain('control-value-gaia');
    expect(kintone.html).toContain('gaia-argoui-app-infobar-pager-next" href="#record=3&amp;');
    expect(kintone.html).toContain('gaia-argoui-app-infobar-pager-prev" href="#record=1&amp;');

    const missing = await get('app.hubspot.com', '/__lookalike/api/record?crm=hubspot&objectType=0-1&recordId=404');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ found: false, record: null });

    const bad = await get('app.hubspot.com', '/__lookalike/api/record?crm=pipedrive&objectType=x&recordId=1');
    expect(bad.status).toBe(400);
  });

  it('serves list, home and index pages linking records', async () => {
    const cases = [
      ['leadlens-demo.lightning.force.com', '/lightning/o/Lead/list?filterName=Recent', '/lightning/r/Lead/00Q5g00000XyZ12EAF/view'],
      ['leadlens-demo.lightning.force.com', '/lightning/page/home', '/lightning/r/'],
      ['leadlens-demo.lightning.force.com', '/lightning/setup/SetupOneHome/home', 'Setup'],
      ['leadlens-demo.cybozu.com', '/k/12/', '/k/12/show#record=1'],
      ['leadlens-demo.cybozu.com', '/k/guest/5/12/', '/k/guest/5/12/show#record=1'],
      ['app.hubspot.com', '/contacts/20112233/objects/0-1/views/all/list', '/contacts/20112233/record/0-1/51234567801'],
      ['leadlens-demo.crm7.dynamics.com', '/main.aspx?appid=d2c0a9b1-6f3e-4e8a-9b7c-5a4d3e2f1c0b&pagetype=entitylist&etn=lead', 'etn=lead&amp;id=5d4c2f1e-8a3b-4c6d-9e0f-1a2b3c4d5e6f'],
      ['crm.zoho.jp', '/crm/org60012345/tab/Leads', '/crm/org60012345/tab/Leads/4876876000000512001'],
      ['crm.zoho.jp', '/crm/org60012345/tab/Leads/custom-view/4876876000000087501/list', 'crm_lv_table'],
    ] as const;
    for (const [host, path, expected] of cases) {
      const res = await get(host, path);
      expect(res.status, `${host}${path}`).toBe(200);
      expect(res.headers['x-lookalike-record'], `${host}${path}`).toBeUndefined();
      expect(res.body, `${host}${path}`).toContain(expected);
    }
    for (const h of SITE_HOSTS) {
      const res = await get(h.example, '/');
      expect(res.status, h.example).toBe(200);
      expect(res.body, h.example).toContain(`data-lookalike-crm="${h.crm}"`);
    }
  });

  it('answers 404 for paths a CRM lacks and 421 for hosts it does not serve', async () => {
    expect((await get('leadlens-demo.lightning.force.com', '/nothing/here')).status).toBe(404);
    expect((await get('app.hubspot.com', '/contacts/20112233/record/0-9/1/x')).status).toBe(200); // unknown object type: not-found view
    expect((await get('example.com', '/')).status).toBe(421);
  });

  it('sends a script CSP whose nonce is on the inline script', async () => {
    const res = await get('leadlens-demo.lightning.force.com', '/lightning/r/Lead/00Q5g00000AbCdEEAV/view');
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(res.body).toContain(`<script nonce="${nonce ?? ''}">`);
  });
});
