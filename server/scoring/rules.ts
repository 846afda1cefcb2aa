/**
 * Scoring rules as data: every number of the model, stored per team (versioned) and edited
 * through PUT /v1/admin/scoring. Plain JSON only (title patterns are strings, labels are
 * message keys), so a rule set round-trips through the database and the admin API unchanged.
 */
import { z } from 'zod';
import { BusinessHoursSchema } from '../../utils/policy/schema';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** How long after an unanswered call (no answer, busy, gatekeeper) to try again, when a set does not say. */
export const DEFAULT_RETRY_MINUTES = 30;

export const ScoringRules = z.object({
  hotThreshold: z.number().min(0).max(100),
  warmThreshold: z.number().min(0).max(100),
  /** Hot threshold per acquisition channel (the channel of the lead's first event that names one). */
  channelHotThresholds: z.record(z.string().min(1), z.number().min(0).max(100)),
  callWindowMinutes: z.number().int().positive().max(24 * 60),
  halfLifeDays: z.number().positive().max(365),
  /** Base points per behaviour type before decay; types not listed score 0. */
  points: z.record(z.string().min(1), z.number().min(-100).max(100)),
  videoHotPercent: z.number().min(0).max(100),
  videoWatchedHot: z.number().min(0).max(100),
  // Whole days and hours: the same bounds as the team policy the extension is served (GET /v1/policy).
  recentlyLostDays: z.number().int().min(0).max(365),
  recentlyLostPoints: z.number().min(-100).max(0),
  callLookbackDays: z.number().int().min(1).max(365),
  extraCallPoints: z.number().min(-100).max(0),
  recentCallHours: z.number().int().min(0).max(24 * 30),
  contactCapCalls: z.number().int().min(1).max(100),
  /** After no answer / busy / a gatekeeper, try again this many minutes later (sets stored before it existed take the default). */
  retryMinutes: z.number().int().min(5).max(24 * 60).default(DEFAULT_RETRY_MINUTES),
  /** Hours, days (0 = Sunday … 6 = Saturday) and zone checked as the extension checks them (utils/policy/schema.ts). */
  businessHours: BusinessHoursSchema.and(z.object({
    /** Japanese public holidays are closed days. */
    japaneseHolidays: z.boolean(),
    /** The company's own closed days (year-end, foundation day), local dates. */
    closedDates: z.array(isoDate).max(400),
  })),
  needLookbackDays: z.number().positive().max(365),
  sleepAfterDays: z.number().positive().max(3650),
  churnAfterLostDays: z.number().positive().max(3650),
  openDealDays: z.number().positive().max(3650),
  wakingWindowDays: z.number().positive().max(365),
  interestsTop: z.number().int().min(0).max(50),
  companySize: z.array(z.object({ min: z.number().int().nonnegative(), points: z.number().min(-100).max(100) })).max(20),
  titleFit: z.array(z.object({
    /** Case-insensitive regular expression over the job title. */
    pattern: z.string().min(1).max(500).refine((p) => {
      try {
        new RegExp(p, 'i');
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression'),
    points: z.number().min(-100).max(100),
    /** decision_maker | manager | any other word (shown as is). */
    label: z.string().min(1).max(60),
  })).max(20),
}).refine((r) => r.warmThreshold <= r.hotThreshold, { message: 'warmThreshold must not exceed hotThreshold', path: ['warmThreshold'] });
export type ScoringRules = z.infer<typeof ScoringRules>;

/** The defaults every team starts from. */
export const DEFAULT_RULES: ScoringRules = {
  hotThreshold: 70,
  warmThreshold: 40,
  channelHotThresholds: {},
  // Calls within two hours of the need signal convert several times better.
  callWindowMinutes: 120,
  halfLifeDays: 7,
  points: {
    email_open: 1,
    email_click: 3,
    web_visit: 2,
    key_page: 6,
    download: 8,
    seminar_registered: 10,
    seminar_attended: 25,
    // Below videoHotPercent; at or above it videoWatchedHot applies.
    video_watched: 5,
    form_submit: 30,
    survey_answered: 10,
    line_message: 3,
    sms: 2,
  },
  videoHotPercent: 80,
  videoWatchedHot: 20,
  recentlyLostDays: 14,
  recentlyLostPoints: -40,
  callLookbackDays: 30,
  extraCallPoints: -8,
  recentCallHours: 48,
  contactCapCalls: 3,
  retryMinutes: DEFAULT_RETRY_MINUTES,
  businessHours: { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo', japaneseHolidays: true, closedDates: [] },
  needLookbackDays: 30,
  sleepAfterDays: 60,
  churnAfterLostDays: 90,
  openDealDays: 90,
  wakingWindowDays: 7,
  interestsTop: 5,
  companySize: [
    { min: 1000, points: 10 },
    { min: 300, points: 7 },
    { min: 100, points: 4 },
  ],
  titleFit: [
    { pattern: '代表|社長|取締役|役員|本部長|部長|CEO|CTO|CIO|CMO|COO|\\bVP\\b|Vice President|Director|Head of', points: 10, label: 'decision_maker' },
    { pattern: '課長|マネージャー|マネジャー|リーダー|室長|Manager|\\bLead\\b', points: 5, label: 'manager' },
  ],
};

const padClock = (value: unknown): unknown => (typeof value === 'string' && /^\d:\d{2}$/.test(value) ? `0${value}` : value);
const wholeUp = (value: unknown): unknown => (typeof value === 'number' && Number.isFinite(value) ? Math.max(1, Math.ceil(value)) : value);

/**
 * A rule set as stored, read migration-safe: sets written before a field existed take its
 * default (retryMinutes); older, looser sets ('9:00', fractional days or hours) are brought to
 * today's checks (zero-padded clocks, whole units rounded up) rather than dropped for the
 * defaults. Undefined when even that does not parse (the caller falls back to the defaults).
 */
export function readStoredRules(raw: unknown): ScoringRules | undefined {
  const strict = ScoringRules.safeParse(raw);
  if (strict.success) return strict.data;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const old = raw as Record<string, unknown>;
  const hours = typeof old.businessHours === 'object' && old.businessHours !== null ? old.businessHours as Record<string, unknown> : {};
  const mended = {
    ...old,
    ...(typeof old.recentlyLostDays === 'number' && old.recentlyLostDays > 0 ? { recentlyLostDays: wholeUp(old.recentlyLostDays) } : {}),
    ...(typeof old.recentCallHours === 'number' && old.recentCallHours > 0 ? { recentCallHours: wholeUp(old.recentCallHours) } : {}),
    ...('callLookbackDays' in old ? { callLookbackDays: wholeUp(old.callLookbackDays) } : {}),
    businessHours: { ...hours, start: padClock(hours.start), end: padClock(hours.end) },
  };
  const parsed = ScoringRules.safeParse(mended);
  return parsed.success ? parsed.data : undefined;
}

/** The hot threshold that applies to a lead acquired through `channel`. */
export function hotThresholdFor(rules: ScoringRules, channel: string | undefined): number {
  return (channel !== undefined ? rules.channelHotThresholds[channel] : undefined) ?? rules.hotThreshold;
}
