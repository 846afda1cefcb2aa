/**
 * The background's one push connection to the server (`/v1/stream`).
 *
 * A push only says "your scope changed": the caller answers with the ordinary delta sync (one
 * request, the same transactional cursor), so the socket adds speed and no second write path.
 * While the socket is down the alarm poll carries on as before; reconnects back off with jitter
 * so a restarted server is not hit by every rep's browser in the same second.
 */
import { KEEPALIVE_MS, StreamMessage } from '../api/stream';
import { backoffDelay, type BackoffPolicy } from './backoff';

export type LiveState = 'off' | 'connecting' | 'live' | 'waiting';

/** The part of a WebSocket this module uses (the browser's, or a fake in tests). */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type TicketResult =
  | { ok: true; url: string }
  /** `stop`: no point retrying (not connected, token refused) until something changes. */
  | { ok: false; stop?: boolean; retryAfterMs?: number };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LiveStreamDeps {
  /** Trades the token for a single-use ticket and returns the socket URL that carries it. */
  ticket(): Promise<TicketResult>;
  openSocket(url: string): SocketLike;
  /** The server's feed moved (or we just connected): run the delta sync. */
  onChanged(cursor: string): void;
  onState(state: LiveState): void;
  random(): number;
  timers?: Timers;
  backoff?: BackoffPolicy;
  keepaliveMs?: number;
}

/** Reconnects start fast (a server restart should cost seconds) and level off at a minute. */
export const STREAM_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

export class LiveStream {
  private socket: SocketLike | undefined;
  private running = false;
  private failures = 0;
  private retryTimer: unknown;
  private keepaliveTimer: unknown;
  private silenceTimer: unknown;
  private current: LiveState = 'off';
  private readonly timers: Timers;
  private readonly keepaliveMs: number;

  constructor(private readonly deps: LiveStreamDeps) {
    this.timers = deps.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    this.keepaliveMs = deps.keepaliveMs ?? KEEPALIVE_MS;
  }

  get state(): LiveState {
    return this.current;
  }

  /** Connects unless already connected or connecting. Safe to call on every wake-up. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    void this.connect();
  }

  /** Closes the socket and stays closed until start(). */
  stop(): void {
    this.running = false;
    this.clearTimers();
    this.dropSocket();
    this.setState('off');
  }

  /** Something changed that may let a waiting connection succeed now (token saved, back online). */
  retryNow(): void {
    if (!this.running) return this.start();
    if (this.current !== 'waiting') return;
    this.timers.clearTimeout(this.retryTimer);
    this.failures = 0;
    void this.connect();
  }

  private async connect(): Promise<void> {
    this.setState('connecting');
    const ticket = await this.deps.ticket().catch((): TicketResult => ({ ok: false }));
    if (!this.running) return;
    if (!ticket.ok) {
      if (ticket.stop) {
        // Nothing to retry against until the caller says so (retryNow/start).
        this.running = false;
        this.setState('off');
        return;
      }
      return this.scheduleReconnect(ticket.retryAfterMs);
    }
    let socket: SocketLike;
    try {
      socket = this.deps.openSocket(ticket.url);
    } catch {
      return this.scheduleReconnect();
    }
    this.socket = socket;
    socket.onmessage = (event) => this.received(socket, event.data);
    socket.onclose = () => this.closed(socket);
    socket.onerror = () => socket.close();
    socket.onopen = () => this.armSilence(socket);
  }

  private received(socket: SocketLike, data: unknown): void {
    if (socket !== this.socket) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(data));
    } catch {
      return;
    }
    const message = StreamMessage.safeParse(parsed);
    if (!message.success) return; // a newer server's message type: not ours to act on
    this.armSilence(socket);
    switch (message.data.type) {
      case 'hello':
        this.failures = 0;
        this.setState('live');
        this.scheduleKeepalive(socket);
        this.deps.onChanged(message.data.cursor);
        break;
      case 'changed':
        this.deps.onChanged(message.data.cursor);
        break;
      case 'pong':
        break;
    }
  }

  private scheduleKeepalive(socket: SocketLike): void {
    this.timers.clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = this.timers.setTimeout(() => {
      if (socket !== this.socket) return;
      try {
        socket.send(JSON.stringify({ type: 'ping' }));
      } catch {
        socket.close();
        return;
      }
      this.scheduleKeepalive(socket);
    }, this.keepaliveMs);
  }

  /** A connection that hears nothing for two keepalives is dead even if TCP has not noticed. */
  private armSilence(socket: SocketLike): void {
    this.timers.clearTimeout(this.silenceTimer);
    this.silenceTimer = this.timers.setTimeout(() => {
      if (socket === this.socket) {
        socket.close();
        this.closed(socket);
      }
    }, this.keepaliveMs * 2 + 5_000);
  }

  private closed(socket: SocketLike): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    this.clearTimers();
    if (this.running) this.scheduleReconnect();
  }

  private scheduleReconnect(retryAfterMs?: number): void {
    this.failures += 1;
    this.setState('waiting');
    const delay = Math.max(retryAfterMs ?? 0, backoffDelay(this.failures, this.deps.random, this.deps.backoff ?? STREAM_BACKOFF));
    this.retryTimer = this.timers.setTimeout(() => {
      if (this.running) void this.connect();
    }, delay);
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      try {
        socket.close(1000, 'stopped');
      } catch {
        // already closed
      }
    }
  }

  private clearTimers(): void {
    this.timers.clearTimeout(this.retryTimer);
    this.timers.clearTimeout(this.keepaliveTimer);
    this.timers.clearTimeout(this.silenceTimer);
  }

  private setState(state: LiveState): void {
    if (state === this.current) return;
    this.current = state;
    this.deps.onState(state);
  }
}
