// Enterprise policy from chrome.storage.managed: absent, present, partly invalid; and the
// manifest's managed_schema.json lists every key the code reads.
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import managedSchemaJson from '../../public/managed_schema.json';
import { loadManagedPolicy, managedAtBoot, ManagedPolicy, ManagedTeamPolicy, parseManagedPolicy, type DroppedPolicyField } from '../../utils/preferences/managed';

type JsonSchema = { type: string; properties?: Record<string, JsonSchema>; items?: JsonSchema };
const managedSchema: JsonSchema = managedSchemaJson;

const FULL_POLICY = {
  apiUrl: 'https://scoring.example.co.jp',
  customRules: [{ pattern: 'https://crm.example.co.jp/customers/*', recordIdSelector: '#customer-id' }],
  teamPolicy: { lostCooldownDays: 30, businessHours: { start: '09:30', end: '18:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo' }, callWindowMinutes: 120 },
  pollIntervalSeconds: 120,
};

describe('loadManagedPolicy', () => {
  it('answers {} when no policy is installed', async () => {
    expect(await loadManagedPolicy()).toEqual({});
  });

  it('reads the policy from storage.managed', async () => {
    await fakeBrowser.storage.managed.set(FULL_POLICY);
    expect(await loadManagedPolicy()).toEqual(FULL_POLICY);
  });

  it.each<[string, () => Promise<unknown>]>([
    ['Firefox without a policy rejects', () => Promise.reject(new Error('Managed storage manifest not found'))],
    ['a reader that throws', () => {
      throw new Error('storage.managed is not available');
    }],
    ['nothing at all', () => Promise.resolve(undefined)],
  ])('answers {} and does not throw: %s', async (_name, read) => {
    expect(await loadManagedPolicy(read)).toEqual({});
  });

  it('reports what it left out', async () => {
    const reports: DroppedPolicyField[][] = [];
    const policy = await loadManagedPolicy(() => Promise.resolve({ apiUrl: 'javascript:alert(1)', pollIntervalSeconds: 60 }), (d) => reports.push(d));
    expect(policy).toEqual({ pollIntervalSeconds: 60 });
    expect(reports.flat().map((d) => d.path)).toEqual(['apiUrl']);
  });
});

describe('parseManagedPolicy: each field on its own', () => {
  it.each<[string, unknown, ManagedPolicy, string[]]>([
    ['empty', {}, {}, []],
    ['not an object', 'policy', {}, ['']],
    ['unknown keys are ignored', { theme: 'dark', pollIntervalSeconds: 300 }, { pollIntervalSeconds: 300 }, []],
    ['http apiUrl is allowed (intranet)', { apiUrl: 'http://scoring.intra' }, { apiUrl: 'http://scoring.intra' }, []],
    ['a non-http apiUrl', { apiUrl: 'ftp://x', pollIntervalSeconds: 300 }, { pollIntervalSeconds: 300 }, ['apiUrl']],
    ['poll too often', { pollIntervalSeconds: 5 }, {}, ['pollIntervalSeconds']],
    ['one bad rule among good ones', { customRules: [{ pattern: 'https://a/*' }, { selector: 'no pattern' }, { pattern: 'https://b/*', crm: 42 }, { pattern: 'https://c/*', crm: 'custom' }] },
      { customRules: [{ pattern: 'https://a/*' }, { pattern: 'https://c/*', crm: 'custom' }] }, ['customRules.1', 'customRules.2']],
    ['rules not a list', { customRules: 'https://a/*' }, {}, ['customRules']],
    ['one bad team policy field', { teamPolicy: { lostCooldownDays: -1, recentCallHours: 24 } }, { teamPolicy: { recentCallHours: 24 } }, ['teamPolicy.lostCooldownDays']],
    ['bad business hours', { teamPolicy: { businessHours: { start: '9am', end: '18:00', days: [1], timeZone: 'Asia/Tokyo' }, callWindowMinutes: 90 } }, { teamPolicy: { callWindowMinutes: 90 } }, ['teamPolicy.businessHours']],
    ['business hours closing before opening', { teamPolicy: { businessHours: { start: '18:00', end: '09:00', days: [1], timeZone: 'Asia/Tokyo' } } }, { teamPolicy: {} }, ['teamPolicy.businessHours']],
    ['team policy not an object', { teamPolicy: 7 }, {}, ['teamPolicy']],
  ])('%s', (_name, raw, expected, droppedPaths) => {
    const { policy, dropped } = parseManagedPolicy(raw);
    expect(policy).toEqual(expected);
    expect(dropped.map((d) => d.path)).toEqual(droppedPaths);
  });
});

