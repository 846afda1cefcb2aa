// Preferences in storage.sync through WXT's fake browser: the v1 → v2 migration on a real stored
// v1 value, saving with validation, and follow/mute (exclusive).
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ADAPTERS } from '../../utils/crm/registry';
import { renderText, type Translate } from '../../utils/notify/text';
import { MAX_LEADS_PER_LIST } from '../../utils/preferences/schema';
import {
  follow,
  loadPreferences,
  migrateV1ToV2,
  mute,
  preferencesItem,
  savePreferences,
  unfollow,
  unmute,
  watchPreferences,
} from '../../utils/preferences/storage';
import en from '../../public/_locales/en/messages.json';

const messages: Record<string, { message: string }> = en;
const inEnglish: Translate = (key, subs = []) =>
  (messages[key]?.message ?? key).replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');

/** What LeadLens 0.1 stored under sync:preferences (no version meta = v1). */
const V1_FIXTURE = {
  notifyHot: false,
  notifyStale: true,
  staleDays: 14,
  quietStart: '21:00',
  quietEnd: '07:30',
  scope: 'team',
  followed: ['lead-001', 'lead-002'],
  muted: ['lead-009'],
};

// The fake browser is reset before each test; start each from "freshly installed".
beforeEach(async () => {
  await preferencesItem.migrate();
});

describe('v1 → v2 migration', () => {
  it('turns a stored v1 value into the nested v2 shape and marks it v2', async () => {
    await fakeBrowser.storage.sync.set({ preferences: V1_FIXTURE });
    await preferencesItem.migrate();

    expect(await preferencesItem.getMeta()).toEqual({ v: 2 });
    const { prefs, dropped } = await loadPreferences();
    expect(dropped).toEqual([]);
    expect(prefs).toEqual({
      version: 2,
      notifications: {
        types: {
          becameHot: false, seminarAttended: false, videoWatched: false, inquiryForm: false, dormantWaking: false, windowEnding: false,
          staleAssigned: true,
        },
        staleAfterDays: 14,
        minScore: 0,
        scope: 'team',
        quietHours: { enabled: true, start: '21:00', end: '07:30' },
        workingDays: [1, 2, 3, 4, 5],
        timeZone: 'Asia/Tokyo',
      },
      followed: ['lead-001', 'lead-002'],
      muted: ['lead-009'],
      language: 'auto',
      adapters: Object.fromEntries(ADAPTERS.map((adapter) => [adapter.id, true])),
    });
  });

  it.each<[string, unknown, Record<string, unknown>]>([
    ['quiet hours off in v1 keep the v2 default times', { quietStart: null, quietEnd: null },
      { version: 2, notifications: { quietHours: { enabled: false } } }],
    ['only one end set counts as off', { quietStart: '21:00', quietEnd: null }, { version: 2, notifications: { quietHours: { enabled: false } } }],
    ['an empty v1 value', {}, { version: 2, notifications: {} }],
    ['not an object', 'corrupt', { version: 2 }],
    ['already v2 (meta lost) is left alone', { version: 2, language: 'ja', notifications: { minScore: 50 } },
      { version: 2, language: 'ja', notifications: { minScore: 50 } }],
  ])('%s', (_name, v1, expected) => {
    expect(migrateV1ToV2(v1)).toEqual(expected);
  });

  it('reads a v1 value with bad fields: keeps the good ones, reports the rest', async () => {
    await fakeBrowser.storage.sync.set({ preferences: { ...V1_FIXTURE, quietStart: '9pm', staleDays: -3 } });
    await preferencesItem.migrate();
    const { prefs, dropped } = await loadPreferences();
    expect(prefs.notifications.quietHours.start).toBe('20:00');
    expect(prefs.notifications.quietHours.end).toBe('07:30');
    expect(prefs.notifications.staleAfterDays).toBe(7);
    expect(prefs.followed).toEqual(['lead-001', 'lead-002']);
    expect(dropped.map((d) => d.path)).toEqual(['notifications.staleAfterDays', 'notifications.quietHours.start']);
  });
});

