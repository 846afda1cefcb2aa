/**
 * A salesperson's own preferences: which alerts they get (each salesperson decides which
 * notifications to receive, per lead too), when they are held back, and a few display
 * choices. Zod schemas with a default on every field, so `Preferences.parse({})` is the default
 * set and a field added later fills itself in for old stored values.
 *
 * Stored data is never trusted to be well-formed (it roams through storage.sync from other
 * browsers and other versions of LeadLens): `parsePreferences` never throws, keeps every field
 * that is valid, resets the others to their defaults one by one and reports what it reset.
 *
 * Defaults, and why:
 * - every alert type is on except `staleAssigned`: the "recycle?" nudge is low-urgency, and
 *   turned on for a rep with a backlog it would arrive as a wave on day one, burying the alerts
 *   that matter within the 2-hour window (a flood of alerts teaches reps to ignore them).
 *   Reps who want it switch it on; the day count is already set (7).
 * - quiet hours 20:00–08:00 and Monday–Friday, Asia/Tokyo: alerts outside working time are
 *   held and delivered as one summary, not lost.
 * - scope 'mine': a rep's own leads plus the ones they follow; 'team' is opt-in.
 */
import { z } from 'zod';
import { BUILTIN_CRMS, type BuiltinCrm } from '../crm/registry';
import type { MessageKey } from '../i18n';
import { text, type LocalText } from '../notify/text';

export const PREFERENCES_VERSION = 2;

/** Lead lists (followed, muted) stay small: storage.sync allows 8,192 bytes per item. */
export const MAX_LEADS_PER_LIST = 100;
export const MAX_LEAD_ID_LENGTH = 100;
export const STALE_DAYS_RANGE = [1, 365] as const;
export const MIN_SCORE_RANGE = [0, 1000] as const;

