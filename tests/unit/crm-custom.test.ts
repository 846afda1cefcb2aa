// Custom CRM rules: which patterns are accepted (anchored to https:// and one literal host, named
// groups recordId/objectType only), what a rule recognises on example URLs and their near misses,
// and that no rule ever takes a built-in CRM's record page away from its adapter.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADAPTER_EXAMPLES } from '../../utils/crm/examples';
import { ADAPTERS } from '../../utils/crm/registry';
import { compilePattern, customPage, detectCustom, detectPage, looksLikeEmail, originPatternOf, ruleKind, type CustomRule } from '../../utils/crm/custom';
import { parseCustomRule, validateRules, type RuleIssue } from '../../utils/crm/custom-schema';
import { readEmail } from '../../utils/content/custom-rules';

const rule = (pattern: string, extra: Partial<CustomRule> = {}): CustomRule => ({ id: 'r', label: 'Acme CRM', pattern, ...extra });

describe('compilePattern: anchored to https:// and one literal host', () => {
  it.each([
    [String.raw`https://crm.example-corp.jp/customers/(?<recordId>\d+)`, 'crm.example-corp.jp'],
    [String.raw`^https://crm\.example-corp\.jp/customers/(?<recordId>\d+)$`, 'crm.example-corp.jp'],
    [String.raw`https:\/\/crm\.example-corp\.jp\/(?<objectType>[a-z]+)\/(?<recordId>\d+)`, 'crm.example-corp.jp'],
    ['https://CRM.Example.co.jp/', 'crm.example.co.jp'],
    ['https://crm.example.co.jp', 'crm.example.co.jp'],
    ['https://crm.example.co.jp$', 'crm.example.co.jp'],
    ['https://sales-1.intra.example.com/view.php?id=(?<recordId>[0-9]+)', 'sales-1.intra.example.com'],
  ])('%s → host %s', (pattern, host) => {
    const compiled = compilePattern(pattern);
    expect(compiled.ok && compiled.value.host).toBe(host);
  });

  it.each([
    ['http://crm.example.co.jp/customers/(?<recordId>\\d+)', 'origin'],
    ['crm.example.co.jp/customers/(?<recordId>\\d+)', 'origin'],
    ['/customers/(?<recordId>\\d+)', 'origin'],
    ['.*/customers/(?<recordId>\\d+)', 'origin'],
    ['https://.*/customers/(?<recordId>\\d+)', 'origin'],
    ['https://*.example.co.jp/customers/(?<recordId>\\d+)', 'origin'],
    ['https://crm.example.*/customers/(?<recordId>\\d+)', 'origin'],
    ['https://crm[0-9].example.co.jp/customers/', 'origin'],
    ['https://(crm|www).example.co.jp/customers/', 'origin'],
    ['https://crm.example.co.jp.*/customers/', 'origin'],
    ['https://crm.example.co.jp:8443/customers/(?<recordId>\\d+)', 'origin'],
    ['https://localhost/customers/(?<recordId>\\d+)', 'origin'],
    ['https://user@crm.example.co.jp/', 'origin'],
    ['https://-crm.example.co.jp/', 'origin'],
    ['https://crm.example.co.jp/customers/(?<id>\\d+)', 'group'],
    ['https://crm.example.co.jp/customers/(?<recordId>\\d+', 'syntax'],
    ['https://crm.example.co.jp/customers/(?<recordId>\\d+)/(?<recordId>\\d+)', 'syntax'],
    ['https://crm.example.co.jp/customers/[', 'syntax'],
  ])('rejects %s (%s)', (pattern, code) => {
    const compiled = compilePattern(pattern);
    expect(compiled.ok ? 'ok' : compiled.problem.code).toBe(code);
  });

  it('keeps an alternation inside the path: it cannot reach another host', () => {
    const r = rule('https://crm.example.co.jp/a/(?<recordId>\\d+)|.*', {});
    expect(detectCustom([r], 'https://crm.example.co.jp/anything')?.kind).toBe(undefined);
    expect(detectCustom([r], 'https://evil.example/a/1')).toBeUndefined();
  });

  it('skips escapes and lookbehinds when reading group names', () => {
    expect(compilePattern(String.raw`https://crm.example.co.jp/\(?<x>(?<=/)(?<recordId>\d+)`).ok).toBe(true);
  });
});

describe('originPatternOf', () => {
  it.each([
    [String.raw`https://crm.example-corp.jp/customers/(?<recordId>\d+)`, 'https://crm.example-corp.jp/*'],
    [String.raw`^https:\/\/CRM\.example\.com\/`, 'https://crm.example.com/*'],
    ['https://*.example.com/', undefined],
  ])('%s → %s', (pattern, origin) => {
    expect(originPatternOf({ pattern })).toBe(origin);
  });
});

