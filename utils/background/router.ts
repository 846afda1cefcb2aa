/**
 * The background's message router: schema-check, sender-check, then answer. Dependencies are
 * injected so the decisions are unit-tested without a browser.
 */
import { normaliseBaseUrl, ScoringApiClient } from '../api/client';
import type { ApiResult } from '../api/errors';
import type { MeResponse } from '../api/contract';
import type {
  ConnectionStatus, ErrorReply, LeadNames, LogCallResponse, PanelContext, PanelPrefs, ResponseMap, SaveConnectionResponse, SyncStatusView, TestConnectionResponse, WriteResponse,
} from '../messaging';
import { BackgroundRequest, CONTENT_SCRIPT_REQUESTS } from '../messaging-schema';

type Request<T extends BackgroundRequest['type']> = Extract<BackgroundRequest, { type: T }>;

/** The writes a panel or page may ask for; each answers with the lead's fresh panel context. */
export interface WriteHandlers {
  logCall(request: Request<'logCall'>, tabId: number | undefined): Promise<LogCallResponse>;
  undoCall(request: Request<'undoCall'>): Promise<ResponseMap['undoCall']>;
  recycle(request: Request<'recycle'>, tabId: number | undefined): Promise<WriteResponse>;
  setFollow(request: Request<'setFollow'>): Promise<WriteResponse>;
  setMute(request: Request<'setMute'>): Promise<WriteResponse>;
}
import type { Connection } from '../settings';
import type { LeadService } from './leads';
import type { SenderKind } from './sender';

export interface RouterDeps {
  loadConnection(): Promise<Connection | null>;
  saveConnection(connection: Connection): Promise<void>;
  loadStatus(): Promise<Pick<ConnectionStatus, 'user' | 'lastError'>>;
  saveStatus(status: Pick<ConnectionStatus, 'user' | 'lastError'>): Promise<void>;
  openOptionsPage(): Promise<void>;
  createClient(connection: Connection): Pick<ScoringApiClient, 'me'>;
  leads: Pick<LeadService, 'lookup' | 'loadOlder'>;
  panelContext(leadId: string): Promise<PanelContext>;
  syncNow(): Promise<SyncStatusView>;
  syncStatus(): Promise<SyncStatusView | undefined>;
  /** A new connection was saved: sync with it. */
  connectionChanged(): void;
  panelPrefs(): Promise<PanelPrefs>;
  /** Is this page one where a custom rule reads the lead's email off the page? */
  emailLookupAllowed(url: string): Promise<boolean>;
  setCollapsed(collapsed: boolean): Promise<void>;
  leadNames(ids: readonly string[]): Promise<LeadNames>;
  setPanelWidth(crm: string, width: number): Promise<void>;
  writes: WriteHandlers;
  popupLists(): Promise<ResponseMap['popupLists']>;
  /** The custom rules' verdict on `href`, asked from the page at `pageUrl` (utils/crm/custom.ts customPage). */
  customPage(href: string, pageUrl: string | undefined): Promise<ResponseMap['customPage']>;
}

export interface Sender {
  kind: SenderKind | undefined;
  tabId?: number;
  frameId?: number;
  /** The sending document's URL (content scripts: the CRM page). */
  url?: string;
}

/** Requests about one lead: from a content script, only about the lead its own page resolved to. */
const LEAD_REQUESTS: ReadonlySet<BackgroundRequest['type']> = new Set(['loadOlder', 'panelContext', 'logCall', 'recycle', 'setFollow', 'setMute']);

