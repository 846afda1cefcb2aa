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
import { ADAPTERS, detectRecord } from '../../utils/crm/registry';
import type { CrmAdapter } from '../../utils/crm/types';

// PROPERTY_SCALE=10 npx vitest run tests/unit/property-*.test.ts hunts longer.
const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const RUNS = { nonRecord: 400 * SCALE, examples: 150 * SCALE, strings: 1_000 * SCALE } as const;

type Id = CrmAdapter['id'];
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
const ZOHO_HOSTS = ['crm.zoho.com', 'crm.zoho.eu', 'crm.zoho.in', 'crm.zoho.com.au', 'crm.zoho.jp'];
const ZOHO_MODULES = ['Leads', 'Contacts', 'Accounts', 'Deals'];
const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

const RECORD_SHAPE: Record<Id, (url: URL) => boolean> = {
  // /lightning/r/<Object>/<15|18-char id with the object's key prefix>/view
  salesforce(url) {
    const [a, b, object = '', id = '', view, ...rest] = segments(url);
    return url.hostname.endsWith('.lightning.force.com') && a === 'lightning' && b === 'r' && view === 'view' && rest.length === 0
      && object in SF_PREFIX && (id.length === 15 || id.length === 18) && alnum(id) && id.startsWith(SF_PREFIX[object] ?? '\0');
  },
  // /k/<app>/show#record=<n>, or /k/guest/<space>/<app>/show#record=<n>
  kintone(url) {
    const s = segments(url);
    const path = s.length === 3 ? s[0] === 'k' && digits(s[1]) && s[2] === 'show'
      : s.length === 5 && s[0] === 'k' && s[1] === 'guest' && digits(s[2]) && digits(s[3]) && s[4] === 'show';
    return /\.(cybozu|kintone)\.com$/.test(url.hostname) && path && digits(new URLSearchParams(url.hash.slice(1)).get('record') ?? undefined);
  },
  // /contacts/<portal>/record/<0-1|0-2|0-3>/<id>, or legacy /contacts/<portal>/<contact|company|deal>/<id>
  hubspot(url) {
    const s = segments(url);
    const host = /^app(-[a-z]{2}\d)?\.hubspot\.com$/.test(url.hostname);
    const modern = s.length === 5 && s[0] === 'contacts' && digits(s[1]) && s[2] === 'record' && ['0-1', '0-2', '0-3'].includes(s[3] ?? '') && digits(s[4]);
    const legacy = s.length === 4 && s[0] === 'contacts' && digits(s[1]) && ['contact', 'company', 'deal'].includes(s[2] ?? '') && digits(s[3]);
    return host && (modern || legacy);
  },
  // /main.aspx?pagetype=entityrecord&etn=<entity>&id=<guid>, parameters in any order (a file: no trailing slash)
  dynamics(url) {
    const q = url.searchParams;
    return /\.crm\d*\.dynamics\.com$/.test(url.hostname) && decodeUnreserved(url.pathname).toLowerCase() === '/main.aspx'
      && q.get('pagetype')?.toLowerCase() === 'entityrecord' && /^[a-z][a-z0-9_]*$/.test(q.get('etn')?.toLowerCase() ?? '') && GUID.test(q.get('id')?.trim() ?? '');
  },
  // /crm/[<org>/]tab/<Module>/<id of 6+ digits>
  zoho(url) {
    const s = segments(url);
    const rest = s.length === 5 && s[0] === 'crm' && alnum(s[1] ?? '') && (s[1] ?? '') !== '' ? s.slice(2) : s.length === 4 && s[0] === 'crm' ? s.slice(1) : [];
    const [tab, module = '', id] = rest;
    return ZOHO_HOSTS.includes(url.hostname) && tab === 'tab' && (ZOHO_MODULES.includes(module) || /^CustomModule\d+$/.test(module)) && digits(id, 6);
  },
};
const isRecordPage = (url: URL) => IDS.some((id) => RECORD_SHAPE[id](url));

// ------------------------------------------------------------------------------------------
// Generators.