// Sample rules: the URLs each recognises (and as what) and near misses it must leave alone.
const customers = rule(String.raw`https://crm.example-corp.jp/customers/(?<recordId>\d+)(?:[?#]|$)`, { objectType: 'customer' });
const byPath = rule(String.raw`https://sfa.intra.example.com/(?<objectType>lead|account)/(?<recordId>[A-Z]{2}-\d{4})`, { label: 'Intra SFA' });
const bySelector = rule(String.raw`https://crm2.example-corp.jp/profile\.php\?`, { label: 'Profile pages', emailSelector: '#email' });
const noType = rule(String.raw`https://crm3.example.net/r/(?<recordId>[^/?#]+)`);
const RULES = [customers, byPath, bySelector, noType];

describe('detectCustom: example URLs', () => {
  it.each([
    ['https://crm.example-corp.jp/customers/10001', customers, { objectType: 'customer', recordId: '10001', host: 'crm.example-corp.jp' }],
    ['https://crm.example-corp.jp/customers/42?tab=history', customers, { objectType: 'customer', recordId: '42', host: 'crm.example-corp.jp' }],
    ['https://crm.example-corp.jp/customers/42#notes', customers, { objectType: 'customer', recordId: '42', host: 'crm.example-corp.jp' }],
    ['https://sfa.intra.example.com/lead/AB-1234', byPath, { objectType: 'lead', recordId: 'AB-1234', host: 'sfa.intra.example.com' }],
    ['https://sfa.intra.example.com/account/ZZ-0001/edit', byPath, { objectType: 'account', recordId: 'ZZ-0001', host: 'sfa.intra.example.com' }],
    ['https://crm3.example.net/r/%E9%A1%A7%E5%AE%A2-7', noType, { objectType: 'record', recordId: '顧客-7', host: 'crm3.example.net' }],
  ])('%s → record', (url, expectedRule, expected) => {
    expect(detectCustom(RULES, url)).toEqual({ kind: 'record', rule: expectedRule, record: { crm: 'custom', ...expected } });
  });

  it.each([
    ['https://crm2.example-corp.jp/profile.php?uid=77', bySelector],
    ['https://crm2.example-corp.jp/profile.php?', bySelector],
  ])('%s → email from the page', (url, expectedRule) => {
    expect(detectCustom(RULES, url)).toEqual({ kind: 'email', rule: expectedRule, selector: '#email' });
  });

  it.each([
    'https://crm.example-corp.jp/customers',
    'https://crm.example-corp.jp/customers/',
    'https://crm.example-corp.jp/customers/new',
    'https://crm.example-corp.jp/customers/42/edit',
    'http://crm.example-corp.jp/customers/42',
    'https://crm.example-corp.jp:8443/customers/42',
    'https://crm.example-corp.jp.evil.example/customers/42',
    'https://evil.example/https://crm.example-corp.jp/customers/42',
    'https://crmxexample-corp.jp/customers/42',
    'https://sfa.intra.example.com/contact/AB-1234',
    'https://sfa.intra.example.com/lead/ab-1234',
    'https://crm2.example-corp.jp/profile.php',
    'https://crm2.example-corp.jp/list.php?profile.php?',
    'https://crm3.example.net/r/',
    'not a url',
  ])('leaves %s alone', (url) => {
    expect(detectCustom(RULES, url)).toBeUndefined();
  });

  it('takes the first rule that matches, and skips rules that do not compile', () => {
    const broken = rule('https://crm.example-corp.jp/customers/(?<recordId>\\d+', { id: 'broken' });
    const later = rule(String.raw`https://crm.example-corp.jp/customers/(?<recordId>\d+)`, { id: 'later', objectType: 'later' });
    expect(detectCustom([broken, customers, later], 'https://crm.example-corp.jp/customers/1')).toMatchObject({ rule: { id: 'r' }, record: { objectType: 'customer' } });
    expect(detectCustom([broken, later], 'https://crm.example-corp.jp/customers/1')).toMatchObject({ rule: { id: 'later' } });
  });

  it('falls back to the selector when the optional record group is empty', () => {
    const both = rule(String.raw`https://crm.example-corp.jp/c(?:/(?<recordId>\d+))?`, { emailSelector: '#mail' });
    expect(detectCustom([both], 'https://crm.example-corp.jp/c/5')?.kind).toBe('record');
    expect(detectCustom([both], 'https://crm.example-corp.jp/c')).toMatchObject({ kind: 'email', selector: '#mail' });
    expect(detectCustom([{ ...both, emailSelector: undefined }], 'https://crm.example-corp.jp/c')).toBeUndefined();
  });

  it('refuses ids longer than the messages allow', () => {
    expect(detectCustom([noType], `https://crm3.example.net/r/${'x'.repeat(129)}`)).toBeUndefined();
    expect(detectCustom([noType], `https://crm3.example.net/r/${'x'.repeat(128)}`)?.kind).toBe('record');
  });

  it('tells URL rules from selector rules', () => {
    expect([customers, bySelector, rule('https://a.example.com/x')].map(ruleKind)).toEqual(['url', 'selector', undefined]);
  });
});

