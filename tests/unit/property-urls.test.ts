// Properties of the CRM URL adapters (utils/crm/): over generated URLs on every CRM's hosts,
// - no adapter claims a page that is not a record (near-misses made by mutating record URLs,
//   and paths built from each CRM's own vocabulary);
// - every example record URL (utils/crm/examples.ts) still resolves to the same record with
//   extra query parameters, a fragment (kintone: extra hash parameters, its record lives in the
//   hash), percent-encoded unreserved characters and an upper-case host;
// - detectRecord never throws, whatever the string.
// The record shapes below are a spec written from each CRM's documented URL format, segment by
// segment: the oracle for "is this a record page", independent of the adapters' regexes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADAPTER_EXAMPLES } from '../../utils/crm/examples';
import { ADAPTERS, detectRecord, type BuiltinCrm } from '../../utils/crm/registry';

// PROPERTY_SCALE=10 npx vitest run tests/unit/property-*.test.ts hunts longer.
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const RUNS = { nonRecord: 400 * SCALE, examples: 150 * SCALE, strings: 1_000 * SCALE } as const;

type Id = BuiltinCrm;
const IDS = ADAPTERS.map((a) => a.id);

// ------------------------------------------------------------------------------------------
// The spec: what a record page looks like, per CRM.

/** RFC 3986 §6.2.2.2: percent-encoded unreserved characters are the characters themselves. */
const decodeUnreserved = (s: string) => s.replace(/%([0-9A-Fa-f]{2})/g, (e, hex: string) => {
  const c = String.fromCharCode(parseInt(hex, 16));
  return /[A-Za-z0-9\-._~]/.test(c) ? c : e;
});
/** Path segments; one trailing slash is allowed on every CRM. */
function segments(url: URL): string[] {
  const parts = decodeUnreserved(url.pathname).slice(1).split('/');
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  return parts;
}
const digits = (s: string | undefined, min = 1) => s !== undefined && s.length >= min && [...s].every((c) => c >= '0' && c <= '9');
const alnum = (s: string) => [...s].every((c) => /[A-Za-z0-9]/.test(c));

const SF_PREFIX: Record<string, string> = { Lead: '00Q', Contact: '003', Account: '001', Opportunity: '006' };
const ZOHO_DCS = ['zoho.com', 'zoho.eu', 'zoho.in', 'zoho.com.au', 'zoho.jp', 'zoho.com.cn', 'zoho.sa', 'zoho.ae', 'zohocloud.ca'];
const ZOHO_MODULES = ['Leads', 'Contacts', 'Accounts', 'Deals', 'Potentials'];
const HUBSPOT_HOSTS = ['app.hubspot.com', 'app-na1.hubspot.com', 'app-na2.hubspot.com', 'app-eu1.hubspot.com', 'app-ap1.hubspot.com'];
const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
const label = (s: string | undefined) => s !== undefined && s !== '' && [...s].every((c) => /[a-z0-9-]/.test(c));
const identifier = (s: string | undefined) => s !== undefined && /^[A-Za-z]/.test(s) && [...s].every((c) => /[A-Za-z0-9_]/.test(c));
/** `<labels...>.<suffix>` with 1 to `most` labels before the suffix. */
function under(hostname: string, suffix: string, most: number): string[] | undefined {
  if (!hostname.endsWith(`.${suffix}`)) return undefined;
  const labels = hostname.slice(0, -suffix.length - 1).split('.');
  return labels.length <= most && labels.every(label) ? labels : undefined;
}

/** A Salesforce record: a 15/18-character id whose key prefix fits its object (any for a custom object). */
function sfRecord(object: string | undefined, id: string | undefined): boolean {
  if (id === undefined || (id.length !== 15 && id.length !== 18) || !alnum(id)) return false;
  if (object === undefined) return Object.values(SF_PREFIX).includes(id.slice(0, 3));
  if (object in SF_PREFIX) return id.startsWith(SF_PREFIX[object] ?? '\0');
  return identifier(object) && object.endsWith('__c') && object.length > 3;
}
/** What follows the id in a Lightning record URL: view, edit, or a related list. */
const sfAction = (rest: string[]) => (rest.length === 1 && (rest[0] === 'view' || rest[0] === 'edit'))
  || (rest.length === 3 && rest[0] === 'related' && identifier(rest[1]) && rest[2] === 'view');

