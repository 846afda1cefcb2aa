/**
 * Shared HTTP pieces for webhook connectors: the raw body (signatures are computed over the exact
 * bytes sent, so the connectors' routes never let Fastify parse JSON for them), constant-time
 * comparison, and the one error shape of the API.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Inside the connectors' encapsulated context only: every body arrives as a Buffer. */
export function keepRawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route authenticates by itself (the server's bearer-token hook skips it). */
    auth?: boolean;
  }
}

/** Every webhook route: authenticated by its source's own scheme, not by our bearer tokens;
 *  a body limit sized for the largest batch a source sends (100 Salesforce notifications). */
export const WEBHOOK_ROUTE = { config: { auth: false }, bodyLimit: 5 * 1024 * 1024 } as const;

export function rawBody(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

export function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch (err) {
    return { ok: false, error: `body is not JSON: ${(err as Error).message}` };
  }
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
