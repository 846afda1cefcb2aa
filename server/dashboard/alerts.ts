/**
 * Alert mail decisions: a hot lead still uncalled `afterMinutes` after its need, with the window
 * still open and the team at work, gets one mail per need (to the team's alert address, the owner
 * in copy when asked). Outside working time nothing is sent; the need is mailed once work resumes
 * if it is still waiting. The daily digest lists the windows missed since the last digest.
 */
import { z } from 'zod';
import { needKey, type CallRow, type NeedRow } from './activity';
import { isWorkingAt, isWorkingDate, localDate, minutesToCall, type WindowRule } from './calendar';
import { zonedParts, zonedTimeToMs, parseClock } from '../../utils/policy/business-hours';
import { needOutcomes, type NeedOutcome } from './response';

export const AlertSettingsSchema = z.object({
  /** Mail immediately (one mail per need). */
  instant: z.boolean(),
  afterMinutes: z.number().int().min(1).max(24 * 60),
  /** The address the team always watches; empty = owners only (when ccOwner). */
  address: z.union([z.email(), z.literal('')]),
  ccOwner: z.boolean(),
  digest: z.boolean(),
  /** Local time of the daily digest, 'HH:MM'. */
  digestAt: z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/),
  /** Language of the mails. */
  locale: z.enum(['ja', 'en']),
});
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  instant: true, afterMinutes: 30, address: '', ccOwner: false, digest: false, digestAt: '08:30', locale: 'ja',
};

export interface AlertMail {
  /** One mail per need, ever: the sender claims this key before sending. */
  key: string;
  to: string[];
  cc: string[];
  need: NeedRow;
  windowEndsAt: number;
  timeLeftMs: number;
}

export interface AlertInput {
  /** The current need of each lead that is hot now. */
  hotNeeds: readonly NeedRow[];
  calls: readonly CallRow[];
  rule: WindowRule;
  settings: AlertSettings;
  /** Keys of needs already mailed. */
  alreadySent: ReadonlySet<string>;
  ownerEmail: (ownerId: string) => string | undefined;
  now: number;
}

function recipients(need: NeedRow, settings: AlertSettings, ownerEmail: (id: string) => string | undefined): { to: string[]; cc: string[] } {
  const owner = settings.ccOwner && need.ownerId !== undefined ? ownerEmail(need.ownerId) : undefined;
  if (settings.address !== '') return { to: [settings.address], cc: owner !== undefined && owner !== settings.address ? [owner] : [] };
  return { to: owner !== undefined ? [owner] : [], cc: [] };
}

export function decideAlerts(input: AlertInput): AlertMail[] {
  const { rule, settings, now } = input;
  if (!settings.instant || !isWorkingAt(now, rule.calendar)) return [];
  return needOutcomes(input.hotNeeds, input.calls, rule, now)
    .filter((o) => o.status === 'waiting')
    .filter((o) => minutesToCall(o.needMs, now, rule) >= settings.afterMinutes)
    .filter((o) => !input.alreadySent.has(needKey(o.need)))
    .flatMap((o) => {
      const { to, cc } = recipients(o.need, settings, input.ownerEmail);
      return to.length === 0 ? [] : [{ key: needKey(o.need), to, cc, need: o.need, windowEndsAt: o.windowEndsAt, timeLeftMs: o.windowEndsAt - now }];
    });
}

/** The local date of today's digest when it is due now and not sent yet; undefined otherwise. */
export function digestDue(now: number, lastDigestDate: string | undefined, settings: AlertSettings, rule: WindowRule): string | undefined {
  if (!settings.digest || settings.address === '') return undefined;
  const zone = rule.calendar.timeZone;
  const p = zonedParts(now, zone);
  const today = localDate(p.year, p.month, p.day);
  if (today === lastDigestDate || !isWorkingDate(today, p.weekday, rule.calendar)) return undefined;
  const at = zonedTimeToMs(p.year, p.month, p.day, parseClock(settings.digestAt) ?? 8 * 60 + 30, zone);
  return now >= at ? today : undefined;
}

/** What a digest lists: windows that closed without a call since `sinceMs`, oldest first. */
export function digestContent(outcomes: readonly NeedOutcome[], sinceMs: number, now: number): NeedOutcome[] {
  return outcomes
    .filter((o) => (o.status === 'missed' || o.status === 'late') && o.windowEndsAt >= sinceMs && o.windowEndsAt < now)
    .sort((a, b) => a.windowEndsAt - b.windowEndsAt);
}
