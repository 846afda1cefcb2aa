import { describe, expect, it } from 'vitest';
import { startLive } from '../../utils/background/live';
import { ScoringApiClient } from '../../utils/api/client';
import { fail, ok, type ApiError } from '../../utils/api/errors';
import type { SocketLike } from '../../utils/sync/live-stream';

const connection = { apiUrl: 'https://scoring.example', token: 'secret-token-0123456789' };

function liveWith(answer: () => ReturnType<Parameters<typeof startLive>[0]['createClient']> extends { streamTicket(): infer R } ? R : never) {
  const opened: string[] = [];
  const live = startLive({
    loadConnection: async () => connection,
    createClient: () => ({ streamTicket: answer }),
    sync: () => undefined,
    liveChanged: () => undefined,
    openSocket: (url) => {
      opened.push(url);
      return { send() {}, close() {}, onopen: null, onmessage: null, onclose: null, onerror: null } satisfies SocketLike;
    },
    random: () => 0.5,
  });
  return { live, opened };
}

const settle = () => new Promise<void>((resolve) => queueMicrotask(() => setTimeout(resolve, 0)));

describe('ScoringApiClient.streamTicket', () => {
  it('trades the bearer token for a ticket and puts only the ticket in the wss URL', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const client = new ScoringApiClient({
      baseUrl: 'https://scoring.example/base/',
      token: connection.token,
      fetch: async (url, init) => {
        calls.push({ url: String(url), init: init ?? {} });
        return new Response(JSON.stringify({ ticket: 'T'.repeat(43), expiresAt: '2026-11-27T10:00:00Z' }), { status: 201, headers: { 'Content-Type': 'application/json' } });
      },
    });
    const result = await client.streamTicket();
    expect(result.ok && result.value.url).toBe(`wss://scoring.example/base/v1/stream?ticket=${'T'.repeat(43)}`);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://scoring.example/base/v1/stream/ticket');
    expect(calls[0]!.init.method).toBe('POST');
    expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBe(`Bearer ${connection.token}`);
    expect(result.ok && result.value.url).not.toContain(connection.token);
  });
});

describe('the background stream, by what the ticket request answered', () => {
  const cases: Array<[string, ApiError, 'off' | 'waiting']> = [
    ['a refused token waits for a new one', { kind: 'unauthorized', status: 401, message: '' }, 'off'],
    ['a server without a stream is polled as before', { kind: 'not_found', status: 404, message: '' }, 'off'],
    ['an outage is retried', { kind: 'unreachable', message: '' }, 'waiting'],
    ['a 503 is retried', { kind: 'rate_limited', status: 503, retryAfterMs: 5000, message: '' }, 'waiting'],
    ['a server error is retried', { kind: 'server', status: 500, message: '' }, 'waiting'],
  ];
  it.each(cases)('%s', async (_name, error, expected) => {
    const { live, opened } = liveWith(async () => fail(error));
    live.stream.start();
    await settle();
    expect(live.state()).toBe(expected);
    expect(opened).toEqual([]);
    live.stream.stop();
  });

  it('opens the socket on the URL that carries the ticket', async () => {
    const { live, opened } = liveWith(async () => ok({ ticket: 'x'.repeat(43), expiresAt: new Date().toISOString(), url: 'wss://scoring.example/v1/stream?ticket=abc' }));
    live.stream.start();
    await settle();
    expect(opened).toEqual(['wss://scoring.example/v1/stream?ticket=abc']);
    live.stream.stop();
  });

  it('stays off without a connection', async () => {
    const live = startLive({
      loadConnection: async () => null,
      createClient: () => { throw new Error('no client without a connection'); },
      sync: () => undefined,
      liveChanged: () => undefined,
    });
    live.stream.start();
    await settle();
    expect(live.state()).toBe('off');
  });
});
