/** The extension's contract routes (utils/api/contract.ts), for reps, managers and admins. */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ActivityRequest, POLICY_TAG_HEADER, RecycleRequest } from '../../utils/api/contract';
import { requireRole, requireSession } from '../app';
import { HttpError } from '../errors';
import { changes, detail, logActivity, lookup, recycle, setFollow } from '../service/leads';
import { policyFor } from '../service/policy';
import { cachedRules } from '../service/rules-store';
import { localeFrom } from '../scoring/text';
import { parseWith } from './parse';

const READERS = ['rep', 'manager', 'admin'] as const;
const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 1000;

const ChangesQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).optional(),
});
const LookupQuery = z.object({
  crm: z.string().min(1).max(40).optional(),
  objectType: z.string().min(1).max(200).optional(),
  recordId: z.string().min(1).max(200).optional(),
  host: z.string().min(1).max(253).optional(),
  email: z.string().min(3).max(320).optional(),
});
const IdParam = z.object({ id: z.string().min(1).max(100) });
const DetailQuery = z.object({ timelineCursor: z.string().max(400).optional() });
const IdempotencyKey = z.string().min(1).max(200);

export const leadRoutes: FastifyPluginAsync = async (app) => {
  const deps = app.leadlens.deps;

  app.get('/v1/me', async (req) => {
    const { user, rules: versions } = requireSession(req, [...READERS, 'ingest']);
    const { rules } = await cachedRules(deps.db, user.orgId, user.team, versions);
    return { user: { id: user.userId, name: user.name, email: user.email }, settings: { hotThreshold: rules.hotThreshold, callWindowMinutes: rules.callWindowMinutes } };
  });

  app.get('/v1/policy', async (req, reply) => {
    const { user, rules } = requireSession(req, READERS);
    const { body, etag } = await policyFor(deps.db, user, rules);
    reply.header('ETag', etag).header('Cache-Control', 'no-cache').header('Vary', 'Authorization');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return body;
  });

  app.get('/v1/leads/changes', async (req, reply) => {
    const { user, rules, feed } = requireSession(req, READERS);
    const q = parseWith(ChangesQuery, req.query);
    // The team policy's ETag rides on every answer, 304s included (server/service/policy.ts).
    reply.header(POLICY_TAG_HEADER, (await policyFor(deps.db, user, rules)).etag);
    const answer = await changes(deps, user, {
      ...(q.cursor ? { cursor: q.cursor } : {}),
      limit: Math.min(q.limit ?? DEFAULT_LIMIT, MAX_LIMIT),
      ...(req.headers['if-none-match'] ? { ifNoneMatch: req.headers['if-none-match'] } : {}),
    }, localeFrom(req.headers['accept-language']), feed);
    reply.header('ETag', answer.etag).header('Cache-Control', 'no-cache').header('Vary', 'Authorization, Accept-Language');
    if (answer.status === 304) return reply.code(304).send();
    // Already JSON text (the stored summaries joined): sent as is, not serialised again.
    return reply.type('application/json; charset=utf-8').send(answer.body);
  });

  app.get('/v1/leads/lookup', async (req) => {
    const user = requireRole(req, READERS);
    const q = parseWith(LookupQuery, req.query);
    const lead = await lookup(deps, user, q, localeFrom(req.headers['accept-language']));
    return { lead };
  });

  app.get('/v1/leads/:id', async (req) => {
    const user = requireRole(req, READERS);
    const { id } = parseWith(IdParam, req.params);
    const { timelineCursor } = parseWith(DetailQuery, req.query);
    return detail(deps, user, id, timelineCursor, localeFrom(req.headers['accept-language']));
  });

  app.post('/v1/leads/:id/activities', async (req, reply) => {
    const user = requireRole(req, READERS);
    const { id } = parseWith(IdParam, req.params);
    const keyHeader = req.headers['idempotency-key'];
    if (typeof keyHeader !== 'string') throw new HttpError(400, 'idempotency_key_required', 'send an Idempotency-Key header');
    const key = parseWith(IdempotencyKey, keyHeader);
    const body = parseWith(ActivityRequest, req.body);
    const written = await logActivity(deps, user, id, body, key, localeFrom(req.headers['accept-language']));
    return reply.code(written.status).send(written.body);
  });

  app.post('/v1/leads/:id/recycle', async (req, reply) => {
    const user = requireRole(req, READERS);
    const { id } = parseWith(IdParam, req.params);
    const keyHeader = req.headers['idempotency-key'];
    const key = typeof keyHeader === 'string' ? parseWith(IdempotencyKey, keyHeader) : undefined;
    const body = parseWith(RecycleRequest, req.body);
    const written = await recycle(deps, user, id, body, key);
    return reply.code(written.status).send(written.body);
  });

  app.put('/v1/leads/:id/follow', async (req, reply) => {
    const user = requireRole(req, READERS);
    const { id } = parseWith(IdParam, req.params);
    await setFollow(deps, user, id, true);
    return reply.code(204).send();
  });

  app.delete('/v1/leads/:id/follow', async (req, reply) => {
    const user = requireRole(req, READERS);
    const { id } = parseWith(IdParam, req.params);
    await setFollow(deps, user, id, false);
    return reply.code(204).send();
  });
};
