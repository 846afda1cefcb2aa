// @vitest-environment node
/**
 * The push stream through the real server: tickets, scope, and (on PostgreSQL) two server
 * processes' worth of apps on one database, where a change through one reaches a socket on
 * the other. Sockets are real (ws) against a listening Fastify.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app';
import { connect, type DbHandle } from '../../server/db/connect';
import { createUser, ensureOrg } from '../../server/service/users';
import { PgRelay } from '../../server/stream/relay';
import { CLOSE_ORIGIN, CLOSE_TICKET, streamPlugin } from '../../server/stream/plugin';
import { changeReaches } from '../../server/stream/scope';

const ORG = 'default';
const EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

interface Running {
  app: FastifyInstance;
  base: string;
}

async function start(handle: DbHandle, relay?: PgRelay): Promise<Running> {
  const app = await buildApp({ db: handle.db, logger: false, config: { corsOrigins: [EXTENSION], rescoreIntervalMs: 0 }, plugins: [streamPlugin({ relay, coalesceMs: 0 })] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { app, base: `http://127.0.0.1:${address.port}` };
}

async function post(base: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A socket that records what it hears; `next(type)` awaits the next message of that type. */
function listen(url: string, origin = EXTENSION) {
  const socket = new WebSocket(url, { origin });
  const heard: Array<{ type: string; cursor?: string }> = [];
  const waiters: Array<{ type: string; resolve: (m: { type: string; cursor?: string }) => void }> = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; cursor?: string };
    heard.push(message);
    const i = waiters.findIndex((w) => w.type === message.type);
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(message);
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const next = (type: string) => new Promise<{ type: string; cursor?: string }>((resolve) => waiters.push({ type, resolve }));
  return { socket, heard, closed, next };
}

async function ticketUrl(base: string, token: string): Promise<string> {
  const res = await post(base, '/v1/stream/ticket', token);
  expect(res.status).toBe(201);
  const { ticket } = await res.json() as { ticket: string };
  return `${base.replace('http', 'ws')}/v1/stream?ticket=${ticket}`;
}

async function people(handle: DbHandle) {
  const now = Date.now();
  await ensureOrg(handle.db, ORG, now);
  const make = (name: string, role: 'rep' | 'manager' | 'ingest', team?: string) =>
    createUser(handle.db, ORG, { name, email: `${name}@example.jp`, role, ...(team ? { team } : {}) }, now);
  return {
    sato: await make('sato', 'rep', 'tokyo'),
    suzuki: await make('suzuki', 'rep', 'tokyo'),
    osaka: await make('tanaka', 'rep', 'osaka'),
    boss: await make('boss', 'manager', 'tokyo'),
    feed: await make('feed', 'ingest'),
  };
}

const event = (externalId: string) => ({
  id: `ev-${randomBytes(6).toString('hex')}`, lead: { externalId }, type: 'seminar_attended',
  at: new Date().toISOString(), title: 'kintone活用セミナー',
});

/** Resolves false if no message of that type arrives before the other socket's one does. */
async function silentWhile<T>(l: ReturnType<typeof listen>, until: Promise<T>): Promise<boolean> {
  const before = l.heard.length;
  await until;
  // The server sends to every socket in one pass: by the time the other socket has its
  // message, this one's would have been written too; one more round trip makes sure.
  await new Promise((resolve) => setImmediate(resolve));
  return l.heard.slice(before).every((m) => m.type !== 'changed');
}

describe('changeReaches (who hears of a change)', () => {
  const lead = (owner: string | null, team: string | null, prevOwner: string | null = null, prevTeam: string | null = null) =>
    ({ id: 'l1', owner_id: owner, team, prev_owner_id: prevOwner, prev_team: prevTeam });
  const rep = { userId: 'u1', role: 'rep' as const, team: 'tokyo' };
  const cases: Array<[string, Parameters<typeof changeReaches>[0], ReturnType<typeof lead>, boolean, boolean]> = [
    ['a rep, their own lead', rep, lead('u1', 'tokyo'), false, true],
    ['a rep, a colleague\'s lead', rep, lead('u2', 'tokyo'), false, false],
    ['a rep, a colleague\'s lead they follow', rep, lead('u2', 'tokyo'), true, true],
    ['a rep, their team\'s stock', rep, lead(null, 'tokyo'), false, true],
    ['a rep, another team\'s stock', rep, lead(null, 'osaka'), false, false],
    ['a rep, a lead just taken from them', rep, lead('u2', 'tokyo', 'u1', 'tokyo'), false, true],
    ['a rep, stock just assigned to a colleague', rep, lead('u2', 'tokyo', null, 'tokyo'), false, true],
    ['a rep without a team, unowned lead', { ...rep, team: null }, lead(null, null), false, false],
    ['a manager, their team', { userId: 'm', role: 'manager', team: 'tokyo' }, lead('u2', 'tokyo'), false, true],
    ['a manager, a lead moved out of their team', { userId: 'm', role: 'manager', team: 'tokyo' }, lead('u9', 'osaka', 'u2', 'tokyo'), false, true],
    ['a manager, another team', { userId: 'm', role: 'manager', team: 'tokyo' }, lead('u9', 'osaka'), false, false],
    ['an admin, anything', { userId: 'a', role: 'admin', team: null }, lead('u9', 'osaka'), false, true],
    ['an ingest token, nothing', { userId: 'i', role: 'ingest', team: null }, lead('i', 'tokyo'), true, false],
  ];
  it.each(cases)('%s', (_name, user, row, followed, expected) => {
    expect(changeReaches(user, row, followed)).toBe(expected);
  });
});

