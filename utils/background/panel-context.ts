/**
 * Everything the panel needs besides the lead, gathered by the background so the content
 * script stays small and never reads settings or IndexedDB itself.
 */
import type { ActivityRequest } from '../api/contract';
import { panelReads } from '../db/panel-reads';
import type { LeadLensDb, OutboxRow } from '../db/schema';
import type { OutboxItemView, PanelContext } from '../messaging';
import type { TeamPolicy } from '../policy/cooldowns';
import { teamCalendar } from '../policy/calendar';
import { panelDecisions } from '../policy/decide';
import { timelineWithOutbox } from '../policy/timeline';
import type { Preferences } from '../preferences/schema';
import { sentEvent } from '../sync/outbox';

/** Sent writes stay visible ("sent") this long, until the refreshed timeline carries them. */
const SHOW_SENT_MS = 10 * 60_000;

export function outboxView(row: OutboxRow): OutboxItemView {
  const call = row.kind === 'activity' ? (row.body as ActivityRequest) : undefined;
  return {
    key: row.key,
    leadId: row.leadId,
    kind: row.kind,
    status: row.status,
    createdAt: row.createdAt,
    call: call && { outcome: call.outcome, lossReason: call.lossReason, note: call.note, at: call.at },
    event: sentEvent(row),
    lastError: row.lastError,
  };
}

export interface PanelContextDeps {
  db: LeadLensDb;
  preferences(): Promise<Preferences>;
  teamPolicy(): Promise<TeamPolicy>;
  userName(): Promise<string | undefined>;
  now(): number;
}

export async function panelContext(deps: PanelContextDeps, leadId: string): Promise<PanelContext> {
  // The lead's record comes from the copy kept for the panels (one transaction when not kept).
  const [prefs, teamPolicy, userName, record] = await Promise.all([deps.preferences(), deps.teamPolicy(), deps.userName(), panelReads(deps.db).byId(leadId)]);
  const { state, outbox: rows, row: lead, detail: cached } = record;
  const now = deps.now();
  // The API's window length wins over the team's fallback (DESIGN: "Window length from the API's settings").
  const policy = { ...teamPolicy, callWindowMinutes: state?.callWindowMinutes ?? teamPolicy.callWindowMinutes };
  const outbox = rows.filter((row) => row.status !== 'sent' || now - (row.sentAt ?? 0) < SHOW_SENT_MS).map(outboxView);
  // A call just logged already counts for "called recently", before the server has it.
  const timeline = cached ? timelineWithOutbox(cached.detail.timeline, outbox, userName) : undefined;
  const summary = cached ? { ...cached.detail, ...lead?.summary } : lead?.summary;
  const calendar = teamCalendar(policy, now);
  return {
    policy,
    calendar,
    userName,
    callWindowMinutes: policy.callWindowMinutes,
    followed: prefs.followed.includes(leadId),
    muted: prefs.muted.includes(leadId),
    outbox,
    ...(summary ? { decisions: panelDecisions(summary, cached && timeline ? { ...cached.detail, timeline } : undefined, policy, now, userName, calendar) } : {}),
    ...(timeline ? { timeline } : {}),
    ...(state?.status === 'signin' ? { signIn: true } : {}),
  };
}

/**
 * The timeline travels to the panel once. The context carries it with this user's calls in
 * flight merged in, and the panel reads it from there (panel-controller.ts foundState); the
 * detail then goes without its copy. A context without one leaves the detail's in place.
 */
export function timelineOnce<T extends { timeline: readonly unknown[] }>(detail: T | undefined, context: Pick<PanelContext, 'timeline'> | undefined): T | undefined {
  return detail && context?.timeline ? { ...detail, timeline: [] } : detail;
}
