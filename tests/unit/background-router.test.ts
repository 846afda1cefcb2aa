import { describe, expect, it } from 'vitest';
import { MatchPattern } from 'wxt/utils/match-patterns';
import type { ScoringApiClient } from '../../utils/api/client';
import type { LeadSummary } from '../../utils/api/contract';
import { fail, ok } from '../../utils/api/errors';
import { createRouter, type RouterDeps } from '../../utils/background/router';
import { classifySender } from '../../utils/background/sender';
import type { SyncStatusView } from '../../utils/messaging';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/cooldowns';
import type { Connection } from '../../utils/settings';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;
const RECORD_URL = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view';

describe('classifySender', () => {
  it.each([
    ['our popup', { id: ID, url: `${ORIGIN}popup.html` }, 'page'],
    ['our content script on a CRM record', { id: ID, url: RECORD_URL, tab: { id: 3, url: RECORD_URL } }, 'content'],
    ['our content script on a page we do not run on', { id: ID, url: 'https://evil.example/', tab: { id: 3 } }, undefined],
    ['another extension', { id: 'zzzz', url: 'chrome-extension://zzzz/page.html' }, undefined],
    ['no url at all', { id: ID }, undefined],
  ] as const)('%s → %s', (_name, sender, expected) => {
    expect(classifySender(sender, ID, ORIGIN)).toBe(expected);
  });

  // The run-time registration for custom CRM rules (utils/background/custom-scripts.ts).
  const CUSTOM = [new MatchPattern('https://crm.example-corp.jp/*')];
  it.each([
    ['our content script on a granted custom-rule origin', { id: ID, url: 'https://crm.example-corp.jp/customers/1', tab: { id: 3 } }, 'content'],
    ['our content script on a built-in CRM, with custom patterns too', { id: ID, url: RECORD_URL, tab: { id: 3, url: RECORD_URL } }, 'content'],
    ['a look-alike host of the custom origin', { id: ID, url: 'https://crm.example-corp.jp.evil.example/', tab: { id: 3 } }, undefined],
    ['plain http on the custom host', { id: ID, url: 'http://crm.example-corp.jp/customers/1', tab: { id: 3 } }, undefined],
    ['the custom origin, but no tab', { id: ID, url: 'https://crm.example-corp.jp/customers/1' }, undefined],
    ['another extension on the custom origin', { id: 'zzzz', url: 'https://crm.example-corp.jp/customers/1', tab: { id: 3 } }, undefined],
  ] as const)('with custom patterns: %s → %s', (_name, sender, expected) => {
    expect(classifySender(sender, ID, ORIGIN, CUSTOM)).toBe(expected);
  });
});

const lead: LeadSummary = {
  id: 'L1', name: '田中 太郎', company: '株式会社アクメ', score: 82, scoreChange24h: 12, band: 'hot', stage: 'lead',
  crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' }], updatedAt: '2026-11-23T01:00:00.000Z',
};
const me = { user: { id: 'u-sato', name: '佐藤 健', email: 'sato@example.jp' }, settings: { hotThreshold: 70, callWindowMinutes: 120 } };

const EMAIL_PAGE = 'https://crm.example-corp.jp/customers/view?c=1';