describe('public/managed_schema.json', () => {
  function jsonType(schema: z.ZodType): string {
    const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
    if (inner instanceof z.ZodString || inner instanceof z.ZodStringFormat) return 'string';
    if (inner instanceof z.ZodNumber) return inner.format === 'safeint' ? 'integer' : 'number';
    if (inner instanceof z.ZodBoolean) return 'boolean';
    if (inner instanceof z.ZodArray) return 'array';
    if (inner instanceof z.ZodObject) return 'object';
    return 'unknown';
  }

  it.each<[string, z.ZodObject, JsonSchema | undefined]>([
    ['ManagedPolicy', ManagedPolicy, managedSchema],
    ['teamPolicy', ManagedTeamPolicy, managedSchema.properties?.teamPolicy],
  ])('describes every %s key with its type', (_name, zodSchema, json) => {
    expect(json?.type).toBe('object');
    for (const [key, field] of Object.entries(zodSchema.shape as Record<string, z.ZodType>)) {
      expect(json?.properties?.[key], `add "${key}" to public/managed_schema.json`).toBeDefined();
      expect(json?.properties?.[key]?.type, `type of "${key}"`).toBe(jsonType(field));
    }
    expect(Object.keys(json?.properties ?? {}).sort(), 'the schema lists no key the code ignores').toEqual(Object.keys(zodSchema.shape).sort());
  });
});

describe('managedAtBoot', () => {
  const OLD = { pollIntervalSeconds: 300, teamPolicy: { lostCooldownDays: 14 } };
  const NEW = { pollIntervalSeconds: 120, teamPolicy: { lostCooldownDays: 30 } };

  /** A live read answered by hand, a copy in memory, and the `changed` calls counted. */
  function setup(copied: unknown) {
    let answer!: (policy: ManagedPolicy) => void;
    let liveCalls = 0;
    const pending = new Promise<ManagedPolicy>((resolve) => { answer = resolve; });
    const live = () => { liveCalls++; return pending; };
    const copy = { value: copied, writes: 0, getValue: async () => copy.value, setValue: async (value: ManagedPolicy) => { copy.value = value; copy.writes++; } };
    let changed = 0;
    const get = managedAtBoot(live, copy, () => { changed++; });
    return { get, answer, copy, changed: () => changed, liveCalls: () => liveCalls };
  }

  it('answers the copy while the live read is pending, then the live policy, and says it changed once', async () => {
    const s = setup(OLD);
    expect(await s.get()).toEqual(OLD);
    s.answer(NEW);
    await expect.poll(s.changed).toBe(1);
    expect(await s.get()).toEqual(NEW);
    expect(s.copy.value).toEqual(NEW);
    expect(s.changed()).toBe(1);
  });

  it('waits for the live read when there is no copy (first start), stores it, and calls nothing changed', async () => {
    const s = setup(null);
    let got: ManagedPolicy | undefined;
    const asked = s.get().then((policy) => { got = policy; });
    await Promise.resolve();
    expect(got).toBeUndefined();
    s.answer(NEW);
    await asked;
    expect(got).toEqual(NEW);
    await expect.poll(() => s.copy.writes).toBe(1);
    expect(s.changed()).toBe(0);
  });

  it('neither writes nor calls changed when the live policy equals the copy', async () => {
    const s = setup({});
    s.answer({});
    expect(await s.get()).toEqual({});
    // Settled once a call goes to the live read again.
    await expect.poll(async () => { await s.get(); return s.liveCalls(); }).toBeGreaterThan(1);
    expect(s.copy.writes).toBe(0);
    expect(s.changed()).toBe(0);
  });

  it('keeps only the valid fields of a copy written by an older build', async () => {
    const s = setup({ pollIntervalSeconds: 5, apiUrl: 'https://scoring.example.co.jp' });
    expect(await s.get()).toEqual({ apiUrl: 'https://scoring.example.co.jp' });
  });

  it('asks the live read (the caller\'s memo) on every call once it has answered', async () => {
    const s = setup(OLD);
    s.answer(NEW);
    await expect.poll(s.changed).toBe(1);
    const before = s.liveCalls();
    await s.get();
    await s.get();
    expect(s.liveCalls()).toBe(before + 2);
  });
});
