/**
 * The team policy form, as pure functions: stored values → the strings in the fields, the
 * administrator's fields laid over them for display, and the fields → a policy checked with
 * TeamPolicySchema, or every problem in words (i18n), each at the field it belongs to.
 *
 * Fields the administrator set keep the rep's own stored value underneath: the background lays
 * the managed policy over the stored one, and if the administrator lets go of a field, the rep's
 * value comes back.
 */
import type { z } from 'zod';
import type { MessageKey } from '../../utils/i18n';
import { text, type LocalText } from '../../utils/notify/text';
import type { TeamPolicy } from '../../utils/policy/cooldowns';
import { TeamPolicySchema } from '../../utils/policy/schema';
import { ManagedPolicy } from '../../utils/preferences/managed';
import { MIN_POLL_SECONDS } from '../../utils/settings';
import type { FieldIssue } from './common';

export interface TeamPolicyForm {
  lostCooldownDays: string;
  recentCallHours: string;
  contactCapCalls: string;
  contactCapDays: string;
  start: string;
  end: string;
  days: readonly number[];
  timeZone: string;
  callWindowMinutes: string;
  retryMinutes: string;
  japaneseHolidays: boolean;
  /** One date a line (commas and spaces also separate). */
  closedDates: string;
  pollSeconds: string;
}

export type NumberField = 'lostCooldownDays' | 'recentCallHours' | 'contactCapCalls' | 'contactCapDays' | 'callWindowMinutes' | 'retryMinutes';
export const NUMBER_FIELDS: readonly NumberField[] = ['lostCooldownDays', 'recentCallHours', 'contactCapCalls', 'contactCapDays', 'callWindowMinutes', 'retryMinutes'];

export const NUMBER_LABELS: Readonly<Record<NumberField, MessageKey>> = {
  lostCooldownDays: 'optionsLostCooldownDays',
  recentCallHours: 'optionsRecentCallHours',
  contactCapCalls: 'optionsContactCapCalls',
  contactCapDays: 'optionsContactCapDays',
  callWindowMinutes: 'optionsCallWindowMinutes',
  retryMinutes: 'optionsRetryMinutes',
};

/** Bounds read off the schemas, so the words and the checks cannot disagree. */
export function numberRange(field: NumberField): readonly [number, number] {
  const schema = TeamPolicySchema.shape[field];
  return [schema.minValue ?? 0, schema.maxValue ?? Number.MAX_SAFE_INTEGER];
}
export const POLL_RANGE: readonly [number, number] = [
  MIN_POLL_SECONDS,
  ManagedPolicy.shape.pollIntervalSeconds.unwrap().maxValue ?? 3600,
];

export function formOf(policy: TeamPolicy, pollSeconds: number): TeamPolicyForm {
  return {
    lostCooldownDays: String(policy.lostCooldownDays),
    recentCallHours: String(policy.recentCallHours),
    contactCapCalls: String(policy.contactCapCalls),
    contactCapDays: String(policy.contactCapDays),
    start: policy.businessHours.start,
    end: policy.businessHours.end,
    days: policy.businessHours.days,
    timeZone: policy.businessHours.timeZone,
    callWindowMinutes: String(policy.callWindowMinutes),
    retryMinutes: String(policy.retryMinutes),
    japaneseHolidays: policy.japaneseHolidays,
    closedDates: policy.closedDates.join('\n'),
    pollSeconds: String(pollSeconds),
  };
}

/** Which fields the administrator set. */
export interface ManagedFields {
  numbers: ReadonlySet<NumberField>;
  businessHours: boolean;
  japaneseHolidays: boolean;
  closedDates: boolean;
  pollSeconds: boolean;
}

export function managedFields(managed: ManagedPolicy): ManagedFields {
  const team = managed.teamPolicy ?? {};
  return {
    numbers: new Set(NUMBER_FIELDS.filter((field) => team[field] !== undefined)),
    businessHours: team.businessHours !== undefined,
    japaneseHolidays: team.japaneseHolidays !== undefined,
    closedDates: team.closedDates !== undefined,
    pollSeconds: managed.pollIntervalSeconds !== undefined,
  };
}

