/**
 * Everything the panel needs besides the lead, gathered by the background so the content
 * script stays small and never reads settings or IndexedDB itself.
 */
import type { ActivityRequest } from '../api/contract';
import type { LeadLensDb, OutboxRow } from '../db/schema';
import type { OutboxItemView, PanelContext } from '../messaging';
import type { TeamPolicy } from '../policy/cooldowns';
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
  const [prefs, policy, userName, state, rows] = await Promise.all([
    deps.preferences(), deps.teamPolicy(), deps.userName(), deps.db.syncState.get('main'),
    deps.db.outbox.where('leadId').equals(leadId).sortBy('createdAt'),
  ]);
  const now = deps.now();
  return {
    policy,
    userName,
    // The API's window length wins over the team's fallback (DESIGN: "Window length from the API's settings").
    callWindowMinutes: state?.callWindowMinutes ?? policy.callWindowMinutes,
    followed: prefs.followed.includes(leadId),
    muted: prefs.muted.includes(leadId),
    outbox: rows.filter((row) => row.status !== 'sent' || now - (row.sentAt ?? 0) < SHOW_SENT_MS).map(outboxView),
  };
}