function setup(connection: Connection | null, client: Partial<Pick<ScoringApiClient, 'me'>> = {}) {
  const state = {
    connection, status: {} as Awaited<ReturnType<RouterDeps['loadStatus']>>, optionsOpened: 0, clientsFor: [] as Connection[], lookups: [] as unknown[], syncs: 0, writes: [] as unknown[],
    /** The lead each lookup finds, by record id or email (default: L1). */
    found: new Map<string, LeadSummary | null>(),
    /** Lookups held until released, to order their answers. */
    hold: undefined as Promise<void> | undefined,
    collapsed: false,
    widths: {} as Record<string, number>,
  };
  const router = createRouter({
    loadConnection: async () => state.connection,
    saveConnection: async (c) => { state.connection = c; },
    loadStatus: async () => state.status,
    saveStatus: async (s) => { state.status = s; },
    openOptionsPage: async () => { state.optionsOpened++; },
    createClient: (c) => {
      state.clientsFor.push(c);
      return { me: client.me ?? (async () => ok(me)) };
    },
    leads: {
      lookup: async (key, tabId) => {
        state.lookups.push({ key, tabId });
        const hold = state.hold;
        if (hold) await hold;
        const which = state.found.get('email' in key ? key.email : key.recordId);
        if (which === null) return { status: 'not_found' };
        return state.connection ? { status: 'found', lead: which ?? lead, asOf: '2026-11-23T02:00:00.000Z', stale: false } : { status: 'not_connected' };
      },
      loadOlder: async () => ({ ok: false, message: 'No older events' }),
    },
    syncNow: async () => { state.syncs++; return syncView; },
    syncStatus: async () => undefined,
    connectionChanged: () => { state.syncs++; },
    panelContext: async () => CONTEXT,
    panelPrefs: async () => ({ collapsed: state.collapsed, language: 'ja' }),
    setCollapsed: async (collapsed) => { state.collapsed = collapsed; },
    leadNames: async (ids) => Object.fromEntries(ids.filter((id) => id === 'L1').map((id) => [id, { name: '田中 一郎', company: '株式会社サンプル' }])),
    setPanelWidth: async (crm, width) => { state.widths = { ...state.widths, [crm]: width }; },
    emailLookupAllowed: async (url) => url === EMAIL_PAGE,
    writes: {
      logCall: async (request, tabId) => { state.writes.push({ request, tabId }); return { ok: true, key: 'k', context: CONTEXT }; },
      undoCall: async (request) => { state.writes.push({ request }); return { ok: true, undone: true, context: CONTEXT }; },
      recycle: async (request, tabId) => { state.writes.push({ request, tabId }); return { ok: true, context: CONTEXT }; },
      setFollow: async (request) => { state.writes.push({ request }); return { ok: true, context: CONTEXT }; },
      setMute: async (request) => { state.writes.push({ request }); return { ok: true, context: CONTEXT }; },
    },
    popupLists: async () => POPUP_LISTS,
    customPage: async (href, pageUrl) => (href === EMAIL_PAGE && pageUrl === EMAIL_PAGE ? { kind: 'email', selector: '#email', label: 'Acme' } : { kind: 'none' }),
  });
  return { router, state };
}

