// The settings page's "Custom CRM rules" section with a stand-in for the browser's site access:
// the permission is asked for inside the click, the rule is saved only when access is granted,
// the site is given back when the last rule that needs it goes, and the test box says what a
// rule would recognise.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { CustomRulesSection, probeRule, type SiteAccess } from '../../components/options/CustomRulesSection';
import { customRulesItem } from '../../utils/crm/custom-storage';
import type { CustomRule } from '../../utils/crm/custom';
import { englishRenderRoot } from './english';

let root: HTMLDivElement;
englishRenderRoot((element) => (root = element));


async function settle(times = 5) {
  for (let i = 0; i < times; i++) await act(async () => { await new Promise((resolve) => setTimeout(resolve, 0)); });
}

/** Site access that grants (or not) and records what was asked, and when. */
function access(grant = true, initially: string[] = []) {
  const granted = new Set(initially);
  const log: string[] = [];
  const site: SiteAccess = {
    request: vi.fn(async (origin: string) => { log.push(`request ${origin}`); if (grant) granted.add(origin); return grant; }),
    remove: vi.fn(async (origin: string) => { log.push(`remove ${origin}`); return granted.delete(origin); }),
    contains: vi.fn(async (origin: string) => granted.has(origin)),
  };
  return { site, granted, log };
}

const $ = <E extends Element = HTMLInputElement>(selector: string): E => {
  const element = root.querySelector<E>(selector);
  if (!element) throw new Error(`no ${selector}`);
  return element;
};
const byLabel = (text: string) => {
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent?.trim() === text);
  if (!label) throw new Error(`no label ${text}`);
  return $(`#${label.htmlFor}`);
};
const button = (name: string) => {
  const found = [...root.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent)?.trim() === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
};
const status = () => $('[data-testid="custom-rules-status"]').textContent;
const rules = () => [...root.querySelectorAll('[data-testid="custom-rule"]')].map((li) => li.textContent);

