// @vitest-environment node
// The in-house CRM look-alike (crm.example-corp.jp): customers numbered from the RecordSource's
// records with an email, a customer page with the email in #customer-email, its not-found and
// list pages, escaping, and its place in the host rules.
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { handleRequest } from '../../demo/site/app';
import { buildHostRules, crmForHost } from '../../demo/site/hosts';
import { customerPath, INHOUSE_HOST, inHouseCustomers } from '../../demo/site/inhouse';
import { createRecordSource, SAMPLE_RECORDS, sampleRecords } from '../../demo/site/sample-records';

const get = (path: string, records = sampleRecords) => handleRequest({ method: 'GET', host: `${INHOUSE_HOST}:443`, url: path }, records, { nonce: 'n', csp: true });
function parse(html: string): Document {
  const window = new Window();
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

describe('in-house CRM look-alike', () => {
  it('is served on its own host name and mapped by the host rules', () => {
    expect(crmForHost('CRM.example-corp.jp:443')).toBe('custom');
    expect(buildHostRules('127.0.0.1', 4443).split(',')).toContain(`MAP ${INHOUSE_HOST} 127.0.0.1:4443`);
  });

  it('numbers one customer per email address, in the source order, from 10001', () => {
    const customers = inHouseCustomers(sampleRecords);
    const withEmail = new Set(SAMPLE_RECORDS.flatMap((r) => (r.email ? [r.email] : [])));
    expect(customers).toHaveLength(withEmail.size);
    expect(customers[0]).toMatchObject({ id: '10001', record: { email: 'taro.tanaka@sample-shoji.example' } });
    expect(customerPath(sampleRecords, 'TARO.tanaka@sample-shoji.example')).toBe('/customers/10001');
    expect(customerPath(sampleRecords, 'nobody@example.com')).toBeUndefined();
    expect(inHouseCustomers(sampleRecords)).toBe(customers);
  });

  it('shows a customer with the email in #customer-email', () => {
    const res = get('/customers/10002');
    expect(res.status).toBe(200);
    expect(res.headers['x-lookalike-record']).toBe('found');
    const doc = parse(res.body);
    expect(doc.querySelector('#customer-name')?.textContent).toBe('Emily Carter');
    expect(doc.querySelector('#customer-email')?.textContent).toBe('emily.carter@northwind.example');
    expect(doc.body.getAttribute('data-lookalike-crm')).toBe('custom');
  });

  it('answers an unknown customer with its own not-found page, and other paths with 404', () => {
    const missing = get('/customers/99999999');
    expect([missing.status, missing.headers['x-lookalike-record']]).toEqual([200, 'not-found']);
    expect(parse(missing.body).querySelector('#customer-email')).toBeNull();
    expect(get('/customers/abc').status).toBe(404);
    expect(get('/admin').status).toBe(404);
  });

  it('lists customers on / and /customers', () => {
    for (const path of ['/', '/customers', '/customers/']) {
      const res = get(path);
      expect(res.status, path).toBe(200);
      expect(res.body, path).toContain('href="/customers/10001"');
    }
  });

  it('escapes record strings', () => {
    const records = createRecordSource([{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000EvIl1EAA', name: '<script>x</script>', email: 'evil@example.com' }]);
    const res = get('/customers/10001', records);
    expect(res.body).not.toContain('<script>x</script>');
    expect(res.body).toContain('&lt;script&gt;x&lt;/script&gt;');
  });
});
