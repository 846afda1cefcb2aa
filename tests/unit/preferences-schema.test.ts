// Preferences: the defaults, strict validation with errors in words (rendered with the real
// English catalogue), and the lenient reading of stored values, field by field.
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../utils/crm/registry';
import { renderText, type Translate } from '../../utils/notify/text';
import {
  AdapterSwitches,
  DEFAULT_PREFERENCES,
  MAX_LEADS_PER_LIST,
  NOTIFICATION_TYPES,
  NOTIFICATION_TYPE_LABELS,
  parsePreferences,
  validatePreferences,
} from '../../utils/preferences/schema';
import en from '../../public/_locales/en/messages.json';

const messages: Record<string, { message: string }> = en;
const inEnglish: Translate = (key, subs = []) =>
  (messages[key]?.message ?? `<missing ${key}>`).replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');

const get = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);

const ids = (n: number) => Array.from({ length: n }, (_, i) => `L${i + 1}`);

describe('default preferences', () => {
  it.each<[string, unknown]>([
    ['version', 2],
    ['notifications.types.becameHot', true],
    ['notifications.types.seminarAttended', true],
    ['notifications.types.videoWatched', true],
    ['notifications.types.inquiryForm', true],
    ['notifications.types.dormantWaking', true],
    ['notifications.types.windowEnding', true],
    ['notifications.types.staleAssigned', false],
    ['notifications.staleAfterDays', 7],
    ['notifications.minScore', 0],
    ['notifications.scope', 'mine'],
    ['notifications.quietHours', { enabled: true, start: '20:00', end: '08:00' }],
    ['notifications.workingDays', [1, 2, 3, 4, 5]],
    ['notifications.timeZone', 'Asia/Tokyo'],
    ['followed', []],
    ['muted', []],
    ['language', 'auto'],
    // One switch per adapter of the registry, all on.
    ['adapters', Object.fromEntries(ADAPTERS.map((adapter) => [adapter.id, true]))],
  ])('%s = %j', (path, expected) => {
    expect(get(DEFAULT_PREFERENCES, path)).toEqual(expected);
  });

  it('has a switch for every built-in CRM adapter and a label for every alert type', () => {
    expect(Object.keys(AdapterSwitches.shape).sort()).toEqual(ADAPTERS.map((a) => a.id).sort());
    for (const type of NOTIFICATION_TYPES) expect(messages[NOTIFICATION_TYPE_LABELS[type]], type).toBeDefined();
  });
});

describe('validatePreferences: errors in words for the settings page', () => {
  it.each<[string, unknown, [string, string][]]>([
    ['a valid change', { notifications: { quietHours: { start: '21:30' } } }, []],
    ['quiet hours start 25:00', { notifications: { quietHours: { start: '25:00' } } },
      [['notifications.quietHours.start', 'Quiet hours start must be a time like 08:30.']]],
    ['quiet hours end "8:00" (two digits)', { notifications: { quietHours: { end: '8:00' } } },
      [['notifications.quietHours.end', 'Quiet hours end must be a time like 08:30.']]],
    ['stale after 0 days', { notifications: { staleAfterDays: 0 } },
      [['notifications.staleAfterDays', 'Days without activity before a recycle nudge must be a whole number from 1 to 365.']]],
    ['minimum score 12.5', { notifications: { minScore: 12.5 } },
      [['notifications.minScore', 'Minimum score to notify must be a whole number from 0 to 1000.']]],
    ['a day twice', { notifications: { workingDays: [1, 1] } }, [['notifications.workingDays', 'Working days: choose days from Sunday to Saturday, each once.']]],
    ['no working day', { notifications: { workingDays: [] } }, [['notifications.workingDays', 'Working days: choose days from Sunday to Saturday, each once.']]],
    ['day 7', { notifications: { workingDays: [7] } }, [['notifications.workingDays', 'Working days: choose days from Sunday to Saturday, each once.']]],
    ['unknown time zone', { notifications: { timeZone: 'Mars/Olympus' } }, [['notifications.timeZone', 'Time zone must be a time zone such as Asia/Tokyo.']]],
    ['scope "everyone"', { notifications: { scope: 'everyone' } }, [['notifications.scope', 'Leads to notify about: choose one of the offered options.']]],
    ['language "fr"', { language: 'fr' }, [['language', 'Language: choose one of the offered options.']]],
    ['a switch set to "yes"', { notifications: { types: { becameHot: 'yes' } } }, [['notifications.types.becameHot', 'A lead becomes hot: the value is not valid.']]],
    ['the same lead followed twice', { followed: ['L1', 'L1'] }, [['followed', 'Followed leads must name each lead once, at most 100 leads.']]],
    ['too many muted leads', { muted: ids(MAX_LEADS_PER_LIST + 1) }, [['muted', 'Muted leads must name each lead once, at most 100 leads.']]],
    ['an empty lead id', { followed: [''] }, [['followed', 'Followed leads must name each lead once, at most 100 leads.']]],
    ['followed and muted', { followed: ['L1', 'L2'], muted: ['L2'] }, [['followed', 'A lead cannot be followed and muted at once: L2']]],
    ['two bad fields at once', { notifications: { quietHours: { start: 'x', end: 'y' } } }, [
      ['notifications.quietHours.start', 'Quiet hours start must be a time like 08:30.'],
      ['notifications.quietHours.end', 'Quiet hours end must be a time like 08:30.'],
    ]],
  ])('%s', (_name, input, expected) => {
    const result = validatePreferences(input);
    const errors = result.ok ? [] : result.errors.map((e) => [e.path, renderText(e.text, inEnglish)]);
    expect(errors).toEqual(expected);
  });
});

