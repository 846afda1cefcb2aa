/** Shared set-up for connector tests: a Fastify app with only the connectors plugin. */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { connectorsPlugin } from '../../../server/connectors';
import type { Clock } from '../../../server/connectors/types';
import { MemorySink } from './memory-sink';

export const PUBLIC = 'https://leadlens.example.com';

export function fixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/connectors/${path}`, import.meta.url), 'utf8');
}

export class PinnedClock implements Clock {
  constructor(public ms: number) {}
  now(): number { return this.ms; }
}

export async function connectorsApp(config: Record<string, unknown>, clock: Clock): Promise<{ app: FastifyInstance; sink: MemorySink }> {
  const sink = new MemorySink();
  const app = Fastify({ logger: false });
  await app.register(connectorsPlugin, { sink, clock, config: { publicBaseUrl: PUBLIC, ...config } });
  await app.ready();
  return { app, sink };
}
