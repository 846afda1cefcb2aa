/**
 * What the toolbar badge says: the number of hot leads callable now, red while one of them has
 * under 30 minutes left in its call window, "!" when sync fails or sign-in is needed, empty at 0.
 * Pure; the background reads the counts from the cache and applies the result.
 */
import type { SyncStateRow } from '../db/schema';

export const BADGE_COLORS = { normal: '#0969da', urgent: '#d1242f', problem: '#9a6700' } as const;

export interface BadgeView {
  text: string;
  color: string;
  /** Tooltip of the toolbar button. */
  title: string;
}

export interface BadgeTexts {
  name: string;
  count(n: number): string;
  urgent(n: number): string;
  signIn: string;
  failing(message: string): string;
}

export function badgeView(input: { count: number; urgent: number; state?: Pick<SyncStateRow, 'status' | 'lastError'> }, texts: BadgeTexts): BadgeView {
  const { count, urgent, state } = input;
  if (state?.status === 'signin') return { text: '!', color: BADGE_COLORS.problem, title: `${texts.name} — ${texts.signIn}` };
  if ((state?.status === 'stale' || state?.status === 'backoff') && state.lastError) {
    return { text: '!', color: BADGE_COLORS.problem, title: `${texts.name} — ${texts.failing(state.lastError.message)}` };
  }
  if (count === 0) return { text: '', color: BADGE_COLORS.normal, title: texts.name };
  const text = count > 999 ? '999+' : String(count);
  const title = `${texts.name} — ${texts.count(count)}${urgent ? ` · ${texts.urgent(urgent)}` : ''}`;
  return { text, color: urgent ? BADGE_COLORS.urgent : BADGE_COLORS.normal, title };
}
