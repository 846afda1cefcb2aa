// The settings page as a whole: rendered with a fake background (transport) over fakeBrowser's
// storage, read back through the same helpers the background uses.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Options } from '../../components/Options';
import type { MessageTransport } from '../../utils/messaging';
import { loadPreferences, savePreferences } from '../../utils/preferences/storage';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/team-policy';
import { DEFAULT_POLL_SECONDS, pollSecondsItem, serverPolicyItem, teamPolicyItem } from '../../utils/settings';
import { englishRenderRoot } from './english';

let root: HTMLDivElement;
englishRenderRoot((element) => (root = element));
let sent: unknown[];

beforeEach(() => {
  sent = [];
});

/** A background that knows one saved connection and accepts every save. */
const transport: MessageTransport = {
  sendMessage: async (message) => {
    sent.push(message);
    const m = message as { type: string; apiUrl?: string };
    switch (m.type) {
      case 'status':
        return { apiUrl: 'https://scoring.example.com', hasToken: true };
      case 'saveConnection':
        return (message as { token?: string }).token === 'typo'
          ? { ok: false, message: 'The scoring API rejected the token', error: { kind: 'unauthorized', status: 401, message: 'The scoring API rejected the token' } }
          : { ok: true, status: { apiUrl: m.apiUrl, hasToken: true } };
      case 'leadNames':
        // The cache knows L1 only.
        return (message as { ids: string[] }).ids.includes('L1') ? { L1: { name: '田中 一郎', company: '株式会社サンプル' } } : {};
      case 'testConnection':
        return { ok: false, message: 'The scoring API rejected the token', error: { kind: 'unauthorized', status: 401, detail: 'revoked', message: 'The scoring API rejected the token: revoked' } };
      default:
        return { error: `unexpected ${m.type}` };
    }
  },
};