/** What the fields show: the administrator's values where set, the rep's elsewhere. */
export function shownForm(form: TeamPolicyForm, managed: ManagedPolicy): TeamPolicyForm {
  const team = managed.teamPolicy ?? {};
  const out: TeamPolicyForm = { ...form };
  for (const field of NUMBER_FIELDS) {
    const value = team[field];
    if (value !== undefined) out[field] = String(value);
  }
  if (team.businessHours) {
    const { start, end, days, timeZone } = team.businessHours;
    Object.assign(out, { start, end, days, timeZone });
  }
  if (team.japaneseHolidays !== undefined) out.japaneseHolidays = team.japaneseHolidays;
  if (team.closedDates !== undefined) out.closedDates = team.closedDates.join('\n');
  if (managed.pollIntervalSeconds !== undefined) out.pollSeconds = String(managed.pollIntervalSeconds);
  return out;
}

const toNumber = (value: string): number => (value.trim() === '' ? Number.NaN : Number(value));

const range = (label: MessageKey, [min, max]: readonly [number, number]): LocalText =>
  text('prefErrorRange', text(label), String(min), String(max));

/** One zod issue of TeamPolicySchema → the field it belongs to and what a valid value is. */
function describe(issue: z.core.$ZodIssue): FieldIssue {
  const [first, second] = issue.path;
  const field = NUMBER_FIELDS.find((f) => f === first);
  if (field) return { path: field, text: range(NUMBER_LABELS[field], numberRange(field)) };
  if (first === 'businessHours') {
    switch (second) {
      case 'start':
        return { path: 'businessHours.start', text: text('prefErrorTime', text('optionsBusinessStart')) };
      case 'end':
        return issue.code === 'custom'
          ? { path: 'businessHours.end', text: text('optionsErrorEndBeforeStart', text('optionsBusinessEnd'), text('optionsBusinessStart')) }
          : { path: 'businessHours.end', text: text('prefErrorTime', text('optionsBusinessEnd')) };
      case 'days':
        return { path: 'businessHours.days', text: text('prefErrorWorkingDays', text('optionsBusinessDays')) };
      case 'timeZone':
        return { path: 'businessHours.timeZone', text: text('prefErrorTimeZone', text('optionsBusinessTimeZone')) };
      default:
        return { path: '', text: text('prefErrorInvalid', text('optionsBusinessHours')) };
    }
  }
  if (first === 'closedDates') return { path: 'closedDates', text: text('prefErrorClosedDates', text('optionsClosedDates')) };
  return { path: '', text: text('prefErrorInvalid', text('optionsTeamPolicy')) };
}

const datesOf = (value: string): string[] => value.split(/[\s,、]+/).map((d) => d.trim()).filter(Boolean);

export type TeamPolicyCheck =
  | { ok: true; policy: TeamPolicy; pollSeconds?: number }
  | { ok: false; issues: FieldIssue[] };

/** The rep's fields → what to store (no poll interval when the administrator set it), or why not. */
export function checkTeamPolicy(form: TeamPolicyForm, managed: ManagedPolicy): TeamPolicyCheck {
  const issues: FieldIssue[] = [];
  const parsed = TeamPolicySchema.safeParse({
    lostCooldownDays: toNumber(form.lostCooldownDays),
    recentCallHours: toNumber(form.recentCallHours),
    contactCapCalls: toNumber(form.contactCapCalls),
    contactCapDays: toNumber(form.contactCapDays),
    businessHours: { start: form.start, end: form.end, days: [...form.days].sort((a, b) => a - b), timeZone: form.timeZone.trim() },
    callWindowMinutes: toNumber(form.callWindowMinutes),
    retryMinutes: toNumber(form.retryMinutes),
    japaneseHolidays: form.japaneseHolidays,
    closedDates: [...new Set(datesOf(form.closedDates))].sort(),
  });
  if (!parsed.success) {
    const described = parsed.error.issues.map(describe);
    // "Closing must be after opening" says nothing useful while one of the two is not a time.
    const badTime = described.some((i) => i.text.key === 'prefErrorTime');
    for (const issue of described) {
      if (badTime && issue.text.key === 'optionsErrorEndBeforeStart') continue;
      if (!issues.some((i) => i.path === issue.path)) issues.push(issue);
    }
  }
  let pollSeconds: number | undefined;
  if (managed.pollIntervalSeconds === undefined) {
    pollSeconds = toNumber(form.pollSeconds);
    if (!Number.isInteger(pollSeconds) || pollSeconds < POLL_RANGE[0] || pollSeconds > POLL_RANGE[1]) {
      issues.push({ path: 'pollSeconds', text: range('optionsPollSeconds', POLL_RANGE) });
    }
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, policy: parsed.data, ...(pollSeconds !== undefined ? { pollSeconds } : {}) };
}
