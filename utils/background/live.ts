/**
 * Push in the background: one socket to the server's stream while a connection is set and the
 * browser is online. A push runs the ordinary sync; while the socket is live the alarm poll
 * slows to a safety net, and while it is down the poll carries on at the rep's interval.
 */
import type { ScoringApiClient } from '../api/client';
import type { Connection } from '../settings';
import { LiveStream, type LiveState, type SocketLike, type TicketResult } from '../sync/live-stream';

/** While live, a poll every five minutes only guards against a push lost on the way. */
export const SAFETY_NET_POLL_SECONDS = 300;

export interface LiveDeps {
  loadConnection(): Promise<Connection | null>;
  createClient(connection: Connection): Pick<ScoringApiClient, 'streamTicket'>;
  sync(): void;
  /** Called when the stream goes live or stops being live: the poll interval depends on it. */
  liveChanged(live: boolean): void;
  openSocket?: (url: string) => SocketLike;
  random?: () => number;
}

export function startLive(deps: LiveDeps): { stream: LiveStream; state(): LiveState } {
  let wasLive = false;
  const stream = new LiveStream({
    async ticket(): Promise<TicketResult> {
      const connection = await deps.loadConnection();
      if (!connection) return { ok: false, stop: true };
      const result = await deps.createClient(connection).streamTicket();
      if (result.ok) return { ok: true, url: result.value.url };
      const { error } = result;
      // A refused token waits for a new one; a server without a stream (older, or another
      // implementation of the contract) is polled as before.
      if (error.kind === 'unauthorized' || error.kind === 'not_found' || error.kind === 'config') return { ok: false, stop: true };
      return { ok: false, retryAfterMs: error.kind === 'rate_limited' ? error.retryAfterMs : undefined };
    },
    openSocket: deps.openSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike),
    onChanged: () => deps.sync(),
    onState: (state) => {
      const live = state === 'live';
      if (live !== wasLive) {
        wasLive = live;
        deps.liveChanged(live);
      }
    },
    random: deps.random ?? Math.random,
  });
  return { stream, state: () => stream.state };
}