export function createRouter(deps: RouterDeps) {
  /**
   * The lead each content script's page resolved to, by tab and frame, set by the background's own
   * lookup answer. A script that asks about another lead (a compromised page's doing, or a stale
   * panel) is refused. `lookupSeq` keeps a slow answer for the previous record from winning.
   */
  const shownLead = new Map<string, string>();
  const lookupSeq = new Map<string, number>();
  let seq = 0;
  const frameKey = (sender: Sender) => `${sender.tabId ?? -1}:${sender.frameId ?? 0}`;

  async function lookupFor(request: Request<'lookup'>, sender: Sender): Promise<ResponseMap['lookup']> {
    const key = frameKey(sender);
    const mine = ++seq;
    lookupSeq.set(key, mine);
    shownLead.delete(key);
    // Measured in the worker so a profile splits the panel's round trip: the answer vs. the messaging.
    const started = performance.now();
    const answer = await deps.leads.lookup(request.record, sender.tabId);
    performance.measure('leadlens:lookup-answer', { start: started, end: performance.now() });
    if (lookupSeq.get(key) === mine && answer.status === 'found') shownLead.set(key, answer.lead.id);
    return answer;
  }

  /** Why a content script's request is refused, or undefined when it may go on. */
  async function contentRefusal(request: BackgroundRequest, sender: Sender): Promise<string | undefined> {
    if (!CONTENT_SCRIPT_REQUESTS.has(request.type)) return `Refused: ${request.type} is not allowed from a web page`;
    if (LEAD_REQUESTS.has(request.type) && 'leadId' in request && shownLead.get(frameKey(sender)) !== request.leadId) {
      return `Refused: ${request.type} is only for the lead this page shows`;
    }
    if (request.type === 'lookup' && 'email' in request.record && !(sender.url && await deps.emailLookupAllowed(sender.url))) {
      return 'Refused: no custom rule reads an email on this page';
    }
    return undefined;
  }

  /** The tab closed: what it showed is forgotten. */
  function forgetTab(tabId: number): void {
    for (const key of [...shownLead.keys(), ...lookupSeq.keys()]) {
      if (key.startsWith(`${tabId}:`)) {
        shownLead.delete(key);
        lookupSeq.delete(key);
      }
    }
  }

  async function status(): Promise<ConnectionStatus> {
    const [connection, saved, sync] = await Promise.all([deps.loadConnection(), deps.loadStatus(), deps.syncStatus()]);
    return { apiUrl: connection?.apiUrl ?? '', hasToken: Boolean(connection?.token), ...saved, ...(sync ? { sync } : {}) };
  }

  async function resolveConnection(apiUrl: string, token: string): Promise<ApiResult<Connection>> {
    const url = normaliseBaseUrl(apiUrl);
    if (!url.ok) return url;
    const finalToken = token.trim() || (await deps.loadConnection())?.token || '';
    if (!finalToken) return { ok: false, error: { kind: 'config', reason: 'no_token', message: 'Enter the API token.' } };
    return { ok: true, value: { apiUrl: url.value, token: finalToken } };
  }

  async function testConnection(apiUrl: string, token: string): Promise<TestConnectionResponse> {
    const connection = await resolveConnection(apiUrl, token);
    if (!connection.ok) return { ok: false, message: connection.error.message, error: connection.error };
    const me: ApiResult<MeResponse> = await deps.createClient(connection.value).me();
    return me.ok ? { ok: true, me: me.value } : { ok: false, message: me.error.message, error: me.error };
  }

  /** Saved only once the server accepts it: a mistyped or revoked token never replaces a working one. */
  async function saveConnection(apiUrl: string, token: string): Promise<SaveConnectionResponse> {
    const connection = await resolveConnection(apiUrl, token);
    if (!connection.ok) return { ok: false, message: connection.error.message, error: connection.error };
    const me = await deps.createClient(connection.value).me();
    if (!me.ok) return { ok: false, message: me.error.message, error: me.error };
    await deps.saveConnection(connection.value);
    await deps.saveStatus({ user: me.value.user });
    deps.connectionChanged();
    return { ok: true, status: await status() };
  }

  async function answer(request: BackgroundRequest, sender: Sender): Promise<ResponseMap[BackgroundRequest['type']]> {
    const tabId = sender.kind === 'content' ? sender.tabId : undefined;
    switch (request.type) {
      case 'lookup':
        return sender.kind === 'content' ? lookupFor(request, sender) : deps.leads.lookup(request.record, undefined);
      case 'loadOlder':
        return deps.leads.loadOlder(request.leadId);
      case 'panelContext':
        return deps.panelContext(request.leadId);
      case 'syncNow':
        return deps.syncNow();
      case 'status':
        return status();
      case 'openOptions':
        await deps.openOptionsPage();
        return { ok: true };
      case 'testConnection':
        return testConnection(request.apiUrl, request.token);
      case 'saveConnection':
        return saveConnection(request.apiUrl, request.token);
      case 'logCall':
        return deps.writes.logCall(request, tabId);
      case 'undoCall':
        return deps.writes.undoCall(request);
      case 'recycle':
        return deps.writes.recycle(request, tabId);
      case 'setFollow':
        return deps.writes.setFollow(request);
      case 'setMute':
        return deps.writes.setMute(request);
      case 'panelPrefs':
        return deps.panelPrefs();
      case 'setCollapsed':
        await deps.setCollapsed(request.collapsed);
        return { ok: true };
      case 'leadNames':
        return deps.leadNames(request.ids);
      case 'setPanelWidth':
        await deps.setPanelWidth(request.crm, request.width);
        return { ok: true };
      case 'popupLists':
        return deps.popupLists();
      case 'customPage':
        return deps.customPage(request.href, sender.url);
    }
  }

  /** Never rejects: a refusal is an `{ error }` reply the sender can show. */
  async function handle(message: unknown, sender: Sender): Promise<unknown> {
    if (!sender.kind) return { error: 'Refused: unknown sender' } satisfies ErrorReply;
    const parsed = BackgroundRequest.safeParse(message);
    if (!parsed.success) return { error: 'Refused: malformed message' } satisfies ErrorReply;
    try {
      const refusal = sender.kind === 'content' ? await contentRefusal(parsed.data, sender) : undefined;
      if (refusal) return { error: refusal } satisfies ErrorReply;
      return await answer(parsed.data, sender);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) } satisfies ErrorReply;
    }
  }

  return { handle, forgetTab };
}