describe('loadPreferences / savePreferences', () => {
  it('gives the defaults when nothing is stored', async () => {
    const { prefs, dropped } = await loadPreferences();
    expect(prefs.notifications.scope).toBe('mine');
    expect(dropped).toEqual([]);
  });

  it('saves a valid change into storage.sync, merging nested fields', async () => {
    const saved = await savePreferences({ notifications: { quietHours: { start: '22:00' }, types: { staleAssigned: true } } });
    expect(saved.ok).toBe(true);
    const { prefs } = await loadPreferences();
    expect(prefs.notifications.quietHours).toEqual({ enabled: true, start: '22:00', end: '08:00' });
    expect(prefs.notifications.types.staleAssigned).toBe(true);
    expect(prefs.notifications.types.becameHot).toBe(true);
    const raw = await fakeBrowser.storage.sync.get('preferences');
    expect(raw.preferences).toMatchObject({ version: 2, notifications: { quietHours: { start: '22:00' } } });
    expect(await preferencesItem.getMeta()).toEqual({ v: 2 });
  });

  it('saves nothing and says why when a field is invalid', async () => {
    await savePreferences({ language: 'ja' });
    const result = await savePreferences({ language: 'en', notifications: { quietHours: { end: '24:00' }, staleAfterDays: 0 } });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => renderText(e.text, inEnglish))).toEqual([
      'Days without activity before a recycle nudge must be a whole number from 1 to 365.',
      'Quiet hours end must be a time like 08:30.',
    ]);
    expect((await loadPreferences()).prefs.language).toBe('ja');
  });

  it('refuses what storage.sync could not hold, in words', async () => {
    const longIds = Array.from({ length: MAX_LEADS_PER_LIST }, (_, i) => `${'x'.repeat(90)}-${i}`);
    const result = await savePreferences({ followed: longIds });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : renderText(result.errors[0]!.text, inEnglish)).toMatch(/^Preferences are too large to sync \(\d+ of 8192 bytes\)\./);
  });

  it('does not lose either of two saves made together', async () => {
    await Promise.all([savePreferences({ language: 'en' }), follow('L1'), savePreferences({ notifications: { minScore: 30 } })]);
    const { prefs } = await loadPreferences();
    expect([prefs.language, prefs.followed, prefs.notifications.minScore]).toEqual(['en', ['L1'], 30]);
  });

  it('tells watchers the parsed value', async () => {
    const seen: string[] = [];
    const stop = watchPreferences((p) => seen.push(p.language));
    await savePreferences({ language: 'ja' });
    await fakeBrowser.storage.sync.set({ preferences: { language: 'klingon' } });
    stop();
    expect(seen).toEqual(['ja', 'auto']);
  });
});

describe('follow and mute are exclusive', () => {
  type Step = ['follow' | 'unfollow' | 'mute' | 'unmute', string];
  const actions = { follow, unfollow, mute, unmute };
  it.each<[string, Step[], { followed: string[]; muted: string[] }]>([
    ['follow', [['follow', 'L1']], { followed: ['L1'], muted: [] }],
    ['follow twice', [['follow', 'L1'], ['follow', 'L1']], { followed: ['L1'], muted: [] }],
    ['mute', [['mute', 'L1']], { followed: [], muted: ['L1'] }],
    ['following unmutes', [['mute', 'L1'], ['follow', 'L1']], { followed: ['L1'], muted: [] }],
    ['muting unfollows', [['follow', 'L1'], ['mute', 'L1']], { followed: [], muted: ['L1'] }],
    ['unfollow', [['follow', 'L1'], ['follow', 'L2'], ['unfollow', 'L1']], { followed: ['L2'], muted: [] }],
    ['unmute', [['mute', 'L1'], ['unmute', 'L1']], { followed: [], muted: [] }],
    ['unfollow of a lead not followed', [['unfollow', 'L1']], { followed: [], muted: [] }],
  ])('%s', async (_name, steps, expected) => {
    for (const [action, id] of steps) expect((await actions[action](id)).ok).toBe(true);
    const { prefs } = await loadPreferences();
    expect({ followed: prefs.followed, muted: prefs.muted }).toEqual(expected);
  });

  it('refuses an invalid lead id and a full list, in words', async () => {
    const bad = await follow('');
    expect(bad.ok ? '' : renderText(bad.errors[0]!.text, inEnglish)).toBe('Not a valid lead id: ');
    await savePreferences({ followed: Array.from({ length: MAX_LEADS_PER_LIST }, (_, i) => `L${i}`) });
    const full = await follow('one-more');
    expect(full.ok ? '' : renderText(full.errors[0]!.text, inEnglish)).toBe('Followed leads must name each lead once, at most 100 leads.');
  });
});