describe('parsePreferences: stored values are read field by field, never thrown on', () => {
  it.each<[string, unknown, Record<string, unknown>, string[]]>([
    ['nothing stored', null, { 'notifications.scope': 'mine' }, []],
    ['undefined', undefined, { language: 'auto' }, []],
    ['not an object', 'garbage', { 'notifications.minScore': 0 }, ['']],
    ['an array', [1, 2], { followed: [] }, ['']],
    ['a valid value', { language: 'ja', followed: ['L1'] }, { language: 'ja', followed: ['L1'] }, []],
    ['unknown fields are ignored', { theme: 'dark', language: 'en' }, { language: 'en' }, []],
    ['one bad time among good fields', { language: 'en', notifications: { quietHours: { enabled: false, start: '7am', end: '09:00' }, minScore: 40 } },
      { language: 'en', 'notifications.quietHours': { enabled: false, start: '20:00', end: '09:00' }, 'notifications.minScore': 40 },
      ['notifications.quietHours.start']],
    ['notifications not an object', { notifications: 'loud', language: 'ja' }, { 'notifications.staleAfterDays': 7, language: 'ja' }, ['notifications']],
    ['bad lead ids dropped one by one', { followed: ['L1', '', 'L1', 42, 'L2'] }, { followed: ['L1', 'L2'] }, ['followed']],
    ['a lead list that is a string', { followed: 'L1' }, { followed: [] }, ['followed']],
    ['too many muted leads: the first 100 kept', { muted: ids(150) }, { muted: ids(100) }, ['muted']],
    ['working days out of range', { notifications: { workingDays: [9, 10] } }, { 'notifications.workingDays': [1, 2, 3, 4, 5] }, ['notifications.workingDays']],
    ['some working days valid', { notifications: { workingDays: [1, 9, 3, 3] } }, { 'notifications.workingDays': [1, 3] }, ['notifications.workingDays']],
    ['a bad time zone', { notifications: { timeZone: 'Nowhere/Land' } }, { 'notifications.timeZone': 'Asia/Tokyo' }, ['notifications.timeZone']],
    ['one bad adapter switch', { adapters: { salesforce: false, kintone: 'no', myCrm: true } },
      { adapters: { ...Object.fromEntries(ADAPTERS.map((adapter) => [adapter.id, true])), salesforce: false } }, ['adapters']],
    ['an old version number', { version: 1, language: 'ja' }, { version: 2, language: 'ja' }, ['version']],
    ['followed and muted: mute wins', { followed: ['L1', 'L2'], muted: ['L1'] }, { followed: ['L2'], muted: ['L1'] }, ['followed']],
    ['a NaN score', { notifications: { minScore: Number.NaN } }, { 'notifications.minScore': 0 }, ['notifications.minScore']],
  ])('%s', (_name, raw, expected, droppedPaths) => {
    const { prefs, dropped } = parsePreferences(raw);
    for (const [path, value] of Object.entries(expected)) expect(get(prefs, path), path).toEqual(value);
    expect(dropped.map((d) => d.path)).toEqual(droppedPaths);
    expect(validatePreferences(prefs).ok, 'the result is always valid').toBe(true);
  });

  it('says what it reset, in words', () => {
    const { dropped } = parsePreferences({ notifications: { quietHours: { start: '7am' } } });
    expect(dropped.map((d) => renderText(d.text, inEnglish))).toEqual(['Quiet hours start must be a time like 08:30.']);
  });
});
