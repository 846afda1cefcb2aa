/**
 * The admin's view of the write-back outbox: what is pending, sent or failed, with each target's
 * last answer, and a retry for a failed delivery.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../app';
import { counts, list, retryNow } from '../connectors/writeback/store';
import { notFound } from '../errors';
import { parseWith } from './parse';

const ListQuery = z.object({
  status: z.enum(['pending', 'sent', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const IdParam = z.object({ id: z.string().min(1).max(100) });

export const outboxRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app.leadlens;

  app.get('/v1/admin/outbox', async (req) => {
    const admin = requireRole(req, ['admin']);
    const q = parseWith(ListQuery, req.query);
    return {
      targets: (deps.outbox?.targets ?? []).filter((t) => t.orgId === admin.orgId).map((t) => ({ id: t.id, vendor: t.vendor, kind: t.kind })),
      counts: await counts(deps.db, admin.orgId),
      items: await list(deps.db, admin.orgId, q.status, q.limit),
    };
  });

  app.post('/v1/admin/outbox/:id/retry', async (req) => {
    const admin = requireRole(req, ['admin']);
    const { id } = parseWith(IdParam, req.params);
    const item = await retryNow(deps.db, admin.orgId, id, deps.clock());
    if (!item) throw notFound('no failed delivery with this id');
    deps.outbox?.queued();
    return { item };
  });
};
