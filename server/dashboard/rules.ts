/**
 * The team's scoring and calling rules as the manager edits them, what changed between two
 * versions (the audit log), what the rules would do to today's leads (the preview), and each
 * rule in plain words for the reps (message keys + values; the app's catalogue words them).
 */
import { z } from 'zod';
import { BusinessHoursSchema } from '../../utils/policy/schema';
import type { WindowRule } from './calendar';

const localDateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const key = z.string().min(1).max(64);

/**
 * The part of the team's scoring rules this dashboard shows and edits, named as the server's
 * scoring rules name them. Loose: fields it does not edit (profile fit, stages…) pass through
 * untouched, and the server validates the whole set with its own schema before saving.
 */
export const TeamRulesSchema = z.looseObject({
  /** Hot at or above this score, unless the lead's channel has its own threshold. */
  hotThreshold: z.number().min(0).max(100),
  /** Per-channel hot thresholds (e.g. seminar leads hot earlier than web leads). */
  channelHotThresholds: z.record(key, z.number().min(0).max(100)),
  /** Points per behaviour type before decay. */
  points: z.record(key, z.number().min(-100).max(100)),
  /** Behaviour points halve every this many days. */
  halfLifeDays: z.number().positive().max(365),
  /** A loss blocks calls for this many days (the cooldown). */
  recentlyLostDays: z.number().min(0).max(365),
  recentCallHours: z.number().min(0).max(24 * 30),
  contactCapCalls: z.number().int().min(1).max(100),
  callLookbackDays: z.number().positive().max(365),
  callWindowMinutes: z.number().int().positive().max(24 * 60),
  businessHours: BusinessHoursSchema.and(z.object({
    japaneseHolidays: z.boolean(),
    closedDates: z.array(localDateString).max(400),
  })),
});
export type TeamRules = z.infer<typeof TeamRulesSchema>;

/** Defaults for the fields above (the server's own DEFAULT_RULES win when wired). */
export const DEFAULT_TEAM_RULES: TeamRules = {
  hotThreshold: 70,
  channelHotThresholds: {},
  points: {
    email_open: 1, email_click: 3, web_visit: 2, key_page: 6, download: 8, seminar_registered: 10,
    seminar_attended: 25, video_watched: 5, form_submit: 30, survey_answered: 10,
  },
  halfLifeDays: 7,
  recentlyLostDays: 14,
  recentCallHours: 48,
  contactCapCalls: 3,
  callLookbackDays: 30,
  callWindowMinutes: 120,
  businessHours: { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo', japaneseHolidays: true, closedDates: [] },
};

export const windowRuleOf = (rules: TeamRules): WindowRule => ({
  windowMinutes: rules.callWindowMinutes, calendar: rules.businessHours,
});

/** The hot threshold that applies to a lead from this channel. */
export const thresholdFor = (rules: TeamRules, channel: string | undefined): number =>
  (channel !== undefined ? rules.channelHotThresholds[channel] : undefined) ?? rules.hotThreshold;

export interface RuleChange {
  /** Dotted path, e.g. 'channelThresholds.seminar' or 'businessHours.start'. */
  path: string;
  before: unknown;
  after: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every leaf that differs, paths sorted; arrays compare as wholes. */
export function diffRules(before: unknown, after: unknown, prefix = ''): RuleChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffRules(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: prefix, before, after }];
}

export interface RulesPreview<L> {
  /** Hot under the proposed rules. */
  hotNow: number;
  /** Hot under the current rules. */
  hotBefore: number;
  /** Hot with the proposed rules and not with the current ones. */
  more: number;
  /** Hot with the current rules and not with the proposed ones. */
  fewer: number;
  examplesMore: L[];
  examplesFewer: L[];
}

/**
 * "With these rules, N leads would be hot now (M more, K fewer)". `isHot` is the server's scorer
 * (the preview must use the one that scores for real, or it would promise what scoring won't do).
 */
export function previewRules<L, R>(
  leads: readonly L[], current: R, proposed: R, isHot: (lead: L, rules: R) => boolean, exampleLimit = 5,
): RulesPreview<L> {
  let hotNow = 0;
  let hotBefore = 0;
  const more: L[] = [];
  const fewer: L[] = [];
  for (const lead of leads) {
    const before = isHot(lead, current);
    const after = isHot(lead, proposed);
    if (before) hotBefore++;
    if (after) hotNow++;
    if (after && !before) more.push(lead);
    if (before && !after) fewer.push(lead);
  }
  return { hotNow, hotBefore, more: more.length, fewer: fewer.length, examplesMore: more.slice(0, exampleLimit), examplesFewer: fewer.slice(0, exampleLimit) };
}

export interface Explanation {
  key: string;
  values: (string | number)[];
}

/** Each rule as a sentence a rep understands: message keys and their values, in display order. */
export function explainRules(rules: TeamRules): Explanation[] {
  const out: Explanation[] = [
    { key: 'explainHot', values: [rules.hotThreshold] },
    ...Object.entries(rules.channelHotThresholds).sort(([a], [b]) => a.localeCompare(b))
      .map(([channel, t]) => ({ key: 'explainChannel', values: [channel, t] })),
    ...Object.entries(rules.points).filter(([, p]) => p !== 0).sort(([, a], [, b]) => b - a)
      .map(([type, points]) => ({ key: points > 0 ? 'explainWeight' : 'explainWeightNegative', values: [type, Math.abs(points)] })),
    { key: 'explainHalfLife', values: [rules.halfLifeDays] },
    { key: 'explainWindow', values: [rules.callWindowMinutes] },
    { key: 'explainWindowWorking', values: [] },
  ];
  out.push(
    { key: 'explainLost', values: [rules.recentlyLostDays] },
    { key: 'explainRecentCall', values: [rules.recentCallHours] },
    { key: 'explainContactCap', values: [rules.contactCapCalls, rules.callLookbackDays] },
    { key: 'explainHours', values: [rules.businessHours.start, rules.businessHours.end] },
  );
  if (rules.businessHours.japaneseHolidays) out.push({ key: 'explainHolidays', values: [] });
  if (rules.businessHours.closedDates.length > 0) out.push({ key: 'explainClosed', values: [rules.businessHours.closedDates.join(', ')] });
  return out;
}