export const NOTIFICATION_TYPES = [
  'becameHot', 'seminarAttended', 'videoWatched', 'inquiryForm', 'dormantWaking', 'windowEnding', 'staleAssigned',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

const unique = (values: readonly unknown[]) => new Set(values).size === values.length;

/** "HH:MM", 00:00–23:59. */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const on = z.boolean().default(true);

export const NotificationTypes = z.object({
  becameHot: on,
  seminarAttended: on,
  videoWatched: on,
  inquiryForm: on,
  dormantWaking: on,
  windowEnding: on,
  staleAssigned: z.boolean().default(false),
} satisfies Record<NotificationType, z.ZodType>);

export const QuietHours = z.object({
  enabled: z.boolean().default(true),
  /** Start and end may wrap midnight (20:00–08:00); start === end means no quiet time. */
  start: ClockTime.default('20:00'),
  end: ClockTime.default('08:00'),
});

export const NotificationPreferences = z.object({
  types: NotificationTypes.prefault({}),
  staleAfterDays: z.int().min(STALE_DAYS_RANGE[0]).max(STALE_DAYS_RANGE[1]).default(7),
  minScore: z.int().min(MIN_SCORE_RANGE[0]).max(MIN_SCORE_RANGE[1]).default(0),
  scope: z.enum(['mine', 'team']).default('mine'),
  quietHours: QuietHours.prefault({}),
  /** 0 = Sunday … 6 = Saturday, as Date#getDay. At least one day, or held alerts never arrive. */
  workingDays: z.array(z.int().min(0).max(6)).min(1).max(7).refine(unique).default([1, 2, 3, 4, 5]),
  /** IANA name; quiet hours and working days are read in this zone, not the machine's. */
  timeZone: z.string().max(64).refine(isTimeZone).default('Asia/Tokyo'),
});

export const LeadId = z.string().min(1).max(MAX_LEAD_ID_LENGTH);
const LeadIdList = z.array(LeadId).max(MAX_LEADS_PER_LIST).refine(unique).default([]);

/** Built-in CRM adapters on/off, one switch per adapter of the registry (on by default); the
 *  generic rule adapter ('custom') is governed by its rules. */
export const AdapterSwitches = z.object(Object.fromEntries(BUILTIN_CRMS.map((id) => [id, on])) as Record<BuiltinCrm, typeof on>);
export type AdapterSwitches = z.output<typeof AdapterSwitches>;

/** May records of this CRM be opened and shown? Rules ('custom') and CRMs without a switch
 *  (added by a newer server) are not switched off. */
export function adapterEnabled(switches: AdapterSwitches | undefined, crm: string): boolean {
  return (switches as Readonly<Record<string, boolean | undefined>> | undefined)?.[crm] !== false;
}

export const Preferences = z.object({
  version: z.literal(PREFERENCES_VERSION).default(PREFERENCES_VERSION),
  notifications: NotificationPreferences.prefault({}),
  /** Leads whose every alert I want, whatever the switches, scope and minimum score say. */
  followed: LeadIdList,
  /** Leads I never want alerts about; wins over everything. Exclusive with `followed`. */
  muted: LeadIdList,
  /** 'auto' follows the browser's UI language. */
  language: z.enum(['auto', 'ja', 'en']).default('auto'),
  adapters: AdapterSwitches.prefault({}),
});
export type Preferences = z.output<typeof Preferences>;
export type PreferencesInput = z.input<typeof Preferences>;

export const DEFAULT_PREFERENCES: Preferences = Preferences.parse({});

/** A problem with one field, in words (i18n) for the settings page. */
export interface PreferenceIssue {
  /** Dotted path of the field, e.g. "notifications.quietHours.start"; "" for the whole value. */
  path: string;
  text: LocalText;
}

// ---------------------------------------------------------------------------------------------
// Words for each field: its label (shared with the settings page) and what a valid value is.

const range = (label: MessageKey, [min, max]: readonly [number, number]) => ({
  label,
  error: (l: LocalText) => text('prefErrorRange', l, String(min), String(max)),
});
const simple = (label: MessageKey, error: MessageKey) => ({ label, error: (l: LocalText) => text(error, l) });

const TYPE_LABELS: Record<NotificationType, MessageKey> = {
  becameHot: 'prefTypeBecameHot',
  seminarAttended: 'prefTypeSeminarAttended',
  videoWatched: 'prefTypeVideoWatched',
  inquiryForm: 'prefTypeInquiryForm',
  dormantWaking: 'prefTypeDormantWaking',
  windowEnding: 'prefTypeWindowEnding',
  staleAssigned: 'prefTypeStaleAssigned',
};
export const NOTIFICATION_TYPE_LABELS: Readonly<Record<NotificationType, MessageKey>> = TYPE_LABELS;

const FIELDS: Record<string, { label: MessageKey; error: (label: LocalText) => LocalText }> = {
  '': simple('prefFieldAll', 'prefErrorInvalid'),
  version: simple('prefFieldVersion', 'prefErrorInvalid'),
  notifications: simple('prefFieldNotifications', 'prefErrorInvalid'),
  'notifications.types': simple('prefFieldTypes', 'prefErrorInvalid'),
  'notifications.quietHours': simple('prefFieldQuietHours', 'prefErrorInvalid'),
  ...Object.fromEntries(
    NOTIFICATION_TYPES.map((type) => [`notifications.types.${type}`, simple(TYPE_LABELS[type], 'prefErrorInvalid')]),
  ),
  'notifications.staleAfterDays': range('prefFieldStaleAfterDays', STALE_DAYS_RANGE),
  'notifications.minScore': range('prefFieldMinScore', MIN_SCORE_RANGE),
  'notifications.scope': simple('prefFieldScope', 'prefErrorChoice'),
  'notifications.quietHours.enabled': simple('prefFieldQuietEnabled', 'prefErrorInvalid'),
  'notifications.quietHours.start': simple('prefFieldQuietStart', 'prefErrorTime'),
  'notifications.quietHours.end': simple('prefFieldQuietEnd', 'prefErrorTime'),
  'notifications.workingDays': simple('prefFieldWorkingDays', 'prefErrorWorkingDays'),
  'notifications.timeZone': simple('prefFieldTimeZone', 'prefErrorTimeZone'),
  followed: { label: 'prefFieldFollowed', error: (l) => text('prefErrorLeadList', l, String(MAX_LEADS_PER_LIST)) },
  muted: { label: 'prefFieldMuted', error: (l) => text('prefErrorLeadList', l, String(MAX_LEADS_PER_LIST)) },
  language: simple('prefFieldLanguage', 'prefErrorChoice'),
  adapters: simple('prefFieldAdapters', 'prefErrorInvalid'),
};

/** The words for a bad value at `path` (the nearest described field: array indexes and unknown
 *  sub-keys fall back to their parent). */
export function issueAt(path: readonly PropertyKey[]): PreferenceIssue {
  const parts = path.filter((p): p is string => typeof p === 'string');
  for (let n = parts.length; n >= 0; n--) {
    const key = parts.slice(0, n).join('.');
    const field = FIELDS[key];
    if (field) return { path: key, text: field.error(text(field.label)) };
  }
  // Unreachable: '' is always described.
  return { path: '', text: text('prefErrorInvalid', text('prefFieldAll')) };
}

/** One issue per field, in the order zod found them. */
export function issuesFromZod(error: z.ZodError): PreferenceIssue[] {
  const seen = new Set<string>();
  const out: PreferenceIssue[] = [];
  for (const zodIssue of error.issues) {
    const issue = issueAt(zodIssue.path);
    if (seen.has(issue.path)) continue;
    seen.add(issue.path);
    out.push(issue);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Strict validation (what the settings page saves) and lenient parsing (what storage holds).

export type Validation = { ok: true; prefs: Preferences } | { ok: false; errors: PreferenceIssue[] };

/** Strict: every field valid, and no lead both followed and muted. */
export function validatePreferences(raw: unknown): Validation {
  const parsed = Preferences.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: issuesFromZod(parsed.error) };
  const both = parsed.data.followed.filter((id) => parsed.data.muted.includes(id));
  if (both.length > 0) return { ok: false, errors: [{ path: 'followed', text: text('prefErrorFollowMuted', both.join(', ')) }] };
  return { ok: true, prefs: parsed.data };
}

export interface ParsedPreferences {
  prefs: Preferences;
  /** Fields that were present but invalid, reset to their defaults (or trimmed, for lists). */
  dropped: PreferenceIssue[];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function unwrapDefault(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault ? (schema.unwrap() as z.ZodType) : schema;
}

/** Keep what is valid of `raw` for `schema`: objects field by field, arrays element by element
 *  (one bad lead id must not unfollow the other 40), anything else whole or default. */
function salvage(schema: z.ZodType, raw: unknown, path: string[], dropped: PreferenceIssue[]): unknown {
  const whole = schema.safeParse(raw);
  if (whole.success) return whole.data;
  const inner = unwrapDefault(schema);
  if (inner instanceof z.ZodObject && isPlainObject(raw)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
      out[key] = salvage(child, raw[key], [...path, key], dropped);
    }
    return out;
  }
  dropped.push(issueAt(path));
  if (inner instanceof z.ZodArray && Array.isArray(raw)) {
    const element = inner.element as z.ZodType;
    const kept = [...new Set(raw.filter((item) => element.safeParse(item).success))].slice(0, MAX_LEADS_PER_LIST);
    const retry = schema.safeParse(kept);
    if (retry.success) return retry.data;
  }
  return schema.parse(undefined);
}

/** Never throws. Missing fields take their defaults silently (older versions did not have them);
 *  present but invalid ones are reset and reported. A lead both followed and muted stays muted. */
export function parsePreferences(raw: unknown): ParsedPreferences {
  const dropped: PreferenceIssue[] = [];
  let prefs: Preferences;
  if (raw === undefined || raw === null) {
    prefs = Preferences.parse({});
  } else {
    const salvaged = Preferences.safeParse(salvage(Preferences, isPlainObject(raw) ? raw : (dropped.push(issueAt([])), {}), [], dropped));
    prefs = salvaged.success ? salvaged.data : Preferences.parse({});
  }
  const both = prefs.followed.filter((id) => prefs.muted.includes(id));
  if (both.length > 0) {
    dropped.push({ path: 'followed', text: text('prefErrorFollowMuted', both.join(', ')) });
    prefs = { ...prefs, followed: prefs.followed.filter((id) => !both.includes(id)) };
  }
  return { prefs, dropped };
}
