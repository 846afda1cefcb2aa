/**
 * The team's rules for when (not) to call, as edited on the options page (validated by
 * ./schema.ts, which keeps zod out of the content script). Recently lost leads flagged
 * again days later lead to complaints; calls inside the 2-hour window convert best.
 */
import type { BusinessHours } from './business-hours';
import { DEFAULT_CALL_WINDOW_MINUTES } from './call-window';

export interface TeamPolicy {
  /** A loss blocks calls for this many days. */
  lostCooldownDays: number;
  /** After a call, warn for this many hours. */
  recentCallHours: number;
  /** Warn once this many calls were made within contactCapDays. */
  contactCapCalls: number;
  contactCapDays: number;
  businessHours: BusinessHours;
  /** Length of the call window after a need signal, in business minutes. */
  callWindowMinutes: number;
  /** After no answer / busy / a gatekeeper, try again this many minutes later (within the window). */
  retryMinutes: number;
  /** Japanese public holidays are closed days. */
  japaneseHolidays: boolean;
  /** The company's own closed days, 'YYYY-MM-DD' (year-end, summer break, founding day). */
  closedDates: string[];
}

export const DEFAULT_TEAM_POLICY: TeamPolicy = {
  lostCooldownDays: 14,
  recentCallHours: 48,
  contactCapCalls: 3,
  contactCapDays: 30,
  businessHours: { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo' },
  callWindowMinutes: DEFAULT_CALL_WINDOW_MINUTES,
  retryMinutes: 30,
  japaneseHolidays: true,
  closedDates: [],
};