const RECORD_SHAPE: Record<Id, (url: URL) => boolean> = {
  // /lightning/r/[<Object>/]<id>/(view|edit|related/<List>/view); /one/one.app#/sObject/<id>/view;
  // on My Domain also Classic /<id> and /<id>/e
  salesforce(url) {
    const lightning = under(url.hostname, 'lightning.force.com', 2);
    const myDomain = under(url.hostname, 'my.salesforce.com', 2);
    if (!lightning && !myDomain) return false;
    const s = segments(url);
    if (s[0] === 'lightning' && s[1] === 'r') {
      const rest = s.slice(2);
      return (sfRecord(rest[0], rest[1]) && sfAction(rest.slice(2))) || (sfRecord(undefined, rest[0]) && sfAction(rest.slice(1)));
    }
    if (s.length === 2 && s[0] === 'one' && s[1] === 'one.app') {
      const [route = ''] = url.hash.slice(1).split('?');
      const h = route.split('/');
      if (h.length === 5 && h[4] === '') h.pop();
      return h.length === 4 && h[0] === '' && h[1] === 'sObject' && h[3] === 'view' && sfRecord(undefined, h[2]);
    }
    return !!myDomain && (s.length === 1 || (s.length === 2 && s[1] === 'e')) && sfRecord(undefined, s[0]);
  },
  // desktop /k/[guest/<space>/]<app>/show#record=<n>; mobile /k/[guest/<space>/]m/<app>/show?record=<n>
  kintone(url) {
    const labels = ['cybozu.com', 'kintone.com', 'cybozu.cn'].map((base) => under(url.hostname, base, 2)).find(Boolean);
    if (!labels || (labels.length === 2 && labels[1] !== 's')) return false;
    const s = segments(url);
    const rest = s[0] === 'k' && s[1] === 'guest' && digits(s[2]) ? s.slice(3) : s[0] === 'k' ? s.slice(1) : undefined;
    if (!rest || rest.at(-1) !== 'show') return false;
    const desktop = rest.length === 2 && digits(rest[0]);
    const mobile = rest.length === 3 && rest[0] === 'm' && digits(rest[1]);
    const params = desktop ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
    return (desktop || mobile) && digits(params.get('record') ?? undefined);
  },
  // /contacts/<portal>/record/<0-1|0-2|0-3|0-136|2-n>/<id>, or legacy /contacts/<portal>/<contact|company|deal>/<id>
  hubspot(url) {
    const s = segments(url);
    const type = s[3] ?? '';
    const modern = s.length === 5 && s[0] === 'contacts' && digits(s[1]) && s[2] === 'record'
      && (['0-1', '0-2', '0-3', '0-136'].includes(type) || (type.startsWith('2-') && digits(type.slice(2)))) && digits(s[4]);
    const legacy = s.length === 4 && s[0] === 'contacts' && digits(s[1]) && ['contact', 'company', 'deal'].includes(s[2] ?? '') && digits(s[3]);
    return HUBSPOT_HOSTS.includes(url.hostname) && (modern || legacy);
  },
  // <org>.crm[2-21].dynamics.com/main.aspx?pagetype=entityrecord&etn=<lead|contact|account|opportunity>&id=<guid>, any order
  dynamics(url) {
    const labels = url.hostname.split('.');
    const region = labels[1] ?? '';
    const n = region.slice(3);
    const host = labels.length === 4 && label(labels[0]) && region.startsWith('crm') && labels[2] === 'dynamics' && labels[3] === 'com'
      && (n === '' || (digits(n) && !n.startsWith('0') && Number(n) >= 2 && Number(n) <= 21));
    const q = url.searchParams;
    return host && decodeUnreserved(url.pathname).toLowerCase() === '/main.aspx' && q.get('pagetype')?.toLowerCase() === 'entityrecord'
      && ['lead', 'contact', 'account', 'opportunity'].includes(q.get('etn')?.toLowerCase() ?? '') && GUID.test(q.get('id')?.trim() ?? '');
  },
  // crm.<dc>/crm/[<org>/]tab/<Module>/<id of 6+ digits>[/edit]; one.<dc>/zohoone/<company>/home/(cxapp|cxapp-spaces/<space>)/crm/…
  zoho(url) {
    const s = segments(url);
    const company = (x: string | undefined) => x !== undefined && x !== '' && [...x].every((c) => /[A-Za-z0-9_-]/.test(c));
    let afterCrm: string[] | undefined;
    if (ZOHO_DCS.some((dc) => url.hostname === `crm.${dc}`) && s[0] === 'crm') afterCrm = s.slice(1);
    if (ZOHO_DCS.some((dc) => url.hostname === `one.${dc}`) && s[0] === 'zohoone' && company(s[1]) && s[2] === 'home') {
      if (s[3] === 'cxapp' && s[4] === 'crm') afterCrm = s.slice(5);
      if (s[3] === 'cxapp-spaces' && company(s[4]) && s[5] === 'crm') afterCrm = s.slice(6);
    }
    if (!afterCrm) return false;
    // The org segment is optional (single-org accounts leave it out).
    const withOrg = alnum(afterCrm[0] ?? '') && (afterCrm[0] ?? '') !== '' ? [afterCrm.slice(1)] : [];
    return [afterCrm, ...withOrg].some(([tab, module = '', id, edit, ...more]) => tab === 'tab'
      && (ZOHO_MODULES.includes(module) || /^CustomModule\d+$/.test(module)) && digits(id, 6) && (edit === undefined || edit === 'edit') && more.length === 0);
  },
};
const isRecordPage = (url: URL) => IDS.some((id) => RECORD_SHAPE[id](url));