describe("custom rules and the built-in adapters' pages", () => {
  const builtinExamples = ADAPTERS.flatMap((adapter) => ADAPTER_EXAMPLES[adapter.id].examples.map((e) => [adapter.id, e.url] as const));

  it.each(builtinExamples)('the sample rules do not claim %s example %s', (_id, url) => {
    expect(detectCustom(RULES, url), 'a custom rule matched a built-in CRM page: tighten its pattern').toBeUndefined();
  });

  it.each(builtinExamples)('even a greedy rule on the same host leaves %s example %s to its adapter', (id, url) => {
    const host = new URL(url).host;
    const greedy = [rule(`https://${host}/(?<recordId>.+)`), rule(`https://${host}/`, { emailSelector: '#email' })];
    expect(detectCustom(greedy, url), 'the greedy rule itself does match').toBeDefined();
    const page = detectPage(greedy, url);
    expect(page?.kind === 'builtin' && page.detection.adapter.id, `${id}'s adapter must win over custom rules`).toBe(id);
  });

  it('lets a rule cover pages of a built-in host its adapter does not know', () => {
    const cases = rule(String.raw`https://acme.lightning.force.com/lightning/r/Case/(?<recordId>\w{18})/view`, { objectType: 'Case' });
    expect(detectPage([cases], 'https://acme.lightning.force.com/lightning/r/Case/5005g00000AbCdEEA1/view')).toMatchObject({ kind: 'record', record: { crm: 'custom', objectType: 'Case' } });
  });
});

describe('customPage: the rules applied in the background for a content script', () => {
  const rules = [
    rule(String.raw`https://crm.example-corp.jp/customers/(?<recordId>\d+)`, { objectType: 'customer' }),
    rule('https://crm.example-corp.jp/contacts/', { label: 'Contacts', emailSelector: '#email' }),
  ];
  const page = 'https://crm.example-corp.jp/customers';
  it.each([
    ['a record URL on the page’s own site', 'https://crm.example-corp.jp/customers/42', page,
      { kind: 'record', record: { crm: 'custom', objectType: 'customer', recordId: '42', host: 'crm.example-corp.jp' } }],
    ['a selector rule: the element to read and the rule’s name', 'https://crm.example-corp.jp/contacts/7', page, { kind: 'email', selector: '#email', label: 'Contacts' }],
    ['no rule for the URL', 'https://crm.example-corp.jp/reports/1', page, { kind: 'none' }],
    ['another site than the asking page’s', 'https://crm.example-corp.jp/customers/42', 'https://evil.example.com/', { kind: 'none' }],
    ['no page URL known', 'https://crm.example-corp.jp/customers/42', undefined, { kind: 'none' }],
    ['an unreadable URL', 'not a url', page, { kind: 'none' }],
  ] as const)('%s', (_name, href, pageUrl, expected) => {
    expect(customPage(rules, href, pageUrl)).toEqual(expected);
  });
});

describe('looksLikeEmail', () => {
  it.each([
    ['taro.tanaka@acme.example.jp', true],
    ['a+b@x.io', true],
    ['taro.tanaka@acme', false],
    ['taro tanaka@acme.jp', false],
    ['<a@b.jp>', false],
    ['a@b.jp, c@d.jp', false],
    ['', false],
    [`${'a'.repeat(320)}@b.jp`, false],
  ])('%s → %s', (text, expected) => {
    expect(looksLikeEmail(text)).toBe(expected);
  });
});

