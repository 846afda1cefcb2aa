/**
 * The background's message router: schema-check, sender-check, then answer. Dependencies are
 * injected so the decisions are unit-tested without a browser.
 */
import { normaliseBaseUrl, ScoringApiClient } from '../api/client';
import type { ApiResult } from '../api/errors';
import type { MeResponse } from '../api/contract';
import type {
  ConnectionStatus, ErrorReply, LogCallResponse, PanelContext, ResponseMap, SaveConnectionResponse, SyncStatusView, TestConnectionResponse, WriteResponse,
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
  writes: WriteHandlers;
}

export interface Sender {
  kind: SenderKind | undefined;
  tabId?: number;
}

export function createRouter(deps: RouterDeps) {
  async function status(): Promise<ConnectionStatus> {
    const [connection, saved, sync] = await Promise.all([deps.loadConnection(), deps.loadStatus(), deps.syncStatus()]);
    return { apiUrl: connection?.apiUrl ?? '', hasToken: Boolean(connection?.token), ...saved, ...(sync ? { sync } : {}) };
  }

  async function resolveConnection(apiUrl: string, token: string): Promise<ApiResult<Connection>> {
    const url = normaliseBaseUrl(apiUrl);
    if (!url.ok) return url;
    const finalToken = token.trim() || (await deps.loadConnection())?.token || '';
    if (!finalToken) return { ok: false, error: { kind: 'config', message: 'Enter the API token.' } };
    return { ok: true, value: { apiUrl: url.value, token: finalToken } };
  }

  async function testConnection(apiUrl: string, token: string): Promise<TestConnectionResponse> {
    const connection = await resolveConnection(apiUrl, token);
    if (!connection.ok) return { ok: false, message: connection.error.message };
    const me: ApiResult<MeResponse> = await deps.createClient(connection.value).me();
    return me.ok ? { ok: true, me: me.value } : { ok: false, message: me.error.message };
  }

  async function saveConnection(apiUrl: string, token: string): Promise<SaveConnectionResponse> {
    const connection = await resolveConnection(apiUrl, token);
    if (!connection.ok) return { ok: false, message: connection.error.message };
    await deps.saveConnection(connection.value);
    const me = await deps.createClient(connection.value).me();
    await deps.saveStatus(me.ok ? { user: me.value.user } : { lastError: me.error.message });
    deps.connectionChanged();
    return { ok: true, status: await status() };
  }

  async function answer(request: BackgroundRequest, tabId: number | undefined): Promise<ResponseMap[BackgroundRequest['type']]> {
    switch (request.type) {
      case 'lookup':
        return deps.leads.lookup(request.record, tabId);
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
    }
  }

  /** Never rejects: a refusal is an `{ error }` reply the sender can show. */
  async function handle(message: unknown, sender: Sender): Promise<unknown> {
    if (!sender.kind) return { error: 'Refused: unknown sender' } satisfies ErrorReply;
    const parsed = BackgroundRequest.safeParse(message);
    if (!parsed.success) return { error: 'Refused: malformed message' } satisfies ErrorReply;
    if (sender.kind === 'content' && !CONTENT_SCRIPT_REQUESTS.has(parsed.data.type)) {
      return { error: `Refused: ${parsed.data.type} is not allowed from a web page` } satisfies ErrorReply;
    }
    try {
      return await answer(parsed.data, sender.kind === 'content' ? sender.tabId : undefined);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) } satisfies ErrorReply;
    }
  }

  return { handle };
}
