/**
 * The shape of one connector module: its config schema (validated at start), how it mounts its
 * routes, and its scheduled jobs. The registry (index.ts) lists the modules; each is one folder.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FetchLike } from './retry';
import type { Job } from './schedule';
import type { Clock, IngestSink, StateStore } from './types';

/** Each entry of one source's list needs its own id (it names the route, the saved position, the outbox target). */
export function uniqueIds(entries: readonly { id: string }[], ctx: z.RefinementCtx, source: string): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.id)) ctx.addIssue({ code: 'custom', message: `id ${e.id} is used twice`, path: [source] });
    seen.add(e.id);
  }
}

export type ConnectorDeps = {
  sink: IngestSink;
  clock: Clock;
  /** Resumable positions of the scheduled pulls. */
  state: StateStore;
  fetch: FetchLike;
  sleep: (ms: number) => Promise<void>;
  /** The server's public origin (https://leadlens.example.com): signatures that cover the URL
   *  (HubSpot) are checked against the URL the source was given, not the one a proxy forwards. */
  publicBaseUrl?: string;
  log?: FastifyBaseLogger;
};

/** Every connector entry: a URL-safe id (part of its webhook URL) and the organisation it feeds. */
export const ConnectorBase = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, - and _'),
  orgId: z.string().min(1),
});

export interface ConnectorModule<C extends z.infer<typeof ConnectorBase>> {
  source: string;
  config: z.ZodType<C>;
  /** Mounts the source's routes under /v1/connectors/<source>/… for these configured entries. */
  register(app: FastifyInstance, deps: ConnectorDeps, entries: readonly C[]): void;
  /** Scheduled pulls the admin switched on, if the source has any. */
  jobs?(deps: ConnectorDeps, entries: readonly C[]): Job[];
}
