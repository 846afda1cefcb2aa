/**
 * zod schema of the team policy, for the options page. Kept apart from the policy functions so
 * the content script (panel) never pulls zod into its bundle: import this file from options
 * and background code only.
 */
import { z } from 'zod';
import type { BusinessHours } from './business-hours';
import { DEFAULT_TEAM_POLICY, type TeamPolicy } from './team-policy';

const clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, 24-hour');
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const BusinessHoursSchema = z
  .object({
    start: clock,
    end: clock,
    /** 0 = Sunday … 6 = Saturday. */
    days: z.array(z.number().int().min(0).max(6)).min(1).refine((d) => new Set(d).size === d.length, 'each day once'),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone, e.g. Asia/Tokyo'),
  })
  .refine((h) => minutesOf(h.start) < minutesOf(h.end), { message: 'opening must be before closing', path: ['end'] });

export const TeamPolicySchema = z.object({
  lostCooldownDays: z.number().int().min(0).max(365),
  recentCallHours: z.number().int().min(0).max(24 * 30),
  contactCapCalls: z.number().int().min(1).max(100),
  contactCapDays: z.number().int().min(1).max(365),
  businessHours: BusinessHoursSchema,
  callWindowMinutes: z.number().int().min(1).max(24 * 60),
  retryMinutes: z.number().int().min(5).max(24 * 60),
  japaneseHolidays: z.boolean(),
  closedDates: z.array(z.iso.date()).max(366),
});

/** A stored policy, or the default when it is missing or no longer valid. */
export function parseTeamPolicy(value: unknown): TeamPolicy {
  // A policy stored before a field existed keeps its values; the new field takes its default.
  const filled = value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...DEFAULT_TEAM_POLICY, ...value } : value;
  const parsed = TeamPolicySchema.safeParse(filled);
  return parsed.success ? parsed.data : DEFAULT_TEAM_POLICY;
}

// The schema and the interfaces in cooldowns.ts / business-hours.ts describe the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameShape: [Same<z.infer<typeof TeamPolicySchema>, TeamPolicy>, Same<z.infer<typeof BusinessHoursSchema>, BusinessHours>] = [true, true];