describe('parseCustomRule (settings page, storage, policy)', () => {
  const valid = { id: 'r1', label: ' Acme CRM ', pattern: ' https://crm.example.co.jp/c/(?<recordId>\\d+) ', objectType: '', emailSelector: '  ' };

  it('trims and leaves empty optional fields out', () => {
    expect(parseCustomRule(valid)).toEqual({ ok: true, rule: { id: 'r1', label: 'Acme CRM', pattern: 'https://crm.example.co.jp/c/(?<recordId>\\d+)' } });
    expect(parseCustomRule({ ...valid, objectType: 'customer', emailSelector: '#m' })).toMatchObject({ ok: true, rule: { objectType: 'customer', emailSelector: '#m' } });
  });

  const codes = (raw: unknown) => {
    const parsed = parseCustomRule(raw);
    return parsed.ok ? [] : parsed.issues.map((i: RuleIssue) => `${i.path}:${i.code}`);
  };

  it.each([
    ['no label', { ...valid, label: ' ' }, ['label:label_required']],
    ['a long label', { ...valid, label: 'x'.repeat(81) }, ['label:label_long']],
    ['no pattern', { ...valid, pattern: '' }, ['pattern:pattern_required']],
    ['an http pattern', { ...valid, pattern: 'http://crm.example.co.jp/c/(?<recordId>\\d+)' }, ['pattern:pattern_origin']],
    ['a wildcard host', { ...valid, pattern: 'https://*.example.co.jp/c/(?<recordId>\\d+)' }, ['pattern:pattern_origin']],
    ['another named group', { ...valid, pattern: 'https://crm.example.co.jp/c/(?<customer>\\d+)' }, ['pattern:pattern_group']],
    ['a broken regex', { ...valid, pattern: 'https://crm.example.co.jp/c/(' }, ['pattern:pattern_syntax']],
    ['neither id nor selector', { ...valid, pattern: 'https://crm.example.co.jp/c/' }, ['emailSelector:needs_record_or_selector']],
    ['a broken selector', { ...valid, emailSelector: 'div[' }, ['emailSelector:selector_syntax']],
    ['a long object type', { ...valid, objectType: 'x'.repeat(65) }, ['objectType:object_type_long']],
    ['a bad id', { ...valid, id: 'a b' }, ['id:id']],
    ['a pattern that is not a string', { ...valid, pattern: 42 }, ['pattern:pattern_required']],
    ['several problems', { ...valid, label: '', pattern: 'https://x/' }, ['label:label_required', 'pattern:pattern_origin']],
  ])('%s', (_name, raw, expected) => {
    expect(codes(raw)).toEqual(expected);
  });

  it('accepts a selector rule without a record group', () => {
    expect(codes({ ...valid, pattern: 'https://crm.example.co.jp/profile', emailSelector: '#customer-email' })).toEqual([]);
  });

  it('gives the regex engine’s words for a broken pattern', () => {
    const parsed = parseCustomRule({ ...valid, pattern: 'https://crm.example.co.jp/c/(' });
    expect(!parsed.ok && parsed.issues[0]?.detail).toMatch(/Invalid regular expression|Unterminated group/i);
  });
});

describe('validateRules: the administrator’s, then the rep’s', () => {
  it('names admin rules, labels them by pattern when unlabelled, and reports the ones it drops', () => {
    const set = validateRules(
      [{ pattern: 'https://crm.example.co.jp/c/(?<recordId>\\d+)' }, { pattern: 'https://crm.example.co.jp/customers/*', recordIdSelector: '#customer-id' }],
      [{ id: 'mine', label: 'Mine', pattern: 'https://b.example.com/', emailSelector: '#m' }, { id: 'bad', label: 'Bad', pattern: 'http://b.example.com/' }],
    );
    expect(set.rules).toEqual([
      { id: 'admin-0', label: 'https://crm.example.co.jp/c/(?<recordId>\\d+)', pattern: 'https://crm.example.co.jp/c/(?<recordId>\\d+)' },
      { id: 'mine', label: 'Mine', pattern: 'https://b.example.com/', emailSelector: '#m' },
    ]);
    expect(set.dropped.map((d) => [d.source, d.id, d.issues.map((i) => i.code)])).toEqual([
      ['admin', 'admin-1', ['needs_record_or_selector']],
      ['own', 'bad', ['pattern_origin']],
    ]);
  });
});

describe('readEmail: the selector rule on the page', () => {
  const detection = { label: 'Acme CRM', selector: '#email' };
  let debug: ReturnType<typeof vi.spyOn>;
  afterEach(() => {
    document.body.innerHTML = '';
    debug?.mockRestore();
  });
  const page = (html: string) => {
    document.body.innerHTML = html;
    debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
  };

  it.each([
    ['<a id="email" href="mailto:x">  taro@acme.example.jp\n</a>', 'taro@acme.example.jp', undefined],
    ['<input id="email" value="hanako@acme.example.jp">', 'hanako@acme.example.jp', undefined],
    ['<p>nothing here</p>', undefined, "LeadLens custom rule 'Acme CRM': email selector '#email' matched nothing"],
    ['<span id="email">—</span>', undefined, "LeadLens custom rule 'Acme CRM': email selector '#email' matched an element whose text is not an email address"],
  ])('%s → %s', (html, email, message) => {
    page(html);
    expect(readEmail(detection)).toBe(email);
    if (message) expect(debug).toHaveBeenCalledWith(message);
    else expect(debug).not.toHaveBeenCalled();
  });

  it('says so when the selector itself is broken', () => {
    page('<p></p>');
    expect(readEmail({ ...detection, selector: 'div[' })).toBeUndefined();
    expect(debug).toHaveBeenCalledWith("LeadLens custom rule 'Acme CRM': email selector 'div[' is not a valid CSS selector");
  });
});
