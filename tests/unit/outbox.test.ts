import { describe, expect, it } from 'vitest';
import type { ScoringApiClient } from '../../utils/api/client';
import type { ActivityRequest } from '../../utils/api/contract';
import { fail, ok, type ApiError } from '../../utils/api/errors';
import { Outbox, sentEvent } from '../../utils/sync/outbox';
import { freshDb, iso, NOW } from './db-helpers';

/** A server that remembers idempotency keys, as the contract requires. */
function fakeServer() {
  const byKey = new Map<string, number>();
  let fault: ApiError | undefined;
  const client: Pick<ScoringApiClient, 'logActivity' | 'recycle'> = {
    logActivity: async (leadId, body: ActivityRequest, key) => {
      if (fault) return fail(fault);
      byKey.set(key, (byKey.get(key) ?? 0) + 1);
      return ok({ event: { id: `ev-${key}`, at: body.at, type: 'call', title: `Call: ${body.outcome}`, meta: { outcome: body.outcome, leadId } } });
    },
    recycle: async (_leadId, _body, key) => {
      if (fault) return fail(fault);
      byKey.set(key, (byKey.get(key) ?? 0) + 1);
      return ok(true as const);
    },
  };
  return { client, byKey, setFault: (f: ApiError | undefined) => { fault = f; } };
}

function setup() {
  const { db } = freshDb();
  const server = fakeServer();
  let n = 0;
  let connected = true;
  const outbox = new Outbox({
    db, loadConnection: async () => (connected ? { apiUrl: 'https://api.test', token: 't' } : null),
    createClient: () => server.client, now: () => NOW, newKey: () => `key-${++n}`,
  });
  return { db, server, outbox, disconnect: () => { connected = false; }, reconnect: () => { connected = true; } };
}

const call = (outcome: ActivityRequest['outcome'], extra: Partial<ActivityRequest> = {}): ActivityRequest => ({ type: 'call', outcome, at: iso(NOW), ...extra });

describe('Outbox', () => {
  it('stores a call log before sending, then delivers it once with its idempotency key', async () => {
    const t = setup();
    const row = await t.outbox.enqueue('activity', 'L1', call('connected', { note: '来週デモ' }));
    expect(await t.db.outbox.get(row.key)).toMatchObject({ status: 'pending', attempts: 0 });
    const report = await t.outbox.deliver();
    expect(report.sent.map((r) => r.key)).toEqual([row.key]);
    expect(sentEvent(report.sent[0]!)?.id).toBe(`ev-${row.key}`);
    expect(await t.db.outbox.get(row.key)).toMatchObject({ status: 'sent', attempts: 1, sentAt: NOW });
    await t.outbox.deliver();
    expect([...t.server.byKey.values()]).toEqual([1]);
  });

  it('rejects an invalid body up front, storing nothing', async () => {
    const t = setup();
    await expect(t.outbox.enqueue('activity', 'L1', { type: 'call', outcome: 'shouted', at: iso(NOW) })).rejects.toThrow();
    expect(await t.db.outbox.count()).toBe(0);
  });

  it('keeps calls logged offline pending, in order, and delivers each exactly once when back', async () => {
    const t = setup();
    t.server.setFault({ kind: 'unreachable', message: 'offline' });
    await t.outbox.enqueue('activity', 'L1', call('no_answer'));
    await t.outbox.enqueue('activity', 'L2', call('lost', { lossReason: 'price' }));
    const offline = await t.outbox.deliver();
    expect(offline).toMatchObject({ sent: [], failed: [], pending: 2 });
    expect((await t.db.outbox.toArray()).map((r) => [r.status, r.attempts, r.lastError])).toEqual([['pending', 1, 'offline'], ['pending', 0, undefined]]);

    t.server.setFault(undefined);
    const [a, b] = await Promise.all([t.outbox.deliver(), t.outbox.deliver()]);
    expect(a).toBe(b);
    expect(a.sent.map((r) => r.leadId)).toEqual(['L1', 'L2']);
    expect([...t.server.byKey.entries()]).toEqual([['key-1', 1], ['key-2', 1]]);
  });

  it('waits without a connection, losing nothing', async () => {
    const t = setup();
    await t.outbox.enqueue('activity', 'L1', call('connected'));
    t.disconnect();
    expect(await t.outbox.deliver()).toEqual({ sent: [], failed: [], pending: 1 });
    t.reconnect();
    expect((await t.outbox.deliver()).sent).toHaveLength(1);
  });

  it.each([
    ['a rejected body (400)', { kind: 'server', status: 400, message: 'outcome is invalid' }, 'failed'],
    ['an unknown lead (404)', { kind: 'not_found', status: 404, message: 'Not found' }, 'failed'],
    ['a rejected token (401)', { kind: 'unauthorized', status: 401, message: 'The scoring API rejected the token' }, 'pending'],
    ['rate limiting (429)', { kind: 'rate_limited', status: 429, message: 'slow down' }, 'pending'],
    ['a server error (500)', { kind: 'server', status: 500, message: 'HTTP 500' }, 'pending'],
  ] as const)('after %s the write is %s', async (_name, error, status) => {
    const t = setup();
    const row = await t.outbox.enqueue('activity', 'L1', call('connected'));
    t.server.setFault(error);
    await t.outbox.deliver();
    expect(await t.db.outbox.get(row.key)).toMatchObject({ status, lastError: error.message });
  });

  it('lists what is not yet sent for a lead, oldest first', async () => {
    const t = setup();
    t.server.setFault({ kind: 'unreachable', message: 'offline' });
    await t.outbox.enqueue('activity', 'L1', call('no_answer'));
    await t.outbox.enqueue('recycle', 'L1', { track: 'kintone活用', frequency: 'monthly', email: 'taro@acme.example.jp' });
    await t.outbox.enqueue('activity', 'L2', call('connected'));
    expect((await t.outbox.pendingFor('L1')).map((r) => r.kind)).toEqual(['activity', 'recycle']);
  });

  it('sends a recycle with its own idempotency key, once, even when delivered again', async () => {
    const t = setup();
    const row = await t.outbox.enqueue('recycle', 'L1', { track: 'kintone活用', frequency: 'monthly', email: 'taro@acme.example.jp' });
    t.server.setFault({ kind: 'unreachable', message: 'offline' });
    await t.outbox.deliver();
    t.server.setFault(undefined);
    await t.outbox.deliver();
    await t.outbox.deliver();
    expect([...t.server.byKey]).toEqual([[row.key, 1]]);
    expect(await t.db.outbox.get(row.key)).toMatchObject({ status: 'sent', attempts: 2 });
  });
});