// ------------------------------------------------------------------------------------------
// Generators.

/** The hosts each CRM is served on (from its examples), plus a few more of the same family. */
const HOSTS: Record<Id, string[]> = {
  salesforce: ['acme.lightning.force.com', 'x-dev-ed.lightning.force.com', 'acme--uat.sandbox.lightning.force.com', 'acme.my.salesforce.com', 'acme.develop.my.salesforce.com'],
  kintone: ['acme.cybozu.com', 'acme.kintone.com', 'acme.cybozu.cn', 'acme.s.cybozu.com'],
  hubspot: HUBSPOT_HOSTS,
  dynamics: ['acme.crm7.dynamics.com', 'acme.crm.dynamics.com', 'acme.crm21.dynamics.com', 'acme.crm22.dynamics.com'],
  zoho: ZOHO_DCS.flatMap((dc) => [`crm.${dc}`, `one.${dc}`]),
};

/** Each CRM's path words: what a near-miss is made of. */
const VOCABULARY: Record<Id, string[]> = {
  salesforce: ['lightning', 'r', 'o', 'page', 'home', 'setup', 'view', 'edit', 'e', 'list', 'related', 'Histories', 'Contacts', 'Lead', 'Contact', 'Account', 'Opportunity', 'Case', 'lead', 'Prospect__c', '__c', 'one', 'one.app', 'apex',
    '00Q5g00000AbCdEEAV', '00Q5g00000AbCdE', '0035g00000XyZ12AAB', '0015g00000Qw3rTAAR', '0065g00000Op9PqAAZ', '5005g00000AbCdEEA1', 'a015g00000Zz9YyAAJ', '00Q5g00000AbCdEEA', '00Q5g00000AbCdEEAVX', '00Q5g00000AbCdEEAV%2Fview'],
  kintone: ['k', 'guest', 'm', 'show', 'edit', 'search', 'admin', 'app', '12', '3', '7', 'portal', '#', ''],
  hubspot: ['contacts', 'record', 'objects', 'views', 'all', 'list', 'contact', 'company', 'deal', 'ticket', 'lead', '4455667', '0-1', '0-2', '0-3', '0-5', '0-136', '0-27', '2-123', '2-', '51', '9001', 'reports-dashboard', 'settings'],
  dynamics: ['main.aspx', 'main', 'aspx', 'tools', 'webresources', 'apps', 'main.aspx.bak'],
  zoho: ['crm', 'org7001234567', 'tab', 'Leads', 'Contacts', 'Accounts', 'Deals', 'Potentials', 'Cases', 'Home', 'CustomModule3', 'custom-view', 'list', 'begin', 'settings', 'search',
    '4876876000000123456', '12345', '123456', 'edit', 'create', 'zohoone', 'acme', 'home', 'cxapp', 'cxapp-spaces', 'sales', 'people'],
};

