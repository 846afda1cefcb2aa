import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveStream, type LiveState, type SocketLike, type TicketResult } from '../../utils/sync/live-stream';

class FakeSocket implements SocketLike {
  sent: string[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) { this.sent.push(data); }
  close() {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.({});
  }
  open() { this.onopen?.({}); }
  deliver(message: unknown) { this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) }); }
}

function setup(tickets: TicketResult[] = []) {
  const sockets: FakeSocket[] = [];
  const states: LiveState[] = [];
  const changed: string[] = [];
  let issued = 0;
  const stream = new LiveStream({
    ticket: async () => tickets.shift() ?? { ok: true, url: `wss://api.example/v1/stream?ticket=t${++issued}` },
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    onChanged: (cursor) => changed.push(cursor),
    onState: (state) => states.push(state),
    random: () => 1, // the longest jitter: delays below are upper bounds
    keepaliveMs: 20_000,
  });
  return { stream, sockets, states, changed };
}

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => { vi.useRealTimers(); });

describe('LiveStream', () => {
  it('is live once the server says hello, and syncs at once to catch up', async () => {
    const { stream, sockets, states, changed } = setup();
    stream.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.url).toContain('ticket=t1');
    sockets[0]!.open();
    expect(stream.state).toBe('connecting'); // an open socket is not yet an authenticated one
    sockets[0]!.deliver({ type: 'hello', cursor: '41' });
    expect(stream.state).toBe('live');
    expect(states).toEqual(['connecting', 'live']);
    expect(changed).toEqual(['41']);
  });

  it('runs a sync for every change pushed, and ignores what it cannot read', async () => {
    const { stream, sockets, changed } = setup();
    stream.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = sockets[0]!;
    socket.open();
    socket.deliver({ type: 'hello', cursor: '1' });
    socket.deliver({ type: 'changed', cursor: '2' });
    socket.deliver('not json');
    socket.deliver({ type: 'leads_rewritten', cursor: '3' }); // a newer server's message
    socket.deliver({ type: 'changed' }); // malformed
    socket.deliver({ type: 'changed', cursor: '4' });
    expect(changed).toEqual(['1', '2', '4']);
  });

  it('sends a keepalive every 20 s while live', async () => {
    const { stream, sockets } = setup();
    stream.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = sockets[0]!;
    socket.open();
    socket.deliver({ type: 'hello', cursor: '1' });
    await vi.advanceTimersByTimeAsync(19_999);
    expect(socket.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.sent).toEqual(['{"type":"ping"}']);
    socket.deliver({ type: 'pong', at: new Date().toISOString() });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(socket.sent).toHaveLength(2);
  });

  it('reconnects with backoff after the connection drops, and is live again', async () => {
    const { stream, sockets, states } = setup();
    stream.start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.open();
    sockets[0]!.deliver({ type: 'hello', cursor: '1' });
    sockets[0]!.close();
    expect(stream.state).toBe('waiting');
    await vi.advanceTimersByTimeAsync(999);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // first retry after at most 1 s
    expect(sockets).toHaveLength(2);
    expect(sockets[1]!.url).toContain('ticket=t2'); // a fresh single-use ticket
    sockets[1]!.open();
    sockets[1]!.deliver({ type: 'hello', cursor: '5' });
    expect(states).toEqual(['connecting', 'live', 'waiting', 'connecting', 'live']);
  });

  it('backs off further on each failure, up to a minute, and honours Retry-After', async () => {
    const { stream, sockets } = setup([{ ok: false }, { ok: false }, { ok: false, retryAfterMs: 30_000 }]);
    stream.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1_000); // failure 1 → ≤ 1 s
    await vi.advanceTimersByTimeAsync(2_000); // failure 2 → ≤ 2 s
    expect(sockets).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(29_999); // failure 3 said Retry-After 30 s
    expect(sockets).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(1);
  });

  it('stops trying when the ticket cannot be had (no token, refused) until told to retry', async () => {
    const { stream, sockets } = setup([{ ok: false, stop: true }]);
    stream.start();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(stream.state).toBe('off');
    expect(sockets).toHaveLength(0);
    stream.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets).toHaveLength(1);
  });

  it('treats a connection that hears nothing for two keepalives as dead', async () => {
    const { stream, sockets } = setup();
    stream.start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.open();
    sockets[0]!.deliver({ type: 'hello', cursor: '1' });
    await vi.advanceTimersByTimeAsync(45_000); // pings went out, no pong came back
    expect(sockets[0]!.closed).toBe(true);
    expect(stream.state).toBe('waiting');
  });

  it('stop closes the socket and schedules nothing more', async () => {
    const { stream, sockets, states } = setup();
    stream.start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]!.open();
    sockets[0]!.deliver({ type: 'hello', cursor: '1' });
    stream.stop();
    expect(sockets[0]!.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(sockets).toHaveLength(1);
    expect(states.at(-1)).toBe('off');
  });
});