/** The hosts each CRM is served on (from its examples), plus a few more of the same family. */
const HOSTS: Record<Id, string[]> = {
  salesforce: ['acme.lightning.force.com', 'x-dev-ed.lightning.force.com'],
  kintone: ['acme.cybozu.com', 'acme.kintone.com'],
  hubspot: ['app.hubspot.com', 'app-eu1.hubspot.com'],
  dynamics: ['acme.crm7.dynamics.com', 'acme.crm.dynamics.com'],
  zoho: ZOHO_HOSTS,
};

/** Each CRM's path words: what a near-miss is made of. */
const VOCABULARY: Record<Id, string[]> = {
  salesforce: ['lightning', 'r', 'o', 'page', 'home', 'setup', 'view', 'list', 'related', 'Histories', 'edit', 'Lead', 'Contact', 'Account', 'Opportunity', 'Case', 'lead',
    '00Q5g00000AbCdEEAV', '00Q5g00000AbCdE', '0035g00000XyZ12AAB', '0015g00000Qw3rTAAR', '0065g00000Op9PqAAZ', '5005g00000AbCdEEA1', '00Q5g00000AbCdEEA', '00Q5g00000AbCdEEAVX', '00Q5g00000AbCdEEAV%2Fview'],
  kintone: ['k', 'guest', 'show', 'edit', 'search', 'admin', 'app', '12', '3', '7', 'portal', '#', ''],
  hubspot: ['contacts', 'record', 'objects', 'views', 'all', 'list', 'contact', 'company', 'deal', 'ticket', '4455667', '0-1', '0-2', '0-3', '0-5', '2-123', '51', '9001', 'reports-dashboard', 'settings'],
  dynamics: ['main.aspx', 'main', 'aspx', 'tools', 'webresources', 'apps', 'main.aspx.bak'],
  zoho: ['crm', 'org7001234567', 'tab', 'Leads', 'Contacts', 'Accounts', 'Deals', 'Home', 'CustomModule3', 'custom-view', 'list', 'begin', 'settings', 'search',
    '4876876000000123456', '12345', '123456', 'edit'],
};

const word = (id: Id) => fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VOCABULARY[id]) },
  { weight: 1, arbitrary: fc.webSegment() },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{14,19}$/) },
);

const DYNAMICS_PARAMS = fc.array(fc.tuple(
  fc.constantFrom('pagetype', 'etn', 'id', 'appid', 'viewid', 'extraqs'),
  fc.constantFrom('entityrecord', 'entitylist', 'dashboard', 'lead', 'contact', 'Lead', '1lead', 'lead-x', '',
    '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b', '{3F2A7C1E-5B6D-4E8F-9A0B-1C2D3E4F5A6B}', '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6', 'not-a-guid'),
), { maxLength: 5 }).map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));

/** Paths made of the CRM's words. */
const vocabularyUrl = (id: Id) => fc.record({
  host: fc.constantFrom(...HOSTS[id]),
  words: fc.array(word(id), { minLength: 0, maxLength: 7 }),
  slash: fc.boolean(),
  query: id === 'dynamics' ? DYNAMICS_PARAMS : fc.oneof(fc.constant(''), fc.webQueryParameters()),
  hash: id === 'kintone'
    ? fc.oneof(fc.constant(''), fc.constantFrom('record=', 'record=abc', 'record=12a', 'record', 'view=5520', 'record=-1', 'record=1.5', 'record= 1'), fc.webFragments())
    : fc.oneof(fc.constant(''), fc.webFragments()),
}).map(({ host, words, slash, query, hash }) => `https://${host}/${words.join('/')}${slash && words.length ? '/' : ''}${query ? `?${query}` : ''}${hash ? `#${hash}` : ''}`);

/** A record URL with one thing changed: a segment replaced, inserted or dropped, or its query/hash redone. */
const mutatedExample = (id: Id) => {
  const examples = ADAPTER_EXAMPLES[id].examples.map((e) => e.url);
  return fc.record({
    url: fc.constantFrom(...examples),
    op: fc.constantFrom('replace', 'insert', 'drop', 'query', 'hash'),
    at: fc.nat(),
    with: word(id),
    query: id === 'dynamics' ? DYNAMICS_PARAMS : fc.webQueryParameters(),
    hash: id === 'kintone' ? fc.constantFrom('', 'record=', 'record=abc', 'show=1', 'record=1e3', 'l.view=1') : fc.webFragments(),
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
            hash = fragment;
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