const word = (id: Id) => fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VOCABULARY[id]) },
  { weight: 1, arbitrary: fc.webSegment() },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{14,19}$/) },
);

const DYNAMICS_PARAMS = fc.array(fc.tuple(
  fc.constantFrom('pagetype', 'etn', 'id', 'appid', 'viewid', 'extraqs'),
  fc.constantFrom('entityrecord', 'entitylist', 'dashboard', 'lead', 'contact', 'account', 'opportunity', 'incident', 'Lead', '1lead', 'lead-x', '',
    '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b', '{3F2A7C1E-5B6D-4E8F-9A0B-1C2D3E4F5A6B}', '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6', 'not-a-guid'),
), { maxLength: 5 }).map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));

/** kintone's mobile pages and Salesforce's one.app carry the record outside the path. */
const KINTONE_PARAMS = fc.constantFrom('record=345', 'record=', 'record=abc', 'record=12a', 'record', 'view=5520', 'record=-1', 'record=1.5', 'record= 1', 'record=7&view=20');
const SF_HASHES = fc.constantFrom('/sObject/00Q5g00000AbCdEEAV/view', '/sObject/00Q5g00000AbCdE/view?core.app=1', '/sObject/00Q5g00000AbCdEEAV/edit',
  '/sObject/5005g00000AbCdEEA1/view', '/sObject/Lead/list', '/sObject/00Q5g00000AbCdEEAV/view/', 'sObject/00Q5g00000AbCdEEAV/view', '/sObject/0035g00000XyZ12AAB/view/x');
const queryOf = (id: Id) => id === 'dynamics' ? DYNAMICS_PARAMS
  : id === 'kintone' ? fc.oneof(fc.constant(''), KINTONE_PARAMS, fc.webQueryParameters())
  : fc.oneof(fc.constant(''), fc.webQueryParameters());
const hashOf = (id: Id) => id === 'kintone' ? fc.oneof(fc.constant(''), KINTONE_PARAMS, fc.webFragments())
  : id === 'salesforce' ? fc.oneof(fc.constant(''), SF_HASHES, fc.webFragments())
  : fc.oneof(fc.constant(''), fc.webFragments());

