/**
 * Typed messages to the background: `ask(transport, request)` returns the answer typed by the
 * request's `type`. Schemas live in utils/messaging-schema.ts (background side).
 */
import type { ActivityRequest, LeadDetail, LeadSummary, MeResponse, TimelineEvent } from './api/contract';
import type { ApiError } from './api/errors';
import type { OutboxKind, OutboxStatus, SyncStateRow } from './db/schema';
import type { BusinessCalendar } from './policy/business-hours';
import type { TeamPolicy } from './policy/cooldowns';
import type { TodoCounts, TodoRow } from './policy/todo';
import type { PanelDecisions } from './policy/decide';
import type { PanelEvent } from './policy/timeline';
import type { BackgroundRequest } from './messaging-schema';
import type { CustomPage } from './crm/custom';

/** A write waiting in (or just leaving) the outbox, as the panel shows it. */
export interface OutboxItemView {
  key: string;
  leadId: string;
  kind: OutboxKind;
  status: OutboxStatus;
  createdAt: number;
  call?: Pick<ActivityRequest, 'outcome' | 'lossReason' | 'note' | 'at'>;
  /** The timeline event the server stored, once sent. */
  event?: TimelineEvent;
  lastError?: string;
}

/** What the panel needs besides the lead: the team policy, who I am, my follow/mute, my writes. */
export interface PanelContext {
  policy: TeamPolicy;
  /** The team's hours with public holidays and closed days: the panel's countdown reads it. */
  calendar?: BusinessCalendar;
  userName?: string;
  callWindowMinutes: number;
  followed: boolean;
  muted: boolean;
  outbox: OutboxItemView[];
  /** Cooldowns (API + team policy), next action and call window, true until `nextChange`. */
  decisions?: PanelDecisions;
  /** The cached timeline with this user's calls in flight ("sending", "sent") merged in. */
  timeline?: PanelEvent[];
  /** The server refuses the saved token: the rep must sign in again (the data is as of the last sync). */
  signIn?: boolean;
}

/** The background's answer to a panel's lookup (not the API's LookupResponse): the cached lead
 *  and how fresh it is, or why there is none. */
export type LookupAnswer =
  /** `stale`: the cache could not be refreshed lately (offline, failing); show "as of". */
  | { status: 'found'; lead: LeadSummary; detail?: LeadDetail; asOf: string; stale: boolean; context?: PanelContext }
  | { status: 'not_found' }
  | { status: 'not_connected' }
  | { status: 'error'; message: string };

export interface ConnectionStatus {
  apiUrl: string;
  hasToken: boolean;
  user?: MeResponse['user'];
  lastError?: string;
  sync?: SyncStatusView;
}

/** What the popup shows of the sync: last success, next attempt, the problem in words. */
export type SyncStatusView = Pick<SyncStateRow, 'status' | 'lastSuccessAt' | 'lastError' | 'nextAttemptAt' | 'skippedTotal' | 'recentSkipped' | 'snapshotComplete'> & {
  running: boolean;
  /** The push stream is up: changes arrive within seconds, the poll is only a safety net. */
  live?: boolean;
  nextSyncAt?: number;
  leads: number;
};

/** Background → content script: a fresher answer for the lead a tab shows. */
export type LeadPush =
  | { type: 'leadlens:lead'; lead: LeadSummary; detail?: LeadDetail; asOf: string; stale: boolean; context?: PanelContext }
  | { type: 'leadlens:context'; leadId: string; context: PanelContext };

export function isLeadPush(message: unknown): message is LeadPush {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; lead?: { id?: unknown }; leadId?: unknown };
  return (m.type === 'leadlens:lead' && typeof m.lead?.id === 'string') || (m.type === 'leadlens:context' && typeof m.leadId === 'string');
}

export type WriteResponse = { ok: true; context: PanelContext } | { ok: false; message: string };
/** A call log was stored: `key` withdraws it (undoCall) until it is sent. */
export type LogCallResponse = { ok: true; context: PanelContext; key: string } | { ok: false; message: string };

/** `error`: the kind and its parameters, which the options page words (errorWords); `message`
 *  is the English sentence for logs. */
export type TestConnectionResponse =
  | { ok: true; me: MeResponse }
  | { ok: false; message: string; error: ApiError };

export type SaveConnectionResponse = { ok: true; status: ConnectionStatus } | { ok: false; message: string; error: ApiError };

export interface PanelPrefs {
  collapsed: boolean;
  language: 'auto' | 'ja' | 'en';
  /** The docked panel's width per CRM (utils/ui-state.ts panelWidthsItem); absent = the default. */
  widths?: Record<string, number>;
  /** The panel's stylesheet (the built content-scripts/crm.css), read once by the background:
   *  it comes with the settings the panel waits for anyway, sooner than a fetch of its own. */
  css?: string;
}

export interface ResponseMap {
  lookup: LookupAnswer;
  status: ConnectionStatus;
  openOptions: { ok: true };
  loadOlder: { ok: true; detail: LeadDetail; context: PanelContext } | { ok: false; message: string };
  panelContext: PanelContext;
  syncNow: SyncStatusView;
  logCall: LogCallResponse;
  undoCall: WriteResponse & { undone?: boolean };
  recycle: WriteResponse;
  setFollow: WriteResponse;
  setMute: WriteResponse;
  testConnection: TestConnectionResponse;
  saveConnection: SaveConnectionResponse;
  panelPrefs: PanelPrefs;
  setCollapsed: { ok: true };
  leadNames: LeadNames;
  setPanelWidth: { ok: true };
  popupLists: PopupLists;
  customPage: CustomPage;
}

/** The popup's lists, computed by the background from the cache (the popup opens no database). */
export interface PopupLists {
  /** Hot leads not yet reached in their window, most pressing first. */
  hot: TodoRow[];
  counts: TodoCounts;
  /** The team's time zone: the popup's times are the team's. */
  timeZone: string;
  stock: LeadSummary[];
  following: LeadSummary[];
  /** The two-hour rate in words. */
  rate: string;
  windowMinutes: number;
}

/** Background → extension pages: the cache changed; an open popup asks for its lists again. */
export const POPUP_CHANGED = 'leadlens:popup';
export function isPopupChanged(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === POPUP_CHANGED;
}

/** Name and company of the cached leads among the ids asked (an id not in the cache is absent). */
export type LeadNames = Record<string, { name: string; company?: string }>;

export type ErrorReply = { error: string };

export interface MessageTransport {
  sendMessage(message: unknown): Promise<unknown>;
}

/** Send a typed request; the background's answer is typed by the request's `type`. */
export async function ask<T extends BackgroundRequest>(
  transport: MessageTransport,
  request: T,
): Promise<ResponseMap[T['type']]> {
  const reply = (await transport.sendMessage(request)) as ResponseMap[T['type']] | ErrorReply | undefined;
  if (reply === undefined) throw new Error('LeadLens background did not answer');
  if (typeof reply === 'object' && reply !== null && 'error' in reply && typeof reply.error === 'string') {
    throw new Error(reply.error);
  }
  return reply as ResponseMap[T['type']];
}
