// @vitest-environment node
/**
 * A restart loses nothing. Embedded engine: the real CLI (`npm run server` = tsx server/main.ts)
 * as a child process on a data directory, stopped with SIGTERM and started again. PostgreSQL
 * (when LEADLENS_TEST_DATABASE_URL is set): the app closed and rebuilt on the same schema.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { ChangesResponse, LeadDetail, MeResponse } from '../../utils/api/contract';
import { buildApp } from '../../server/app';
import { ensureOrg } from '../../server/service/users';
import { dropSchema, openEngine, PG_URL } from './server-harness';

const ADMIN_TOKEN = `ll_${'restart-test-admin-token-0123456789abcdef'}`;

interface Running {
  child: ChildProcess;
  url: string;
}

async function start(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--data-dir', dataDir, '--port', '0'], {
    env: { ...process.env, LEADLENS_ADMIN_TOKEN: ADMIN_TOKEN, DATABASE_URL: '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { child, url };
}

async function stop(r: Running): Promise<number | null> {
  r.child.kill('SIGTERM');
  const [code] = (await once(r.child, 'exit')) as [number | null];
  return code;
}

const call = async (url: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> => {
  const res = await fetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: res.status === 204 ? undefined : await res.json() };
};

describe('restart on the same data', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('embedded engine: every lead, event, call log and token survives a stop and start of npm run server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leadlens-restart-'));
    dirs.push(dataDir);
    let server = await start(dataDir);
    const created = await call(server.url, '/v1/admin/users', ADMIN_TOKEN, { name: '佐藤', email: 'sato@example.jp', role: 'rep', team: 'east' });
    expect(created.status).toBe(201);
    const rep = created.json as { token: string };
    expect((await call(server.url, '/v1/ingest/leads', ADMIN_TOKEN, { leads: [{ externalId: 'x1', name: '山田', ownerEmail: 'sato@example.jp' }] })).status).toBe(200);
    expect((await call(server.url, '/v1/ingest/events', ADMIN_TOKEN, { events: [{ id: 'e-1', lead: { externalId: 'x1' }, type: 'download', at: new Date(Date.now() - 60_000).toISOString() }] })).status).toBe(202);
    const leadId = ChangesResponse.parse((await call(server.url, '/v1/leads/changes', rep.token)).json).leads[0]?.id ?? '';
    const logged = await call(server.url, `/v1/leads/${leadId}/activities`, rep.token, { type: 'call', outcome: 'connected', at: new Date().toISOString() }, { 'idempotency-key': 'call-1' });
    expect(logged.status).toBe(201);
    expect(await stop(server)).toBe(0);

    server = await start(dataDir);
    try {
      expect(MeResponse.parse((await call(server.url, '/v1/me', rep.token)).json).user.name).toBe('佐藤');
      const detail = LeadDetail.parse((await call(server.url, `/v1/leads/${leadId}`, rep.token)).json);
      expect(detail.timeline.map((e) => e.type)).toEqual(['call', 'download']);
      // The idempotency key survived too: the same key answers the first event.
      const again = await call(server.url, `/v1/leads/${leadId}/activities`, rep.token, { type: 'call', outcome: 'connected', at: (logged.json as { event: { at: string } }).event.at }, { 'idempotency-key': 'call-1' });
      expect(again.status).toBe(201);
    } finally {
      await stop(server);
    }
  }, 180_000);

  it.skipIf(!PG_URL)('PostgreSQL: a rebuilt app on the same schema keeps leads, events and tokens', async () => {
    const first = await openEngine('postgres');
    const schema = first.schema ?? '';
    try {
      await ensureOrg(first.db, 'default', Date.now());
      let app = await buildApp({ db: first.db, logger: false, config: { rescoreIntervalMs: 0 } });
      const { bootstrapAdmin } = await import('../../server/service/users');
      await bootstrapAdmin(first.db, 'default', Date.now(), ADMIN_TOKEN);
      const h = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
      await app.inject({ method: 'POST', url: '/v1/ingest/leads', headers: h, payload: JSON.stringify({ leads: [{ externalId: 'p1', name: 'PG lead' }] }) });
      await app.inject({ method: 'POST', url: '/v1/ingest/events', headers: h, payload: JSON.stringify({ events: [{ id: 'pe-1', lead: { externalId: 'p1' }, type: 'download', at: new Date().toISOString() }] }) });
      await app.close();
      await first.close();

      const second = await openEngine('postgres', { schema });
      try {
        app = await buildApp({ db: second.db, logger: false, config: { rescoreIntervalMs: 0 } });
        const feed = ChangesResponse.parse((await app.inject({ url: '/v1/leads/changes', headers: h })).json());
        expect(feed.leads.map((l) => l.name)).toEqual(['PG lead']);
        const detail = LeadDetail.parse((await app.inject({ url: `/v1/leads/${feed.leads[0]?.id}`, headers: h })).json());
        expect(detail.timeline.map((e) => e.id)).toEqual(['pe-1']);
        await app.close();
      } finally {
        await second.close();
      }
    } finally {
      await dropSchema(schema);
    }
  }, 60_000);
});