const CONTEXT = { policy: DEFAULT_TEAM_POLICY, callWindowMinutes: 120, followed: false, muted: false, outbox: [] };
const POPUP_LISTS = { hot: [], counts: { count: 0, urgent: 0, queued: 0 }, timeZone: 'Asia/Tokyo', stock: [lead], following: [], rate: '—', windowMinutes: 120 };
const syncView: SyncStatusView = { status: 'ok', running: false, leads: 3, skippedTotal: 0, recentSkipped: [], snapshotComplete: true };
const content = { kind: 'content', tabId: 7, frameId: 0, url: RECORD_URL } as const;
const page = { kind: 'page' } as const;
const lookupMessage = { type: 'lookup', record: { crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV', host: 'acme.my.salesforce.com' } };

describe('background router', () => {
  it('passes a record lookup from a content script to the lead service, with its tab', async () => {
    const { router, state } = setup({ apiUrl: 'https://api.test', token: 't' });
    expect(await router.handle(lookupMessage, content)).toEqual({ status: 'found', lead, asOf: '2026-11-23T02:00:00.000Z', stale: false });
    expect(state.lookups).toEqual([{ key: lookupMessage.record, tabId: 7 }]);
  });

  it('accepts a lookup by email only from a page a custom rule reads an email on', async () => {
    const { router, state } = setup({ apiUrl: 'https://api.test', token: 't' });
    const byEmail = { type: 'lookup', record: { email: 'taro@acme.example.jp' } };
    expect(await router.handle(byEmail, content)).toEqual({ error: 'Refused: no custom rule reads an email on this page' });
    expect(await router.handle(byEmail, { kind: 'content', tabId: 7 })).toEqual({ error: 'Refused: no custom rule reads an email on this page' });
    expect(state.lookups).toEqual([]);
    await router.handle(byEmail, { ...content, url: EMAIL_PAGE });
    expect(state.lookups).toEqual([{ key: { email: 'taro@acme.example.jp' }, tabId: 7 }]);
  });

  it('answers a content script what the custom rules say about a URL, judged against the page that asks', async () => {
    const { router } = setup(null);
    expect(await router.handle({ type: 'customPage', href: EMAIL_PAGE }, { ...content, url: EMAIL_PAGE })).toEqual({ kind: 'email', selector: '#email', label: 'Acme' });
    // The sender's own URL, not one the message claims: another page gets no verdict about it.
    expect(await router.handle({ type: 'customPage', href: EMAIL_PAGE }, content)).toEqual({ kind: 'none' });
    expect(await router.handle({ type: 'customPage', href: '' }, content)).toEqual({ error: 'Refused: malformed message' });
  });

  it('names cached leads for extension pages (settings lists), never for web pages', async () => {
    const { router } = setup({ apiUrl: 'https://api.test', token: 't' });
    expect(await router.handle({ type: 'leadNames', ids: ['L1', 'L-gone'] }, page)).toEqual({ L1: { name: '田中 一郎', company: '株式会社サンプル' } });
    expect(await router.handle({ type: 'leadNames', ids: ['L1'] }, content)).toEqual({ error: 'Refused: leadNames is not allowed from a web page' });
  });

  it('lets extension pages sync now, but not web pages', async () => {
    const { router, state } = setup({ apiUrl: 'https://api.test', token: 't' });
    expect(await router.handle({ type: 'syncNow' }, page)).toEqual(syncView);
    expect(await router.handle({ type: 'syncNow' }, content)).toEqual({ error: 'Refused: syncNow is not allowed from a web page' });
    expect(state.syncs).toBe(1);
  });

  it.each([
    ['an unknown sender', lookupMessage, undefined, 'Refused: unknown sender'],
    ['a malformed message', { type: 'lookup', record: { crm: 'myspace' } }, 'content', 'Refused: malformed message'],
    ['a record lookup without its tenant', { type: 'lookup', record: { crm: 'kintone', objectType: '12', recordId: '34' } }, 'content', 'Refused: malformed message'],
    ['an unknown type', { type: 'dumpToken' }, 'page', 'Refused: malformed message'],
    ['connection changes from a web page', { type: 'saveConnection', apiUrl: 'https://evil.test', token: 'x' }, 'content', 'Refused: saveConnection is not allowed from a web page'],
    ['a connection test from a web page', { type: 'testConnection', apiUrl: 'https://evil.test', token: '' }, 'content', 'Refused: testConnection is not allowed from a web page'],
    ['the popup\'s lists (every cached lead of the rep) to a web page', { type: 'popupLists' }, 'content', 'Refused: popupLists is not allowed from a web page'],
  ] as const)('refuses %s', async (_name, message, kind, error) => {
    const { router, state } = setup({ apiUrl: 'https://api.test', token: 't' });
    expect(await router.handle(message, { kind })).toEqual({ error });
    expect(state.connection?.apiUrl).toBe('https://api.test');
  });

  it('answers the popup its lists', async () => {
    const { router } = setup({ apiUrl: 'https://api.test', token: 't' });
    expect(await router.handle({ type: 'popupLists' }, page)).toEqual(POPUP_LISTS);
  });

  it('never returns the token in a status', async () => {
    const { router } = setup({ apiUrl: 'https://api.test', token: 'secret-token' });
    const status = await router.handle({ type: 'status' }, page);
    expect(JSON.stringify(status)).not.toContain('secret-token');
    expect(status).toEqual({ apiUrl: 'https://api.test', hasToken: true });
  });

  it('tests a connection with the typed token, or the saved one when left empty', async () => {
    const { router, state } = setup({ apiUrl: 'https://old.test', token: 'saved' });
    expect(await router.handle({ type: 'testConnection', apiUrl: 'https://api.test/', token: '' }, page)).toEqual({ ok: true, me });
    expect(state.clientsFor.at(-1)).toEqual({ apiUrl: 'https://api.test', token: 'saved' });
    await router.handle({ type: 'testConnection', apiUrl: 'https://api.test', token: 'typed' }, page);
    expect(state.clientsFor.at(-1)).toEqual({ apiUrl: 'https://api.test', token: 'typed' });
  });

  it('explains a failed connection test', async () => {
    const { router } = setup(null, { me: async () => fail({ kind: 'unauthorized', status: 401, message: 'The scoring API rejected the token' }) });
    expect(await router.handle({ type: 'testConnection', apiUrl: 'https://api.test', token: 'bad' }, page))
      .toEqual({ ok: false, message: 'The scoring API rejected the token', error: { kind: 'unauthorized', status: 401, message: 'The scoring API rejected the token' } });
    expect(await router.handle({ type: 'testConnection', apiUrl: 'api.test', token: 'x' }, page))
      .toMatchObject({ ok: false, message: expect.stringContaining('is not a URL'), error: { kind: 'config', reason: 'not_a_url', value: 'api.test' } });
    expect(await router.handle({ type: 'testConnection', apiUrl: 'https://api.test', token: '' }, page))
      .toEqual({ ok: false, message: 'Enter the API token.', error: { kind: 'config', reason: 'no_token', message: 'Enter the API token.' } });
  });

  it('saves a connection and records who we are signed in as', async () => {
    const { router, state } = setup(null);
    const reply = await router.handle({ type: 'saveConnection', apiUrl: 'https://api.test/', token: 'tok' }, page);
    expect(state.connection).toEqual({ apiUrl: 'https://api.test', token: 'tok' });
    expect(reply).toEqual({ ok: true, status: { apiUrl: 'https://api.test', hasToken: true, user: me.user } });
    expect(state.syncs).toBe(1);
  });

  it('keeps the working connection when the new token is refused or the server cannot be reached', async () => {
    const working = { apiUrl: 'https://api.test', token: 'good' };
    const refused = setup(working, { me: async () => fail({ kind: 'unauthorized', status: 401, message: 'The scoring API rejected the token' }) });
    expect(await refused.router.handle({ type: 'saveConnection', apiUrl: 'https://api.test', token: 'typo' }, page))
      .toEqual({ ok: false, message: 'The scoring API rejected the token', error: { kind: 'unauthorized', status: 401, message: 'The scoring API rejected the token' } });
    expect(refused.state.connection).toEqual(working);
    expect(refused.state.syncs).toBe(0);
    const offline = setup(working, { me: async () => fail({ kind: 'unreachable', url: 'https://other.test', message: 'Cannot reach https://other.test' }) });
    expect(await offline.router.handle({ type: 'saveConnection', apiUrl: 'https://other.test', token: 'new' }, page)).toMatchObject({ ok: false });
    expect(offline.state.connection).toEqual(working);
  });

  it('passes a call log from the panel on with its tab, schema-checked', async () => {
    const { router, state } = setup({ apiUrl: 'https://api.test', token: 't' });
    await router.handle(lookupMessage, content);
    const request = { type: 'logCall', leadId: 'L1', outcome: 'lost', lossReason: 'price', note: '予算が来期' };
    expect(await router.handle(request, content)).toEqual({ ok: true, key: 'k', context: CONTEXT });
    expect(state.writes).toEqual([{ request, tabId: 7 }]);
    expect(await router.handle({ ...request, outcome: 'shouted' }, content)).toEqual({ error: 'Refused: malformed message' });
    expect(await router.handle({ ...request, lossReason: 'vibes' }, content)).toEqual({ error: 'Refused: malformed message' });
    expect(state.writes).toHaveLength(1);
  });

  it('opens the settings page for a content script', async () => {
    const { router, state } = setup(null);
    expect(await router.handle({ type: 'openOptions' }, content)).toEqual({ ok: true });
    expect(state.optionsOpened).toBe(1);
  });

  it('answers the panel its collapsed state and language, and saves a new collapsed state', async () => {
    const { router, state } = setup(null);
    expect(await router.handle({ type: 'panelPrefs' }, content)).toEqual({ collapsed: false, language: 'ja' });
    expect(await router.handle({ type: 'setCollapsed', collapsed: true }, content)).toEqual({ ok: true });
    expect(state.collapsed).toBe(true);
    expect(await router.handle({ type: 'setCollapsed', collapsed: 'yes' }, content)).toEqual({ error: 'Refused: malformed message' });
  });

  it('remembers the panel width a CRM page reports, within the panel limits and for a plain CRM key only', async () => {
    const { router, state } = setup(null);
    expect(await router.handle({ type: 'setPanelWidth', crm: 'salesforce', width: 400 }, content)).toEqual({ ok: true });
    expect(await router.handle({ type: 'setPanelWidth', crm: 'kintone', width: 280 }, content)).toEqual({ ok: true });
    expect(state.widths).toEqual({ salesforce: 400, kintone: 280 });
    // 279 / 561: outside 280..560; a fraction; a key that is not a CRM id.
    for (const bad of [{ crm: 'salesforce', width: 279 }, { crm: 'salesforce', width: 561 }, { crm: 'salesforce', width: 300.5 }, { crm: '__proto__', width: 300 }, { crm: 'Sales Force', width: 300 }]) {
      expect(await router.handle({ type: 'setPanelWidth', ...bad }, content)).toEqual({ error: 'Refused: malformed message' });
    }
    expect(state.widths).toEqual({ salesforce: 400, kintone: 280 });
  });
});

describe('background router: a content script speaks only for the lead its page shows', () => {
  const other: LeadSummary = { ...lead, id: 'L2', name: '鈴木 花子', crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000ZzZzZEAV' }] };
  const lookupOf = (recordId: string) => ({ type: 'lookup', record: { ...lookupMessage.record, recordId } });
  const refusal = (type: string) => ({ error: `Refused: ${type} is only for the lead this page shows` });
  const leadRequests = (leadId: string) => [
    { type: 'panelContext', leadId },
    { type: 'loadOlder', leadId },
    { type: 'logCall', leadId, outcome: 'connected' },
    { type: 'recycle', leadId, track: 'kintone活用', frequency: 'monthly', email: 'taro@acme.example.jp' },
    { type: 'setFollow', leadId, followed: true },
    { type: 'setMute', leadId, muted: true },
  ];
  const connected = () => {
    const t = setup({ apiUrl: 'https://api.test', token: 't' });
    t.state.found.set('00Q5g00000ZzZzZEAV', other);
    return t;
  };

  it('refuses every lead request before the page looked its record up', async () => {
    const { router, state } = connected();
    for (const request of leadRequests('L1')) expect(await router.handle(request, content)).toEqual(refusal(request.type));
    expect(state.writes).toEqual([]);
  });

  it('accepts them for the lead the lookup resolved, and refuses them for any other lead', async () => {
    const { router, state } = connected();
    await router.handle(lookupMessage, content);
    for (const request of leadRequests('L2')) expect(await router.handle(request, content)).toEqual(refusal(request.type));
    expect(state.writes).toEqual([]);
    for (const request of leadRequests('L1')) expect(await router.handle(request, content)).not.toHaveProperty('error');
    expect(state.writes).toHaveLength(4);
  });

  it('binds per tab and per frame: another tab or frame cannot borrow the lead', async () => {
    const { router, state } = connected();
    await router.handle(lookupMessage, content);
    const call = { type: 'logCall', leadId: 'L1', outcome: 'connected' };
    expect(await router.handle(call, { ...content, tabId: 8 })).toEqual(refusal('logCall'));
    expect(await router.handle(call, { ...content, frameId: 3 })).toEqual(refusal('logCall'));
    expect(state.writes).toEqual([]);
  });

  it('moves the binding with the record shown, and drops it when the record has no lead', async () => {
    const { router, state } = connected();
    await router.handle(lookupMessage, content);
    await router.handle(lookupOf('00Q5g00000ZzZzZEAV'), content);
    expect(await router.handle({ type: 'setFollow', leadId: 'L1', followed: true }, content)).toEqual(refusal('setFollow'));
    expect(await router.handle({ type: 'setFollow', leadId: 'L2', followed: true }, content)).not.toHaveProperty('error');
    state.found.set('00Q5g00000NoLeadEAV', null);
    await router.handle(lookupOf('00Q5g00000NoLeadEAV'), content);
    expect(await router.handle({ type: 'setFollow', leadId: 'L2', followed: true }, content)).toEqual(refusal('setFollow'));
  });

  it('keeps the newest record when an older lookup answers last', async () => {
    const { router, state } = connected();
    let release = () => {};
    state.hold = new Promise<void>((resolve) => { release = resolve; });
    const slow = router.handle(lookupMessage, content); // record of L1, held
    state.hold = undefined;
    await router.handle(lookupOf('00Q5g00000ZzZzZEAV'), content); // then L2's record, answered first
    release();
    await slow;
    expect(await router.handle({ type: 'panelContext', leadId: 'L1' }, content)).toEqual(refusal('panelContext'));
    expect(await router.handle({ type: 'panelContext', leadId: 'L2' }, content)).toEqual(CONTEXT);
  });

  it('forgets a closed tab', async () => {
    const { router } = connected();
    await router.handle(lookupMessage, content);
    router.forgetTab(7);
    expect(await router.handle({ type: 'panelContext', leadId: 'L1' }, content)).toEqual(refusal('panelContext'));
  });

  it('leaves the extension pages free to act on any lead (popup, settings page)', async () => {
    const { router, state } = connected();
    expect(await router.handle({ type: 'setFollow', leadId: 'L2', followed: true }, page)).toEqual({ ok: true, context: CONTEXT });
    expect(state.writes).toHaveLength(1);
  });
});
