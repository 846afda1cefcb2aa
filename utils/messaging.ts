/**
 * Typed messages to the background: `ask(transport, request)` returns the answer typed by the
 * request's `type`. Schemas live in utils/messaging-schema.ts (background side).
 */
import type { LeadSummary, MeResponse } from './api/contract';
import type { BackgroundRequest } from './messaging-schema';

export type LookupResponse =
  | { status: 'found'; lead: LeadSummary; asOf: string }
  | { status: 'not_found' }
  | { status: 'not_connected' }
  | { status: 'error'; message: string };

export interface ConnectionStatus {
  apiUrl: string;
  hasToken: boolean;
  user?: MeResponse['user'];
  lastError?: string;
}

export type TestConnectionResponse =
  | { ok: true; me: MeResponse }
  | { ok: false; message: string };

export type SaveConnectionResponse = { ok: true; status: ConnectionStatus } | { ok: false; message: string };

export interface ResponseMap {
  lookup: LookupResponse;
  status: ConnectionStatus;
  openOptions: { ok: true };
  testConnection: TestConnectionResponse;
  saveConnection: SaveConnectionResponse;
}

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