async function type(input: HTMLInputElement, value: string) {
  await act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function open(props: { ownRules?: unknown[]; managedRules?: { pattern: string; [key: string]: string }[]; site: SiteAccess }) {
  let n = 0;
  render(<CustomRulesSection ownRules={props.ownRules ?? []} managedRules={props.managedRules} access={props.site} newId={() => `id-${++n}`} />, root);
  await settle();
}

async function fill(label: string, pattern: string, selector = '') {
  await type(byLabel('Label'), label);
  await type(byLabel('URL pattern'), pattern);
  await type(byLabel('Email selector'), selector);
}

const PATTERN = String.raw`https://crm.example-corp.jp/customers/(?<recordId>\d+)`;
const ORIGIN = 'https://crm.example-corp.jp/*';

describe('adding a rule', () => {
  it('asks for the site inside the click, then saves the rule', async () => {
    const { site } = access(true);
    await open({ site });
    await fill('Acme CRM', PATTERN);
    await type(byLabel('Object type'), 'customer');
    // Synchronously, before anything is awaited: Chrome shows the prompt only during the gesture.
    act(() => button('Add rule').click());
    expect(site.request).toHaveBeenCalledWith(ORIGIN);
    await settle();
    expect(status()).toBe('Saved.');
    expect(await customRulesItem.getValue()).toEqual([{ id: 'id-1', label: 'Acme CRM', pattern: PATTERN, objectType: 'customer' }]);
    expect(rules()).toEqual([expect.stringContaining('Acme CRM')]);
    expect(rules()[0]).toContain('Site: https://crm.example-corp.jp/*');
    expect(byLabel('Label').value).toBe('');
  });

  it('saves nothing when the site is not allowed', async () => {
    const { site } = access(false);
    await open({ site });
    await fill('Acme CRM', PATTERN);
    await act(() => button('Add rule').click());
    await settle();
    expect(status()).toBe('Could not save: Access to https://crm.example-corp.jp/* was not allowed, so the rule was not added.');
    expect(await customRulesItem.getValue()).toEqual([]);
    expect(byLabel('Label').value).toBe('Acme CRM');
  });

  it('says what is wrong, field by field, and asks for nothing', async () => {
    const { site } = access(true);
    await open({ site });
    await fill('', 'https://*.example-corp.jp/customers/', 'div[');
    await act(() => button('Add rule').click());
    await settle();
    expect(site.request).not.toHaveBeenCalled();
    expect($('#custom-rule-label-error').textContent).toBe('Label: give the rule a name.');
    expect($('#custom-rule-pattern-error').textContent).toBe("URL pattern: start with https:// and the site's host name (no wildcard, no port), then a /.");
    expect($('#custom-rule-selector-error').textContent).toBe('Email selector: not a valid CSS selector.');
    expect(byLabel('URL pattern').getAttribute('aria-invalid')).toBe('true');
    expect(await customRulesItem.getValue()).toEqual([]);
  });

  it('needs a record id in the pattern or an email selector', async () => {
    const { site } = access(true);
    await open({ site });
    await fill('Acme CRM', 'https://crm.example-corp.jp/customers/');
    await act(() => button('Add rule').click());
    await settle();
    expect($('#custom-rule-selector-error').textContent).toBe('Name the record id in the URL pattern with (?<recordId>…), or give an email selector.');
  });
});

describe('removing a rule', () => {
  const mine = (id: string, pattern: string): CustomRule => ({ id, label: id, pattern, emailSelector: '#email' });

  it('gives the site back only when no other rule needs it', async () => {
    const stored = [mine('one', 'https://crm.example-corp.jp/a'), mine('two', 'https://crm.example-corp.jp/b'), mine('three', 'https://other.example.com/')];
    await customRulesItem.setValue(stored);
    const { site, log } = access(true, [ORIGIN, 'https://other.example.com/*']);
    await open({ site, ownRules: stored });
    await act(() => button('Remove the rule one').click());
    await settle();
    expect(log).toEqual([]);
    expect((await customRulesItem.getValue()).map((r) => r.id)).toEqual(['two', 'three']);
    await act(() => button('Remove the rule two').click());
    await settle();
    expect(log).toEqual([`remove ${ORIGIN}`]);
    expect(rules()).toHaveLength(1);
    expect(status()).toBe('Saved.');
  });

  it("keeps the site while an administrator's rule needs it", async () => {
    const stored = [mine('one', 'https://crm.example-corp.jp/a')];
    const { site, log } = access(true, [ORIGIN]);
    await open({ site, ownRules: stored, managedRules: [{ pattern: 'https://crm.example-corp.jp/admin/(?<recordId>\\d+)' }] });
    await act(() => button('Remove the rule one').click());
    await settle();
    expect(log).toEqual([]);
  });
});

describe("the administrator's rules", () => {
  it('are listed read-only; one without access offers to allow it; an invalid one says why', async () => {
    const { site } = access(true);
    await open({
      site,
      managedRules: [
        { label: 'Intra SFA', pattern: String.raw`https://sfa.intra.example.com/lead/(?<recordId>\d+)` },
        { pattern: 'https://crm.example.co.jp/customers/*', recordIdSelector: '#customer-id' },
      ],
    });
    const admin = $('.custom-rules');
    expect(admin.textContent).toContain('Set by your administrator');
    expect(admin.textContent).toContain('Intra SFA');
    expect(admin.textContent).toContain('LeadLens has no access to this site yet, so the rule is not used.');
    expect(admin.textContent).toContain('This rule is not valid and is not used: Name the record id in the URL pattern with (?<recordId>…), or give an email selector.');
    expect(admin.querySelectorAll('button').length).toBe(1);
    act(() => button('Allow LeadLens on https://sfa.intra.example.com/*').click());
    expect(site.request).toHaveBeenCalledWith('https://sfa.intra.example.com/*');
    await settle();
    expect(admin.textContent).not.toContain('LeadLens has no access');
  });
});

describe('"Test the rule on a URL"', () => {
  const recordRule: CustomRule = { id: 'r', label: 'R', pattern: PATTERN, objectType: 'customer' };
  const emailRule: CustomRule = { id: 'e', label: 'E', pattern: 'https://crm.example-corp.jp/profile', emailSelector: '#customer-email' };

  it.each([
    [recordRule, 'https://crm.example-corp.jp/customers/10001', { kind: 'record', objectType: 'customer', recordId: '10001' }],
    [recordRule, 'crm.example-corp.jp/customers/7', { kind: 'record', objectType: 'customer', recordId: '7' }],
    [emailRule, 'https://crm.example-corp.jp/profile?u=1', { kind: 'email', selector: '#customer-email' }],
    [recordRule, 'https://crm.example-corp.jp/customers', { kind: 'none' }],
    [{ ...recordRule, pattern: 'https://acme.lightning.force.com/lightning/r/(?<recordId>.+)' }, 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view', { kind: 'builtin', label: 'Salesforce' }],
    [undefined, 'https://crm.example-corp.jp/customers/1', { kind: 'invalid-rule' }],
    [recordRule, 'https://exa mple', { kind: 'invalid-url' }],
    [recordRule, '  ', undefined],
  ] as const)('%o on %s', (rule, url, expected) => {
    expect(probeRule(rule, url)).toEqual(expected);
  });

  it('shows the answer for the rule being written', async () => {
    const { site } = access(true);
    await open({ site });
    await fill('Acme CRM', PATTERN);
    await type(byLabel('Test the rule on a URL'), 'https://crm.example-corp.jp/customers/10001');
    await act(() => byLabel('Test the rule on a URL').form!.requestSubmit());
    const result = $('[data-testid="custom-rule-test-result"]').textContent;
    expect(result).toContain('Recognised as a record page.');
    expect(result).toContain('10001');
  });
});
