// @vitest-environment node
/**
 * The registry: one config validated at start (clear errors, unique ids), every webhook route
 * outside the server's bearer-token hook, raw bodies only inside the connectors' context, and
 * the scheduled pulls started on ready and stopped (awaited) on close.
 */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { connectorsPlugin, parseConnectorsConfig } from '../../../server/connectors';
import { Scheduler } from '../../../server/connectors/schedule';
import { MemoryStateStore } from '../../../server/connectors/state';
import { MemorySink } from './memory-sink';

const SECRET = 'x'.repeat(24);
const kintone = { id: 'k', orgId: 'o', host: 'example.cybozu.com', urlSecret: SECRET, apps: [{ app: '1', target: 'leads', fields: { name: 'n' } }] };

describe('connectors registry', () => {
  it('rejects a duplicated id and names the source', () => {
    expect(() => parseConnectorsConfig({ zoom: [{ id: 'a', orgId: 'o', secretToken: SECRET }, { id: 'a', orgId: 'o', secretToken: SECRET }] }))
      .toThrow(/zoom: id a is used twice/);
  });
  it('an empty config is valid and mounts nothing but itself', () => {
    expect(parseConnectorsConfig({})).toMatchObject({ hubspot: [], zoom: [], kintone: [], marketo: [], salesforce: [] });
  });

  it('webhook routes opt out of bearer auth; raw-body parsing stays inside the plugin', async () => {
    const app = Fastify();
    const seen: { url: string; auth: unknown }[] = [];
    app.addHook('onRoute', (r) => { seen.push({ url: r.url, auth: (r.config as { auth?: unknown } | undefined)?.auth }); });
    app.post('/outside', async (req) => ({ parsed: req.body }));
    await app.register(connectorsPlugin, {
      sink: new MemorySink(), schedule: false,
      config: {
        hubspot: [{ id: 'h', orgId: 'o', appSecret: SECRET }], zoom: [{ id: 'z', orgId: 'o', secretToken: SECRET }], kintone: [kintone],
        marketo: [{ id: 'm', orgId: 'o', munchkinId: '123-ABC-456', urlSecret: SECRET }],
        salesforce: [{ id: 's', orgId: 'o', organizationId: '00D5g000004ZxYzEAK', urlSecret: SECRET }],
      },
    });
    await app.ready();
    const connectorRoutes = seen.filter((r) => r.url.startsWith('/v1/connectors/'));
    expect(connectorRoutes.map((r) => r.url).sort()).toEqual([
      '/v1/connectors/hubspot/:id', '/v1/connectors/kintone/:id/:secret', '/v1/connectors/marketo/:id/:secret',
      '/v1/connectors/salesforce/:id/:secret', '/v1/connectors/zoom/:id',
    ]);
    expect(connectorRoutes.every((r) => r.auth === false)).toBe(true);
    // Outside the plugin, JSON is still parsed as JSON.
    const res = await app.inject({ method: 'POST', url: '/outside', payload: { a: 1 } });
    expect(res.json()).toEqual({ parsed: { a: 1 } });
    await app.close();
  });

  it('starts the switched-on pulls when ready and waits for a running one on close', async () => {
    let started = 0;
    let finish: () => void = () => {};
    const fetchFn = async () => {
      started += 1;
      await new Promise<void>((resolve) => { finish = resolve; });
      return new Response(JSON.stringify({ records: [], totalCount: null }), { status: 200 });
    };
    const app = Fastify();
    await app.register(connectorsPlugin, {
      sink: new MemorySink(), state: new MemoryStateStore(), fetch: fetchFn,
      config: { kintone: [{ ...kintone, pull: { enabled: true, apiToken: 't', baseUrl: 'http://127.0.0.1:9' } }] },
    });
    await app.ready();
    await expect.poll(() => started).toBe(1);
    let closed = false;
    const closing = app.close().then(() => { closed = true; });
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    finish();
    await closing;
    expect(closed).toBe(true);
  });

  it('one run of a job at a time', async () => {
    let runs = 0;
    let release: () => void = () => {};
    const s = new Scheduler([{ name: 'j', intervalMs: 60_000, run: () => { runs += 1; return new Promise<void>((r) => { release = r; }); } }]);
    const a = s.tick({ name: 'j', intervalMs: 1, run: async () => { runs += 1; } });
    const b = s.tick({ name: 'j', intervalMs: 1, run: async () => { runs += 100; } });
    await Promise.all([a, b]);
    expect(runs).toBe(1);
    release();
    await s.stop();
  });
});