/** Paths made of the CRM's words. */
const vocabularyUrl = (id: Id) => fc.record({
  host: fc.constantFrom(...HOSTS[id]),
  words: fc.array(word(id), { minLength: 0, maxLength: 7 }),
  slash: fc.boolean(),
  query: queryOf(id),
  hash: hashOf(id),
}).map(({ host, words, slash, query, hash }) => `https://${host}/${words.join('/')}${slash && words.length ? '/' : ''}${query ? `?${query}` : ''}${hash ? `#${hash}` : ''}`);

/** A record URL with one thing changed: a segment replaced, inserted or dropped, or its query/hash redone. */
const mutatedExample = (id: Id) => {
  const examples = ADAPTER_EXAMPLES[id].examples.map((e) => e.url);
  return fc.record({
    url: fc.constantFrom(...examples),
    op: fc.constantFrom('replace', 'insert', 'drop', 'query', 'hash'),
    at: fc.nat(),
    with: word(id),
    query: id === 'dynamics' ? DYNAMICS_PARAMS : id === 'kintone' ? fc.oneof(KINTONE_PARAMS, fc.webQueryParameters()) : fc.webQueryParameters(),
    hash: id === 'kintone' ? fc.constantFrom('', 'record=', 'record=abc', 'show=1', 'record=1e3', 'l.view=1') : id === 'salesforce' ? fc.oneof(SF_HASHES, fc.webFragments()) : fc.webFragments(),
  }).map(({ url, op, at, with: w, query, hash }) => {
    const u = new URL(url);
    const parts = u.pathname.slice(1).split('/');
    const i = at % (parts.length + (op === 'insert' ? 1 : 0));
    if (op === 'replace') parts[i] = w;
    if (op === 'insert') parts.splice(i, 0, w);
    if (op === 'drop') parts.splice(i, 1);
    const path = `/${parts.join('/')}`;
    const search = op === 'query' ? (query ? `?${query}` : '') : u.search;
    const fragment = op === 'hash' ? (hash ? `#${hash}` : '') : u.hash;
    return `${u.origin}${path}${search}${fragment}`;
  });
};

describe('no adapter claims a page that is not a record', () => {
  for (const id of IDS) {
    it(`${id}: near-misses and paths of its own words (${RUNS.nonRecord} + ${RUNS.nonRecord} runs)`, () => {
      for (const urls of [mutatedExample(id), vocabularyUrl(id)]) {
        fc.assert(
          fc.property(urls, (href) => {
            const url = new URL(href);
            fc.pre(!isRecordPage(url));
            for (const adapter of ADAPTERS) {
              expect(adapter.detect(url), `${adapter.id} claimed ${href}, which is not a record page`).toBeUndefined();
            }
          }),
          { numRuns: RUNS.nonRecord },
        );
      }
    }, 20_000 * SCALE);
  }

  it('and every URL the spec calls a record, the adapters read (the spec and the adapters agree)', () => {
    let records = 0;
    fc.assert(
      fc.property(fc.oneof(...IDS.flatMap((id) => [mutatedExample(id), vocabularyUrl(id)])), (href) => {
        const url = new URL(href);
        const record = isRecordPage(url);
        if (record) records++;
        expect(detectRecord(url) !== undefined, href).toBe(record);
      }),
      { numRuns: RUNS.nonRecord },
    );
    // Both sides were exercised: the generators make record URLs too (a mutation that keeps the shape).
    expect(records).toBeGreaterThan(RUNS.nonRecord / 20);
    expect(records).toBeLessThan(RUNS.nonRecord);
  }, 20_000 * SCALE);
});

// ------------------------------------------------------------------------------------------
// Example records under harmless changes.

/** Query parameters a CRM URL may carry besides the record's (console tabs, tracking, filters). */
const RESERVED: Partial<Record<Id, string[]>> = { dynamics: ['pagetype', 'etn', 'id'] };
const paramKey = (id: Id) => fc.stringMatching(/^[a-z][a-z0-9._]{0,10}$/).filter((k) => !(RESERVED[id] ?? []).includes(k.toLowerCase()) && k !== 'record');
const param = (id: Id) => fc.tuple(paramKey(id), fc.string({ maxLength: 12 })).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);

/** Percent-encodes the unreserved characters of `text` picked by `mask` (%4c and %4C alike). */
function encodeSome(text: string, mask: readonly boolean[], lower: boolean): string {
  let i = 0;
  return text.replace(/%[0-9A-Fa-f]{2}|[A-Za-z0-9\-._~]/g, (c) => {
    if (c.startsWith('%') || !mask[i++ % Math.max(1, mask.length)]) return c; // existing escapes stay
    const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
    return `%${lower ? hex : hex.toUpperCase()}`;
  });
}

/** Encodes inside each `key=value` of a query or hash, leaving its `&` and `=` alone. */
const encodeParams = (text: string, mask: readonly boolean[], lower: boolean) =>
  text.split('&').map((pair) => pair.split('=').map((part) => encodeSome(part, mask, lower)).join('=')).join('&');

