import { describe, expect, it } from 'vitest';
import type { ScoringApiClient } from '../../utils/api/client';
import type { LeadSummary } from '../../utils/api/contract';
import { fail, ok } from '../../utils/api/errors';
import { createRouter, type RouterDeps } from '../../utils/background/router';
import { classifySender } from '../../utils/background/sender';
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
});

const lead: LeadSummary = {
  id: 'L1', name: '田中 太郎', company: '株式会社アクメ', score: 82, scoreChange24h: 12, band: 'hot', stage: 'lead',
  crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' }], updatedAt: '2026-11-23T01:00:00.000Z',
};
const me = { user: { id: 'u-sato', name: '佐藤 健', email: 'sato@example.jp' }, settings: { hotThreshold: 70, callWindowMinutes: 120 } };

function setup(connection: Connection | null, client: Partial<Pick<ScoringApiClient, 'me' | 'lookup'>> = {}) {
  const state = { connection, status: {} as Awaited<ReturnType<RouterDeps['loadStatus']>>, optionsOpened: 0, clientsFor: [] as Connection[] };
  const router = createRouter({
    loadConnection: async () => state.connection,
    saveConnection: async (c) => { state.connection = c; },
    loadStatus: async () => state.status,
    saveStatus: async (s) => { state.status = s; },
    openOptionsPage: async () => { state.optionsOpened++; },
    createClient: (c) => {
      state.clientsFor.push(c);
      return {
        me: client.me ?? (async () => ok(me)),
        lookup: client.lookup ?? (async () => ok({ lead })),
      };
    },
    now: () => new Date('2026-11-23T02:00:00.000Z'),
  });
  return { router, state };
}

const lookupMessage = { type: 'lookup', record: { crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' } };

describe('background router', () => {
  it('answers a record lookup from a content script', async () => {
    const { router } = setup({ apiUrl: 'https://api.test', token: 't' });
    expect(await router.handle(lookupMessage, 'content')).toEqual({ status: 'found', lead, asOf: '2026-11-23T02:00:00.000Z' });
  });

  it.each([
    ['not connected', null, undefined, { status: 'not_connected' }],
    ['no lead behind the record', { apiUrl: 'https://api.test', token: 't' }, fail({ kind: 'not_found', status: 404, message: 'Not found' }), { status: 'not_found' }],
    ['API down', { apiUrl: 'https://api.test', token: 't' }, fail({ kind: 'unreachable', message: 'Cannot reach https://api.test (offline, or CORS not allowed)' }), { status: 'error', message: 'Cannot reach https://api.test (offline, or CORS not allowed)' }],
  ] as const)('lookup when %s', async (_name, connection, answer, expected) => {
    const { router } = setup(connection, answer ? { lookup: async () => answer } : {});
    expect(await router.handle(lookupMessage, 'content')).toEqual(expected);
  });

  it.each([
    ['an unknown sender', lookupMessage, undefined, 'Refused: unknown sender'],
    ['a malformed message', { type: 'lookup', record: { crm: 'myspace' } }, 'content', 'Refused: malformed message'],
    ['an unknown type', { type: 'dumpToken' }, 'page', 'Refused: malformed message'],
    ['connection changes from a web page', { type: 'saveConnection', apiUrl: 'https://evil.test', token: 'x' }, 'content', 'Refused: saveConnection is not allowed from a web page'],
    ['a connection test from a web page', { type: 'testConnection', apiUrl: 'https://evil.test', token: '' }, 'content', 'Refused: testConnection is not allowed from a web page'],
  ] as const)('refuses %s', async (_name, message, sender, error) => {
    const { router, state } = setup({ apiUrl: 'https://api.test', token: 't' });
    expect(await router.handle(message, sender)).toEqual({ error });
    expect(state.connection?.apiUrl).toBe('https://api.test');
  });

  it('never returns the token in a status', async () => {
    const { router } = setup({ apiUrl: 'https://api.test', token: 'secret-token' });
    const status = await router.handle({ type: 'status' }, 'page');
    expect(JSON.stringify(status)).not.toContain('secret-token');
    expect(status).toEqual({ apiUrl: 'https://api.test', hasToken: true });
  });

  it('tests a connection with the typed token, or the saved one when left empty', async () => {
    const { router, state } = setup({ apiUrl: 'https://old.test', token: 'saved' });
    expect(await router.handle({ type: 'testConnection', apiUrl: 'https://api.test/', token: '' }, 'page')).toEqual({ ok: true, me });
    expect(state.clientsFor.at(-1)).toEqual({ apiUrl: 'https://api.test', token: 'saved' });
    await router.handle({ type: 'testConnection', apiUrl: 'https://api.test', token: 'typed' }, 'page');
    expect(state.clientsFor.at(-1)).toEqual({ apiUrl: 'https://api.test', token: 'typed' });
  });

  it('explains a failed connection test', async () => {
    const { router } = setup(null, { me: async () => fail({ kind: 'unauthorized', status: 401, message: 'The scoring API rejected the token' }) });
    expect(await router.handle({ type: 'testConnection', apiUrl: 'https://api.test', token: 'bad' }, 'page'))
      .toEqual({ ok: false, message: 'The scoring API rejected the token' });
    expect(await router.handle({ type: 'testConnection', apiUrl: 'api.test', token: 'x' }, 'page'))
      .toMatchObject({ ok: false, message: expect.stringContaining('is not a URL') });
    expect(await router.handle({ type: 'testConnection', apiUrl: 'https://api.test', token: '' }, 'page'))
      .toEqual({ ok: false, message: 'Enter the API token.' });
  });

  it('saves a connection and records who we are signed in as', async () => {
    const { router, state } = setup(null);
    const reply = await router.handle({ type: 'saveConnection', apiUrl: 'https://api.test/', token: 'tok' }, 'page');
    expect(state.connection).toEqual({ apiUrl: 'https://api.test', token: 'tok' });
    expect(reply).toEqual({ ok: true, status: { apiUrl: 'https://api.test', hasToken: true, user: me.user } });
  });

  it('opens the settings page for a content script', async () => {
    const { router, state } = setup(null);
    expect(await router.handle({ type: 'openOptions' }, 'content')).toEqual({ ok: true });
    expect(state.optionsOpened).toBe(1);
  });
});
