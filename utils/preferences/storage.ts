/**
 * Where the preferences live: storage.sync, so they follow the rep to every browser they sign
 * into (the API token does not: it stays in this browser's extension IndexedDB, see utils/settings.ts).
 *
 * Versions (the WXT item keeps the number in its `preferences$` meta key and runs the migrations
 * once, when this module loads):
 *
 * v1 — LeadLens 0.1 preview, flat, one switch for every "call now" alert:
 *   { notifyHot: boolean; notifyStale: boolean; staleDays: number;
 *     quietStart: 'HH:MM' | null; quietEnd: 'HH:MM' | null;   // both set = quiet hours on
 *     scope: 'mine' | 'team'; followed: string[]; muted: string[] }
 * v2 — the nested shape of `Preferences` in ./schema.ts.
 *
 * Whatever the migration produces is still read through `parsePreferences`, which keeps the valid
 * fields and resets the others, so a bad v1 value cannot crash anything.
 */
import { storage } from 'wxt/utils/storage';
import { text } from '../notify/text';
import {
  LeadId,
  parsePreferences,
  PREFERENCES_VERSION,
  validatePreferences,
  type ParsedPreferences,
  type PreferenceIssue,
  type Preferences,
} from './schema';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** v1 → v2. Copies values as they are (validation comes after) and never throws: a value that is
 *  not even an object becomes the defaults. */
export function migrateV1ToV2(v1: unknown): Record<string, unknown> {
  if (!isPlainObject(v1)) return { version: 2 };
  // Already nested (the version meta key was lost, or a v2 value was written without it):
  // migrating it again would throw the rep's choices away.
  if (v1.version === 2 || isPlainObject(v1.notifications)) return v1;
  const notifications: Record<string, unknown> = {};
  const types: Record<string, unknown> = {};
  if ('notifyHot' in v1) {
    // v1's single switch covered every alert that asks for a call now.
    for (const type of ['becameHot', 'seminarAttended', 'videoWatched', 'inquiryForm', 'dormantWaking', 'windowEnding']) {
      types[type] = v1.notifyHot;
    }
  }
  if ('notifyStale' in v1) types.staleAssigned = v1.notifyStale;
  if (Object.keys(types).length > 0) notifications.types = types;
  if ('staleDays' in v1) notifications.staleAfterDays = v1.staleDays;
  if ('scope' in v1) notifications.scope = v1.scope;
  if ('quietStart' in v1 || 'quietEnd' in v1) {
    const enabled = v1.quietStart != null && v1.quietEnd != null;
    // Off in v1: keep v2's default times so switching it on offers sensible hours.
    notifications.quietHours = enabled ? { enabled, start: v1.quietStart, end: v1.quietEnd } : { enabled };
  }
  const v2: Record<string, unknown> = { version: 2, notifications };
  if ('followed' in v1) v2.followed = v1.followed;
  if ('muted' in v1) v2.muted = v1.muted;
  return v2;
}

export const preferencesItem = storage.defineItem<unknown>('sync:preferences', {
  fallback: null,
  version: PREFERENCES_VERSION,
  migrations: { 2: migrateV1ToV2 },
});

/** chrome.storage.sync.QUOTA_BYTES_PER_ITEM: https://developer.chrome.com/docs/extensions/reference/api/storage#property-sync-QUOTA_BYTES_PER_ITEM */
export const SYNC_QUOTA_BYTES_PER_ITEM = 8192;
const STORAGE_KEY = 'preferences';

/** The preferences, with whatever invalid stored fields were reset to defaults (not written back:
 *  the stored value may come from a newer LeadLens in another browser). Never throws. */
export async function loadPreferences(): Promise<ParsedPreferences> {
  let raw: unknown = null;
  try {
    raw = await preferencesItem.getValue();
  } catch {
    // Storage unavailable (extension context gone): defaults are the safe answer.
  }
  return parsePreferences(raw);
}

/** Calls back with parsed preferences whenever they change (here or in another browser). */
export function watchPreferences(callback: (prefs: Preferences) => void): () => void {
  return preferencesItem.watch((value) => callback(parsePreferences(value).prefs));
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type PreferencesPatch = DeepPartial<Omit<Preferences, 'version'>>;

export type SaveResult = { ok: true; prefs: Preferences } | { ok: false; errors: PreferenceIssue[] };

function merge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(base[key], value);
  return out;
}

// Saves within one page run one after another, so follow() and a settings save made together do
// not overwrite each other. (Two pages saving in the same instant can still race; the last wins.)
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

function byteLength(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length + STORAGE_KEY.length;
}

async function update(change: (current: Preferences) => unknown): Promise<SaveResult> {
  return serialized(async () => {
    const { prefs } = await loadPreferences();
    const checked = validatePreferences(change(prefs));
    if (!checked.ok) return checked;
    const size = byteLength(checked.prefs);
    if (size > SYNC_QUOTA_BYTES_PER_ITEM) {
      return { ok: false, errors: [{ path: '', text: text('prefErrorTooLarge', String(size), String(SYNC_QUOTA_BYTES_PER_ITEM)) }] };
    }
    await preferencesItem.setValue(checked.prefs);
    return { ok: true, prefs: checked.prefs };
  });
}

/** Merges `patch` into the stored preferences (lists are replaced, not merged) and saves when the
 *  result is valid; otherwise saves nothing and returns every problem in words. */
export function savePreferences(patch: PreferencesPatch): Promise<SaveResult> {
  return update((current) => merge(current, patch));
}

function leadIdError(leadId: string): SaveResult | undefined {
  return LeadId.safeParse(leadId).success
    ? undefined
    : { ok: false, errors: [{ path: '', text: text('prefErrorLeadId', String(leadId)) }] };
}

/** Every alert about this lead, whatever the switches say. Following unmutes. */
export async function follow(leadId: string): Promise<SaveResult> {
  return leadIdError(leadId) ?? update((p) => ({
    ...p,
    followed: p.followed.includes(leadId) ? p.followed : [...p.followed, leadId],
    muted: p.muted.filter((id) => id !== leadId),
  }));
}

export async function unfollow(leadId: string): Promise<SaveResult> {
  return leadIdError(leadId) ?? update((p) => ({ ...p, followed: p.followed.filter((id) => id !== leadId) }));
}

/** No alert about this lead at all. Muting unfollows. */
export async function mute(leadId: string): Promise<SaveResult> {
  return leadIdError(leadId) ?? update((p) => ({
    ...p,
    muted: p.muted.includes(leadId) ? p.muted : [...p.muted, leadId],
    followed: p.followed.filter((id) => id !== leadId),
  }));
}

export async function unmute(leadId: string): Promise<SaveResult> {
  return leadIdError(leadId) ?? update((p) => ({ ...p, muted: p.muted.filter((id) => id !== leadId) }));
}