describe('the push stream on the embedded engine', () => {
  let handle: DbHandle;
  let server: Running;
  let who: Awaited<ReturnType<typeof people>>;

  beforeAll(async () => {
    handle = await connect({});
    who = await people(handle);
    server = await start(handle);
    const res = await post(server.base, '/v1/ingest/leads', who.feed.token, { leads: [
      { externalId: 'L-sato', name: '山田 花子', ownerEmail: 'sato@example.jp' },
      { externalId: 'L-suzuki', name: '高橋 一郎', ownerEmail: 'suzuki@example.jp' },
      { externalId: 'L-stock', name: '伊藤 美咲', team: 'tokyo' },
    ] });
    expect(res.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await server?.app.close();
    await handle?.close();
  });

  it('says hello with the feed position, and answers the keepalive', async () => {
    const l = listen(await ticketUrl(server.base, who.sato.token));
    const hello = await l.next('hello');
    expect(Number(hello.cursor)).toBeGreaterThan(0);
    const pong = l.next('pong');
    l.socket.send(JSON.stringify({ type: 'ping' }));
    expect((await pong).type).toBe('pong');
    l.socket.close();
  });

  it('tells a rep of a change to their lead, and not their colleague', async () => {
    const sato = listen(await ticketUrl(server.base, who.sato.token));
    const suzuki = listen(await ticketUrl(server.base, who.suzuki.token));
    await Promise.all([sato.next('hello'), suzuki.next('hello')]);
    const heard = sato.next('changed');
    const res = await post(server.base, '/v1/ingest/events', who.feed.token, { events: [event('L-sato')] });
    expect(res.status).toBe(202);
    expect(await silentWhile(suzuki, heard)).toBe(true);
    // Stock is everyone's in the team: both hear of it.
    const both = Promise.all([sato.next('changed'), suzuki.next('changed')]);
    await post(server.base, '/v1/ingest/events', who.feed.token, { events: [event('L-stock')] });
    await both;
    sato.socket.close();
    suzuki.socket.close();
  });

  it('refuses a used, forged or missing ticket, the token in the URL, and a web page origin', async () => {
    const url = await ticketUrl(server.base, who.sato.token);
    const first = listen(url);
    await first.next('hello');
    expect(await listen(url).closed).toBe(CLOSE_TICKET); // single use
    const ws = server.base.replace('http', 'ws');
    expect(await listen(`${ws}/v1/stream?ticket=${'A'.repeat(43)}`).closed).toBe(CLOSE_TICKET);
    expect(await listen(`${ws}/v1/stream`).closed).toBe(CLOSE_TICKET);
    expect(await listen(`${ws}/v1/stream?token=${who.sato.token}`).closed).toBe(CLOSE_TICKET);
    expect(await listen(await ticketUrl(server.base, who.sato.token), 'https://evil.example').closed).toBe(CLOSE_ORIGIN);
    first.socket.close();
  });

  it('gives no ticket without a token, nor to an ingest token', async () => {
    expect((await fetch(`${server.base}/v1/stream/ticket`, { method: 'POST' })).status).toBe(401);
    expect((await post(server.base, '/v1/stream/ticket', 'Bearer forged')).status).toBe(401);
    expect((await post(server.base, '/v1/stream/ticket', who.feed.token)).status).toBe(403);
  });
});

const pgUrl = process.env.LEADLENS_TEST_DATABASE_URL;
describe.runIf(pgUrl)('the push stream across two server processes on one PostgreSQL', () => {
  const schema = `stream_${randomBytes(4).toString('hex')}`;
  let handles: DbHandle[] = [];
  let relays: PgRelay[] = [];
  let servers: Running[] = [];
  let who: Awaited<ReturnType<typeof people>>;

  beforeAll(async () => {
    const url = pgUrl!;
    handles = [await connect({ databaseUrl: url, schema, poolSize: 3 }), await connect({ databaseUrl: url, schema, poolSize: 3 })];
    who = await people(handles[0]!);
    relays = [await PgRelay.start(url), await PgRelay.start(url)];
    servers = [await start(handles[0]!, relays[0]), await start(handles[1]!, relays[1])];
    await post(servers[0]!.base, '/v1/ingest/leads', who.feed.token, { leads: [{ externalId: 'L-sato', name: '山田 花子', ownerEmail: 'sato@example.jp' }] });
  }, 60_000);
  afterAll(async () => {
    for (const s of servers) await s.app.close();
    for (const r of relays) await r.close();
    await handles[0]?.db.schema.dropSchema(schema).cascade().execute().catch(() => undefined);
    for (const h of handles) await h.close();
  });

  it('an event ingested through instance A reaches a rep connected to instance B', async () => {
    const [a, b] = servers as [Running, Running];
    const sato = listen(await ticketUrl(b.base, who.sato.token)); // the ticket is good on any instance
    await sato.next('hello');
    const heard = sato.next('changed');
    expect((await post(a.base, '/v1/ingest/events', who.feed.token, { events: [event('L-sato')] })).status).toBe(202);
    expect(Number((await heard).cursor)).toBeGreaterThan(0);
    sato.socket.close();
  });
});