async function settle(times = 5) {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

async function open() {
  render(<Options transport={transport} />, root);
  for (let i = 0; i < 50 && !root.querySelector('#api-url'); i++) await settle(1);
  expect(root.querySelector('#api-url')).not.toBeNull();
}

const $ = <E extends Element = HTMLInputElement>(selector: string): E => {
  const element = root.querySelector<E>(selector);
  if (!element) throw new Error(`no ${selector}`);
  return element;
};
/** The control labelled `text` exactly, as getByLabel finds it. */
const byLabel = <E extends HTMLElement = HTMLInputElement>(text: string): E => {
  const labels = [...root.querySelectorAll('label')].filter((l) => l.textContent?.trim() === text);
  expect(labels, `one label "${text}"`).toHaveLength(1);
  return $<E>(`#${labels[0]!.htmlFor}`);
};
const status = (testId: string) => $(`[data-testid="${testId}"]`).textContent;
/** The texts of the elements of `kind` an input's aria-describedby points at. */
const described = (input: HTMLElement, kind: string) =>
  (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
    .map((id) => root.querySelector(`#${id}.${kind}`)?.textContent).filter(Boolean);
const errorOf = (input: HTMLElement) => described(input, 'field-error').join(' ');

async function type(input: HTMLInputElement, value: string) {
  await act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}
async function click(element: HTMLElement) {
  await act(() => element.click());
  await settle();
}

describe('settings page', () => {
  it('labels every control, so each can be found by its label', async () => {
    await open();
    const controls = [...root.querySelectorAll('input, select')];
    expect(controls.length).toBeGreaterThan(30);
    for (const control of controls) {
      expect(control.id, control.outerHTML).not.toBe('');
      expect(root.querySelector(`label[for="${control.id}"]`), control.id).not.toBeNull();
    }
    expect(new Set(controls.map((c) => c.id)).size).toBe(controls.length);
    // The page has one button named Save (the e2e test clicks it by that name).
    expect([...root.querySelectorAll('button')].filter((b) => /save/i.test(b.getAttribute('aria-label') ?? b.textContent ?? ''))).toHaveLength(1);
  });

  it('keeps the connection section: labels, saved URL, Save through the background', async () => {
    await open();
    expect(byLabel('Scoring API URL').value).toBe('https://scoring.example.com');
    expect(byLabel('API token').type).toBe('password');
    await type(byLabel('API token'), 'secret');
    await click([...root.querySelectorAll('button')].find((b) => b.textContent === 'Save')!);
    expect(sent).toContainEqual({ type: 'saveConnection', apiUrl: 'https://scoring.example.com', token: 'secret' });
    expect(status('connection-result')).toBe('Saved.');
  });

  it('says plainly that a refused token was not saved', async () => {
    await open();
    await type(byLabel('API token'), 'typo');
    await click([...root.querySelectorAll('button')].find((b) => b.textContent === 'Save')!);
    expect(status('connection-result')).toBe('Not saved — the previous connection stays in use: The scoring API rejected the token');
  });
});

describe('notifications', () => {
  it('toggling an alert type saves it', async () => {
    await open();
    const stale = byLabel('My lead has had no activity for a while (recycle?)');
    expect(stale.checked).toBe(false);
    expect(stale.getAttribute('role')).toBe('switch');
    await click(stale);
    expect((await loadPreferences()).prefs.notifications.types.staleAssigned).toBe(true);
    expect(status('notifications-status')).toBe('Saved.');
  });

  it.each<[string, string, string, RegExp]>([
    ['minimum score out of range', 'Minimum score to notify', '5000', /Minimum score to notify must be a whole number from 0 to 1000\./],
    ['stale days zero', 'Days without activity before a recycle nudge', '0', /from 1 to 365/],
    ['an unknown time zone', 'Time zone', 'Mars/Olympus', /Time zone must be a time zone such as Asia\/Tokyo\./],
  ])('refuses %s: error in words at the field, nothing saved', async (_name, label, value, message) => {
    await open();
    const input = byLabel(label);
    await type(input, value);
    expect(errorOf(input)).toMatch(message);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(status('notifications-status')).toBe('Not saved: correct the fields marked below.');
    expect(await fakeBrowser.storage.sync.get('preferences')).toEqual({});
  });

  it('saves scope, quiet hours, working days and time zone; a fixed field clears its error', async () => {
    await open();
    await type(byLabel('Minimum score to notify'), '-1');
    await type(byLabel('Minimum score to notify'), '60');
    expect(errorOf(byLabel('Minimum score to notify'))).toBe('');
    await click(byLabel('All leads of my team'));
    await click(byLabel('Hold notifications during quiet hours'));
    await type(byLabel('Quiet hours start'), '21:30');
    await click($('#notif-day-6'));
    await type(byLabel('Time zone'), 'Europe/Paris');
    const { notifications } = (await loadPreferences()).prefs;
    expect(notifications).toMatchObject({
      minScore: 60, scope: 'team', quietHours: { enabled: false, start: '21:30', end: '08:00' },
      workingDays: [1, 2, 3, 4, 5, 6], timeZone: 'Europe/Paris',
    });
    expect(status('notifications-status')).toBe('Saved.');
  });

  it('refuses an empty working week', async () => {
    await savePreferences({ notifications: { workingDays: [1] } });
    await open();
    await click($('#notif-day-1'));
    expect(root.querySelector('#notif-day-error')?.textContent).toBe('Working days: choose days from Sunday to Saturday, each once.');
    expect((await loadPreferences()).prefs.notifications.workingDays).toEqual([1]);
  });

  it('removing a followed or muted lead saves at once', async () => {
    await savePreferences({ followed: ['L1', 'L2'], muted: ['M1'] });
    await open();
    // By name where the cache knows the lead, else by id.
    expect([...root.querySelectorAll('[data-testid="followed-list"] li')].map((li) => li.firstElementChild?.textContent)).toEqual(['田中 一郎 株式会社サンプル', 'L2']);
    await click($('button[aria-label="Remove 田中 一郎 from followed leads"]'));
    expect((await loadPreferences()).prefs.followed).toEqual(['L2']);
    expect(root.querySelector('button[aria-label="Remove 田中 一郎 from followed leads"]')).toBeNull();
    // Focus stays in the list for the next removal.
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Remove L2 from followed leads');
    await click($('button[aria-label="Remove M1 from muted leads"]'));
    expect((await loadPreferences()).prefs.muted).toEqual([]);
    expect(status('lead-lists-status')).toBe('Saved.');
    expect($('#muted-heading').nextElementSibling?.nextElementSibling?.textContent).toBe('None.');
  });
});

describe('CRM sites', () => {
  it('switches an adapter off and saves it', async () => {
    await open();
    const zoho = byLabel('Zoho CRM');
    expect(zoho.checked).toBe(true);
    await click(zoho);
    expect((await loadPreferences()).prefs.adapters).toMatchObject({ zoho: false, salesforce: true });
    expect(status('crm-status')).toBe('Saved.');
  });

  it.each<[string, string, RegExp]>([
    ['a Salesforce Lead record', 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view',
      /^Recognised as a record page\.CRMSalesforceObject typeLeadRecord ID00Q5g00000AbCdEEAV$/],
    ['a 15-character id, given as 18', 'acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view', /Record ID00Q5g00000AbCdEEAV$/],
    ['a Salesforce list', 'https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Recent', /^Not a record page$/],
    ['not a URL', 'http://', /^Not a valid URL/],
    ['another scheme', 'javascript:alert(1)', /^Not a valid URL/],
  ])('"Test this URL": %s', async (_name, url, expected) => {
    await open();
    const input = byLabel('Test this URL');
    await type(input, url);
    await act(() => input.form!.requestSubmit());
    expect(status('crm-test-result')).toMatch(expected);
  });

  it('"Test this URL" says when the CRM is switched off', async () => {
    await savePreferences({ adapters: { salesforce: false } });
    await open();
    const input = byLabel('Test this URL');
    await type(input, 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view');
    await act(() => input.form!.requestSubmit());
    expect(status('crm-test-result')).toContain('Salesforce is switched off above');
  });
});

describe('team policy', () => {
  it('saves a valid change: the whole policy and the poll interval', async () => {
    await open();
    await type(byLabel('Days without calls after a lost deal'), '21');
    await type(byLabel('Check for changes every (seconds)'), '120');
    expect(status('team-status')).toBe('Saved.');
    expect(await teamPolicyItem.getValue()).toMatchObject({ lostCooldownDays: 21, businessHours: { start: '09:00', end: '19:00' } });
    expect(await pollSecondsItem.getValue()).toBe(120);
  });

  it('refuses closing before opening: error at the field, nothing saved', async () => {
    await open();
    await type(byLabel('Closing time'), '08:00');
    expect(errorOf(byLabel('Closing time'))).toBe('Closing time must be later than Opening time.');
    expect(byLabel('Closing time').getAttribute('aria-invalid')).toBe('true');
    expect(status('team-status')).toBe('Not saved: correct the fields marked below.');
    expect(await teamPolicyItem.getValue()).toBeNull();
    // An unrelated valid change is not saved either while the policy is invalid.
    await type(byLabel('Hours to wait after a call'), '24');
    expect(await teamPolicyItem.getValue()).toBeNull();
    await type(byLabel('Closing time'), '18:00');
    expect(await teamPolicyItem.getValue()).toMatchObject({ recentCallHours: 24, businessHours: { end: '18:00' } });
  });

  it.each([['29'], ['0'], ['45.5'], ['']])('refuses a poll interval of "%s" seconds', async (value) => {
    await open();
    const poll = byLabel('Check for changes every (seconds)');
    expect(poll.value).toBe(String(DEFAULT_POLL_SECONDS));
    await type(poll, value);
    expect(errorOf(poll)).toBe('Check for changes every (seconds) must be a whole number from 30 to 3600.');
    expect(await pollSecondsItem.getValue()).toBe(DEFAULT_POLL_SECONDS);
    expect(await fakeBrowser.storage.local.get('pollSeconds')).toEqual({});
    expect(await teamPolicyItem.getValue()).toBeNull();
  });

  it('refuses a business week without days', async () => {
    await teamPolicyItem.setValue({
      lostCooldownDays: 14, recentCallHours: 48, contactCapCalls: 3, contactCapDays: 30, callWindowMinutes: 120,
      businessHours: { start: '09:00', end: '19:00', days: [3], timeZone: 'Asia/Tokyo' },
    });
    await open();
    await click($('#team-day-3'));
    expect(root.querySelector('#team-day-error')?.textContent).toBe('Business days: choose days from Sunday to Saturday, each once.');
    expect(await teamPolicyItem.getValue()).toMatchObject({ businessHours: { days: [3] } });
  });
});

describe('set by the administrator', () => {
  const managedText = (input: HTMLElement) => described(input, 'managed-badge');

  beforeEach(async () => {
    await fakeBrowser.storage.managed.set({
      apiUrl: 'https://scoring.corp.example.co.jp',
      customRules: [{ pattern: 'https://crm.example.co.jp/customers/*', recordIdSelector: '#customer-id' }],
      teamPolicy: { lostCooldownDays: 30, businessHours: { start: '09:30', end: '18:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo' } },
      pollIntervalSeconds: 300,
    });
  });

  it('shows the administrator values read-only, with "Set by your administrator"', async () => {
    await open();
    const url = byLabel('Scoring API URL');
    expect(url.value).toBe('https://scoring.corp.example.co.jp');
    expect(url.readOnly).toBe(true);
    expect(managedText(url)).toEqual(['Set by your administrator']);

    const lost = byLabel('Days without calls after a lost deal');
    expect([lost.value, lost.readOnly, managedText(lost)]).toEqual(['30', true, ['Set by your administrator']]);
    const opening = byLabel('Opening time');
    expect([opening.value, opening.readOnly, managedText(opening)]).toEqual(['09:30', true, ['Set by your administrator']]);
    expect($('#team-day-1').disabled).toBe(true);
    const poll = byLabel('Check for changes every (seconds)');
    expect([poll.value, poll.readOnly, managedText(poll)]).toEqual(['300', true, ['Set by your administrator']]);

    // Fields the administrator left alone stay the rep's.
    const recent = byLabel('Hours to wait after a call');
    expect([recent.value, recent.readOnly, managedText(recent)]).toEqual(['48', false, []]);

    expect($('.custom-rules').textContent).toContain('https://crm.example.co.jp/customers/*');
    expect($('.custom-rules').textContent).toContain('Set by your administrator');
  });

  it("saves the rep's own fields, keeps the rep's values under the administrator's, leaves the poll interval alone", async () => {
    await open();
    await type(byLabel('Hours to wait after a call'), '24');
    expect(status('team-status')).toBe('Saved.');
    expect(await teamPolicyItem.getValue()).toMatchObject({ recentCallHours: 24, lostCooldownDays: 14, businessHours: { start: '09:00' } });
    expect(await fakeBrowser.storage.local.get('pollSeconds')).toEqual({});
  });

  it('tests and saves the connection with the administrator URL', async () => {
    await open();
    await click([...root.querySelectorAll('button')].find((b) => b.textContent === 'Save')!);
    expect(sent).toContainEqual({ type: 'saveConnection', apiUrl: 'https://scoring.corp.example.co.jp', token: '' });
  });
});

describe('set by the team on the LeadLens server', () => {
  const badge = (input: HTMLElement) => described(input, 'managed-badge');
  const SERVER = 'Set by your team on the LeadLens server';

  beforeEach(async () => {
    // What the background stored from GET /v1/policy at its last sync.
    await serverPolicyItem.setValue({
      policy: { ...DEFAULT_TEAM_POLICY, recentCallHours: 24, closedDates: ['2026-12-29'], businessHours: { ...DEFAULT_TEAM_POLICY.businessHours, start: '10:00' } },
      version: 3, updatedAt: '2026-11-27T03:00:00.000Z', team: 'east', etag: '"p-1"', apiUrl: 'https://scoring.example.com', fetchedAt: 0,
    });
    // The rep's own, older edit: no longer in force, not shown.
    await teamPolicyItem.setValue({ ...DEFAULT_TEAM_POLICY, recentCallHours: 2 });
  });

  it("shows the server's values read-only, each with who sets them, and the version and date", async () => {
    await open();
    const recent = byLabel('Hours to wait after a call');
    expect([recent.value, recent.readOnly, badge(recent)]).toEqual(['24', true, [SERVER]]);
    const lost = byLabel('Days without calls after a lost deal');
    expect([lost.value, lost.readOnly, badge(lost)]).toEqual(['14', true, [SERVER]]);
    const opening = byLabel('Opening time');
    expect([opening.value, opening.readOnly, badge(opening)]).toEqual(['10:00', true, [SERVER]]);
    expect($('#team-day-1').disabled).toBe(true);
    expect($('#team-holidays').disabled).toBe(true);
    expect(badge($('#team-holidays'))).toEqual([SERVER]);
    const closed = $<HTMLTextAreaElement>('#team-closed-dates');
    expect([closed.value, closed.readOnly, badge(closed)]).toEqual(['2026-12-29', true, [SERVER]]);
    expect(status('team-policy-source')).toContain(SERVER);
    expect(status('team-policy-version')).toBe('Version 3, saved Nov 27, 2026.');
    // How often to poll is this browser's business, not the team's.
    const poll = byLabel('Check for changes every (seconds)');
    expect([poll.readOnly, badge(poll)]).toEqual([false, []]);
  });

  it('a rep cannot save a diverging policy: editing a field changes nothing stored; the poll interval still saves', async () => {
    await open();
    await type(byLabel('Hours to wait after a call'), '1');
    expect(await teamPolicyItem.getValue()).toMatchObject({ recentCallHours: 2 });
    await type(byLabel('Check for changes every (seconds)'), '120');
    expect(status('team-status')).toBe('Saved.');
    expect(await pollSecondsItem.getValue()).toBe(120);
    expect(await teamPolicyItem.getValue()).toMatchObject({ recentCallHours: 2 });
  });

  it("the administrator's fields win over the server's, with the administrator's badge", async () => {
    await fakeBrowser.storage.managed.set({ teamPolicy: { recentCallHours: 72 } });
    await open();
    const recent = byLabel('Hours to wait after a call');
    expect([recent.value, recent.readOnly, badge(recent)]).toEqual(['72', true, ['Set by your administrator']]);
    expect(badge(byLabel('Days without calls after a lost deal'))).toEqual([SERVER]);
  });

  it('without a server policy the fields are the rep\'s again', async () => {
    await serverPolicyItem.setValue(null);
    await open();
    const recent = byLabel('Hours to wait after a call');
    expect([recent.value, recent.readOnly, badge(recent)]).toEqual(['2', false, []]);
    expect(root.querySelector('[data-testid="team-policy-source"]')).toBeNull();
  });
});

describe('language and notices', () => {
  it('saves the language as soon as it is chosen', async () => {
    await open();
    const select = byLabel<HTMLSelectElement>('Display language');
    expect(select.value).toBe('auto');
    expect([...select.options].map((o) => o.textContent)).toEqual(['Automatic (browser language)', '日本語', 'English']);
    await act(() => {
      select.value = 'ja';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect((await loadPreferences()).prefs.language).toBe('ja');
    expect(status('language-status')).toBe('Saved.');
  });

  it('says which stored preferences were reset to their defaults', async () => {
    await fakeBrowser.storage.sync.set({ preferences: { version: 2, notifications: { minScore: 'high' } }, preferences$: { v: 2 } });
    await open();
    expect($('.notice').textContent).toContain('Some saved preferences were not valid and were reset to their defaults:');
    expect($('.notice').textContent).toContain('Minimum score to notify must be a whole number from 0 to 1000.');
  });
});
