/**
 * The connectors registry: one Fastify plugin that mounts every source's routes and runs the
 * scheduled pulls the admin switched on, from one validated config. Mount it on the server's
 * app factory as an extra plugin; it is encapsulated, so its raw-body parsing stays inside it.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { keepRawBodies } from './http';
import { hubspot } from './hubspot';
import { kintone } from './kintone';
import { marketo } from './marketo';
import { salesforce } from './salesforce';
import { uniqueIds, type ConnectorDeps } from './module';
import type { FetchLike } from './retry';
import { Scheduler, type Job } from './schedule';
import { MemoryStateStore } from './state';
import { zoom } from './zoom';
import { systemClock, type Clock, type IngestSink, type StateStore } from './types';

export const ConnectorsConfig = z.object({
  publicBaseUrl: z.url().optional(),
  hubspot: z.array(hubspot.config).default([]),
  zoom: z.array(zoom.config).default([]),
  kintone: z.array(kintone.config).default([]),
  marketo: z.array(marketo.config).default([]),
  salesforce: z.array(salesforce.config).default([]),
  /** Parsed by the server itself (writeback/config.ts): the outbox is the app's, not this plugin's. */
  writeBack: z.unknown().optional(),
}).superRefine((c, ctx) => {
  uniqueIds(c.hubspot, ctx, 'hubspot');
  uniqueIds(c.zoom, ctx, 'zoom');
  uniqueIds(c.kintone, ctx, 'kintone');
  uniqueIds(c.marketo, ctx, 'marketo');
  uniqueIds(c.salesforce, ctx, 'salesforce');
});
export type ConnectorsConfig = z.infer<typeof ConnectorsConfig>;

export type ConnectorsOptions = {
  sink: IngestSink;
  /** Unvalidated on purpose: parsed here, so a bad config fails the start with a clear error. */
  config: unknown;
  clock?: Clock;
  /** Where pulls keep their position; give a persistent one (FileStateStore, or the database). */
  state?: StateStore;
  fetch?: FetchLike;
  sleep?: (ms: number) => Promise<void>;
  /** Off in tests that drive pulls themselves. */
  schedule?: boolean;
};

/** A config error names the path and the problem, e.g. `hubspot.0.appSecret: Too small…`. */
export function parseConnectorsConfig(raw: unknown): ConnectorsConfig {
  const r = ConnectorsConfig.safeParse(raw);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
    throw new Error(`connectors config is invalid:\n  ${lines.join('\n  ')}`);
  }
  return r.data;
}

export const connectorsPlugin: FastifyPluginAsync<ConnectorsOptions> = async (app, opts) => {
  const config = parseConnectorsConfig(opts.config);
  const deps: ConnectorDeps = {
    sink: opts.sink,
    clock: opts.clock ?? systemClock,
    state: opts.state ?? new MemoryStateStore(),
    fetch: opts.fetch ?? ((url, init) => fetch(url, init)),
    sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    publicBaseUrl: config.publicBaseUrl,
    log: app.log,
  };
  keepRawBodies(app);
  hubspot.register(app, deps, config.hubspot);
  zoom.register(app, deps, config.zoom);
  kintone.register(app, deps, config.kintone);
  marketo.register(app, deps, config.marketo);
  salesforce.register(app, deps, config.salesforce);

  const jobs: Job[] = [
    ...(kintone.jobs?.(deps, config.kintone) ?? []),
    ...(marketo.jobs?.(deps, config.marketo) ?? []),
  ];
  if (jobs.length > 0 && opts.schedule !== false) {
    if (!opts.state) app.log.warn('connectors: no persistent state store given; pull positions are lost on restart');
    const scheduler = new Scheduler(jobs, app.log);
    app.addHook('onReady', async () => { scheduler.start(); });
    app.addHook('onClose', async () => { await scheduler.stop(); });
  }
};
