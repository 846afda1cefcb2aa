/**
 * The push stream (`/v1/stream`, WebSocket): the server tells a connected rep "your scope
 * changed up to cursor N", and the extension runs its ordinary delta sync — push adds speed,
 * never a second write path. Shared by the extension and `server/`.
 *
 * The API token never travels in a URL: the extension first trades it for a short-lived,
 * single-use ticket (`POST /v1/stream/ticket`, bearer auth), then opens
 * `wss://…/v1/stream?ticket=…`. A ticket in a log is worth nothing a minute later.
 */
import { z } from 'zod';

export const STREAM_PATH = '/v1/stream';
export const STREAM_TICKET_PATH = '/v1/stream/ticket';
/** Chrome 116+ keeps a service worker alive while a WebSocket exchanges a message every < 30 s. */
export const KEEPALIVE_MS = 20_000;

export const StreamTicket = z.object({
  ticket: z.string().min(16),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type StreamTicket = z.infer<typeof StreamTicket>;

/** Server → extension. Unknown message types are ignored by the reader (tolerant). */
export const StreamMessage = z.discriminatedUnion('type', [
  /** Sent once on connect: the feed's newest cursor, so a client that slept catches up. */
  z.object({ type: z.literal('hello'), cursor: z.string() }),
  /** Something in this user's scope changed; the feed holds it at or before `cursor`. */
  z.object({ type: z.literal('changed'), cursor: z.string() }),
  /** The answer to the client's keepalive, and the server's own heartbeat. */
  z.object({ type: z.literal('pong'), at: z.iso.datetime({ offset: true }) }),
]);
export type StreamMessage = z.infer<typeof StreamMessage>;

/** Extension → server: the keepalive. */
export const StreamPing = z.object({ type: z.literal('ping') });