const variation = (id: Id) => fc.record({
  example: fc.constantFrom(...ADAPTER_EXAMPLES[id].examples),
  extra: fc.array(param(id), { maxLength: 3 }),
  extraFirst: fc.boolean(),
  fragment: fc.webFragments(),
  mask: fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
  lower: fc.boolean(),
  upperHost: fc.boolean(),
});

describe('example record URLs still resolve under harmless changes', () => {
  for (const id of IDS) {
    it(`${id}: extra parameters, ${id === 'kintone' ? 'extra hash parameters' : 'a fragment'}, percent-encoding, host case (${RUNS.examples} runs)`, () => {
      fc.assert(
        fc.property(variation(id), ({ example, extra, extraFirst, fragment, mask, lower, upperHost }) => {
          const original = new URL(example.url);
          const host = upperHost ? original.host.toUpperCase() : original.host;
          const path = encodeSome(original.pathname, mask, lower);
          let query = original.search.slice(1);
          let hash = original.hash.slice(1);
          if (id === 'kintone') {
            // The record is in the hash: other hash parameters may come before or after it.
            hash = encodeParams([...(extraFirst ? extra : []), hash, ...(extraFirst ? [] : extra)].join('&'), mask, lower);
            query = [query, ...extra].filter(Boolean).join('&');
          } else {
            query = [...(extraFirst ? extra : []), query, ...(extraFirst ? [] : extra)].filter(Boolean).join('&');
            if (id === 'dynamics') query = encodeParams(query, mask, lower);
            // Lightning's one.app address keeps its record in the hash.
            if (!hash.startsWith('/sObject/')) hash = fragment;
          }
          const href = `https://${host}${path}${query ? `?${query}` : ''}${hash ? `#${hash}` : ''}`;
          const found = detectRecord(href);
          expect(found?.adapter.id, `${href} should still be ${id}'s record`).toBe(id);
          expect(found?.record, href).toEqual({ crm: id, ...example.expect });
        }),
        { numRuns: RUNS.examples },
      );
    });
  }
});

// ------------------------------------------------------------------------------------------
// Never a throw.

const crmPrefix = fc.constantFrom(...IDS.flatMap((id) => HOSTS[id].map((h) => `https://${h}/`)), 'https://', '', 'http://', 'javascript:', 'data:,');
const wild = fc.string({ unit: fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'/%?#&=.{}-_~ 0123456789abcdefABCDEFlkrLead'.split('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
), maxLength: 80 });

describe('detectRecord never throws', () => {
  it(`on arbitrary strings, URLs and CRM-host URLs with stray % escapes (${RUNS.strings} runs each)`, () => {
    for (const strings of [fc.string({ unit: 'binary' }), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.tuple(crmPrefix, wild).map(([a, b]) => a + b)]) {
      fc.assert(
        fc.property(strings, (href) => {
          const found = detectRecord(href);
          if (found) {
            expect(found.record.crm).toBe(found.adapter.id);
            expect(found.record.objectType.length * found.record.recordId.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: RUNS.strings },
      );
    }
  });

  it.each([
    ['a malformed escape in a Salesforce path', 'https://acme.lightning.force.com/lightning/r/Lead/%ZZ/view', undefined],
    ['a truncated escape', 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view%E0%A4%A', undefined],
    ['an encoded slash is not a separator', 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV%2Fview', undefined],
    ['encoded letters are letters', 'https://acme.lightning.force.com/lightning/r/%4Cead/00Q5g00000AbCdEEAV/view', 'salesforce|Lead|00Q5g00000AbCdEEAV'],
    ['encoded digits in a kintone path', 'https://acme.cybozu.com/k/%31%32/show#record=345', 'kintone|12|345'],
    ['an encoded dot in main.aspx', 'https://acme.crm7.dynamics.com/main%2Easpx?pagetype=entityrecord&etn=lead&id=3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b', 'dynamics|lead|3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b'],
  ])('%s', (_name, href, expected) => {
    const found = detectRecord(href);
    expect(found && `${found.record.crm}|${found.record.objectType}|${found.record.recordId}`).toBe(expected);
  });
});
