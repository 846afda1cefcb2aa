/**
 * The popup's lists, read from the cache by the background (the only opener of IndexedDB): the
 * hot leads to call now by the badge's own rules, the warm stock, the followed leads and the
 * two-hour rate. The popup asks for them (getPopupLists) and asks again when the background says
 * the cache changed ('leadlens:popup') or its clock ticks.
 */
import Dexie from 'dexie';
import { todoInputs } from '../db/queries';
import type { LeadLensDb, OutboxRow } from '../db/schema';
import { t } from '../i18n';
import type { PopupLists } from '../messaging';
import { twoHourRate, twoHourRateText } from '../notify/rate';
import { renderText } from '../notify/text';
import { teamCalendar } from '../policy/calendar';
import type { TeamPolicy } from '../policy/team-policy';
import { todoCounts, todoRows } from '../policy/todo';
import { stockOf } from '../popup/lists';
import type { Preferences } from '../preferences/schema';

export interface PopupListsDeps {
  db: LeadLensDb;
  preferences(): Promise<Preferences>;
  teamPolicy(): Promise<TeamPolicy>;
  now(): number;
}

export async function popupLists(deps: PopupListsDeps): Promise<PopupLists> {
  const { db } = deps;
  const now = deps.now();
  const [state, prefs, policy] = await Promise.all([db.syncState.get('main'), deps.preferences(), deps.teamPolicy()]);
  const windowMinutes = state?.callWindowMinutes ?? policy.callWindowMinutes;
  const weekAgo = now - 7 * 86_400_000;
  const [todo, warmRows, followedRows, recentNeeds, calls] = await Promise.all([
    todoInputs(db, now),
    db.leads.where('[mine+band+cooldownAt]').between([0, 'warm', Dexie.minKey], [0, 'warm', now], true, true).limit(500).toArray(),
    db.leads.bulkGet(prefs.followed),
    Promise.all((['hot', 'warm', 'cold'] as const).map((band) =>
      db.leads.where('[mine+band+needAt]').between([1, band, weekAgo], [1, band, now], true, true).toArray())),
    db.outbox.where('status').anyOf('pending', 'sent').filter((row: OutboxRow) => row.kind === 'activity').toArray(),
  ]);
  const calendar = teamCalendar(policy, now);
  const rate = twoHourRate({
    hotLeads: recentNeeds.flat().map((row) => ({ leadId: row.id, needDetectedAt: row.summary.needDetectedAt ?? '' })),
    calls: calls.map((row) => ({ leadId: row.leadId, at: (row.body as { at: string }).at })),
    windowMinutes, now: new Date(now), weekStartsOn: 1, timeZone: prefs.notifications.timeZone, calendar,
  });
  // The badge's rules exactly (utils/policy/todo.ts): the two never disagree.
  const hot = todoRows(todo, { callWindowMinutes: windowMinutes, retryMinutes: policy.retryMinutes }, calendar, now);
  return {
    hot,
    counts: todoCounts(hot, calendar, now),
    timeZone: calendar.timeZone,
    stock: stockOf(warmRows.map((row) => row.summary)),
    following: followedRows.flatMap((row) => (row ? [row.summary] : [])),
    rate: renderText(twoHourRateText(rate, windowMinutes), (key, params) => t(key, params)),
    windowMinutes,
  };
}
