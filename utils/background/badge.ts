/**
 * The toolbar badge, kept current: the count of hot leads callable now (the popup's to-do rules:
 * not reached since the need, in business hours only), red while one of them is urgent, the sync
 * problem in the tooltip; and an alarm for the next moment time alone changes the answer (a block
 * ends, a window or retry turns, the team opens or closes). The decisions are the pure functions
 * of utils/policy/todo.ts and utils/sync/badge.ts; this module applies them to the inputs kept in
 * memory by ./badge-inputs.ts, which reads only what changed in the cache since the last recount.
 */
import type { LeadLensDb } from '../db/schema';
import { errorWords, t, uiLanguage } from '../i18n';
import { teamCalendar } from '../policy/calendar';
import type { TeamPolicy } from '../policy/team-policy';
import { badgeView, type BadgeView } from '../sync/badge';
import { badgeInputs } from './badge-inputs';

export const BADGE_ALARM = 'leadlens-badge';
/** The call window when neither the server nor the team policy names one. */
const DEFAULT_WINDOW_MINUTES = 120;

/** What the badge needs of the browser: the toolbar action and one alarm. */
export interface BadgeBrowser {
  action: {
    setBadgeText(details: { text: string }): Promise<void>;
    setBadgeBackgroundColor(details: { color: string }): Promise<void>;
    setTitle(details: { title: string }): Promise<void>;
  };
  alarms: {
    create(name: string, info: { when: number }): Promise<void> | void;
    clear(name: string): Promise<boolean>;
  };
}

export interface BadgeDeps {
  browser: BadgeBrowser;
  db: LeadLensDb;
  teamPolicy(): Promise<TeamPolicy>;
  now(): number;
}

/** Recomputes and shows the badge; returns what it showed and when it will look again (undefined: no alarm). */
export async function updateBadge(deps: BadgeDeps): Promise<{ view: BadgeView; nextAt: number | undefined }> {
  const { browser, db } = deps;
  const at = deps.now();
  const kept = badgeInputs(db);
  const [policy] = await Promise.all([deps.teamPolicy(), kept.refresh()]);
  const state = kept.syncState();
  const windowPolicy = { callWindowMinutes: state?.callWindowMinutes ?? policy.callWindowMinutes ?? DEFAULT_WINDOW_MINUTES, retryMinutes: policy.retryMinutes };
  const calendar = teamCalendar(policy, at);
  const { count, urgent, nextChange } = kept.counts(at, windowPolicy, calendar, JSON.stringify([windowPolicy, policy]));
  const blockEnd = kept.nextBoundary(at, windowPolicy.callWindowMinutes * 60_000);
  const boundary = Math.min(nextChange ?? Infinity, blockEnd ?? Infinity);
  const view = badgeView({ count, urgent, now: at, state }, {
    name: t('extName'),
    count: (n) => t('badgeCount', String(n)),
    urgent: (n) => t('badgeUrgent', String(n)),
    signIn: t('badgeSignIn'),
    failing: (error) => t('badgeFailing', errorWords(error)),
    asOf: (time) => t('panelAsOf', new Date(time).toLocaleTimeString(uiLanguage(), { hour: '2-digit', minute: '2-digit' })),
  });
  await Promise.all([
    browser.action.setBadgeText({ text: view.text }),
    browser.action.setBadgeBackgroundColor({ color: view.color }),
    browser.action.setTitle({ title: view.title }),
  ]);
  // A second after the boundary, so the recount sees the change.
  const nextAt = boundary === Infinity ? undefined : boundary + 1000;
  if (nextAt !== undefined) await browser.alarms.create(BADGE_ALARM, { when: nextAt });
  else await browser.alarms.clear(BADGE_ALARM);
  return { view, nextAt };
}
