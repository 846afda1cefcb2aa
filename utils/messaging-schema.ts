/**
 * Schemas of the messages to the background, one per request. The background parses every
 * message with these and checks who sent it: content scripts may only ask about records; the
 * extension's own pages (popup, options) may also manage the connection. Kept apart from
 * utils/messaging.ts so that content scripts do not bundle zod.
 */
import { z } from 'zod';
import { CALL_OUTCOMES, KnownCrm, LOSS_REASONS, RecycleRequest } from './api/contract';
import { PANEL_WIDTH } from './panel-width';

export const RecordRefMessage = z.object({
  // The content script only produces CRMs this build knows; anything else is forged.
  crm: KnownCrm,
  objectType: z.string().min(1).max(64),
  recordId: z.string().min(1).max(128),
  /** The tenant the page belongs to (utils/crm/tenant.ts): a record key is never without one. */
  host: z.string().min(1).max(253),
});

export const LookupKey = z.union([RecordRefMessage, z.object({ email: z.string().min(3).max(320) })]);
export type LookupKey = z.infer<typeof LookupKey>;

export const LookupRequest = z.object({ type: z.literal('lookup'), record: LookupKey });
export const LoadOlderRequest = z.object({ type: z.literal('loadOlder'), leadId: z.string().min(1).max(128) });
export const SyncNowRequest = z.object({ type: z.literal('syncNow') });
export const PanelContextRequest = z.object({ type: z.literal('panelContext'), leadId: z.string().min(1).max(128) });
const LeadIdField = z.string().min(1).max(128);
export const LogCallRequest = z.object({
  type: z.literal('logCall'),
  leadId: LeadIdField,
  outcome: z.enum(CALL_OUTCOMES),
  lossReason: z.enum(LOSS_REASONS).optional(),
  note: z.string().max(4000).optional(),
  /** The rep dialled from the panel at this time: the call's time (utils/policy/call-time.ts). */
  startedAt: z.iso.datetime().optional(),
});
/** Withdraw a call log still held in the outbox (the panel's "Undo"). */
export const UndoCallRequest = z.object({ type: z.literal('undoCall'), leadId: LeadIdField, key: z.string().min(1).max(128) });
export const RecycleLeadRequest = RecycleRequest.extend({ type: z.literal('recycle'), leadId: LeadIdField });
export const SetFollowRequest = z.object({ type: z.literal('setFollow'), leadId: LeadIdField, followed: z.boolean() });
export const SetMuteRequest = z.object({ type: z.literal('setMute'), leadId: LeadIdField, muted: z.boolean() });
export const StatusRequest = z.object({ type: z.literal('status') });
export const OpenOptionsRequest = z.object({ type: z.literal('openOptions') });
/** What the panel needs of the rep's settings before it draws: folded or not, which language. */
export const PanelPrefsRequest = z.object({ type: z.literal('panelPrefs') });
/** No built-in CRM knows the page: what do the custom rules say about it (`href`: where it is, or is going)? */
export const CustomPageRequest = z.object({ type: z.literal('customPage'), href: z.string().min(1).max(4096) });
export const PopupListsRequest = z.object({ type: z.literal('popupLists') });
export const SetCollapsedRequest = z.object({ type: z.literal('setCollapsed'), collapsed: z.boolean() });
/** Names for lead ids (the settings page lists followed and muted leads by name). Pages only. */
export const LeadNamesRequest = z.object({ type: z.literal('leadNames'), ids: z.array(LeadIdField).max(200) });
/** The panel's width on one CRM (key: the CRM id, `custom` or `email`), remembered for its next page. */
export const SetPanelWidthRequest = z.object({
  type: z.literal('setPanelWidth'),
  crm: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/),
  width: z.number().int().min(PANEL_WIDTH.min).max(PANEL_WIDTH.max),
});
export const TestConnectionRequest = z.object({
  type: z.literal('testConnection'),
  apiUrl: z.string().max(2048),
  /** Empty = test with the saved token. */
  token: z.string().max(4096),
});
export const SaveConnectionRequest = z.object({
  type: z.literal('saveConnection'),
  apiUrl: z.string().max(2048),
  /** Empty = keep the saved token. */
  token: z.string().max(4096),
});

export const BackgroundRequest = z.discriminatedUnion('type', [
  LookupRequest, LoadOlderRequest, StatusRequest, SyncNowRequest, OpenOptionsRequest, TestConnectionRequest, SaveConnectionRequest,
  LogCallRequest, UndoCallRequest, RecycleLeadRequest, SetFollowRequest, SetMuteRequest, PanelContextRequest, PanelPrefsRequest, SetCollapsedRequest, SetPanelWidthRequest, PopupListsRequest,
  LeadNamesRequest, CustomPageRequest,
]);
export type BackgroundRequest = z.infer<typeof BackgroundRequest>;

/** Requests a content script may send; everything else is for extension pages only. */
export const CONTENT_SCRIPT_REQUESTS: ReadonlySet<BackgroundRequest['type']> = new Set([
  'lookup', 'loadOlder', 'panelContext', 'openOptions', 'logCall', 'undoCall', 'recycle', 'setFollow', 'setMute', 'panelPrefs', 'setCollapsed', 'setPanelWidth', 'customPage',
]);

