/**
 * What the toolbar badge says: the number of hot leads callable now, red while one of them has
 * under 30 minutes left in its call window, empty at 0. "!" when sign-in is needed, or when
 * sync has been failing so long that the count is no longer worth calling on; a shorter outage
 * keeps the cached count (amber unless urgent) with the problem and its "as of" in the tooltip.
 * Pure; the background reads the counts from the cache and applies the result.
 */
import type { SyncError, SyncStateRow } from '../db/schema';

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
  /** "Sync is failing: …", worded by the UI from the error's kind and parameters. */
  failing(error: SyncError): string;
  asOf(time: number): string;
}

/** Past this age a failing sync's count is not shown: leads may have cooled or been called. */
export const STALE_COUNT_LIMIT_MS = 30 * 60_000;

export function badgeView(
  input: { count: number; urgent: number; now: number; state?: Pick<SyncStateRow, 'status' | 'lastError' | 'lastSuccessAt'> },
  texts: BadgeTexts,
): BadgeView {
  const { count, urgent, now, state } = input;
  if (state?.status === 'signin') return { text: '!', color: BADGE_COLORS.problem, title: `${texts.name} — ${texts.signIn}` };
  const failing = (state?.status === 'stale' || state?.status === 'backoff') && state.lastError ? state.lastError : undefined;
  if (failing !== undefined && (!state?.lastSuccessAt || now - state.lastSuccessAt > STALE_COUNT_LIMIT_MS)) {
    return { text: '!', color: BADGE_COLORS.problem, title: `${texts.name} — ${texts.failing(failing)}` };
  }
  const problem = failing !== undefined && state?.lastSuccessAt ? ` · ${texts.asOf(state.lastSuccessAt)} · ${texts.failing(failing)}` : '';
  if (count === 0) return { text: '', color: BADGE_COLORS.normal, title: `${texts.name}${problem}` };
  const text = count > 999 ? '999+' : String(count);
  const title = `${texts.name} — ${texts.count(count)}${urgent ? ` · ${texts.urgent(urgent)}` : ''}${problem}`;
  const color = urgent ? BADGE_COLORS.urgent : problem ? BADGE_COLORS.problem : BADGE_COLORS.normal;
  return { text, color, title };
}
