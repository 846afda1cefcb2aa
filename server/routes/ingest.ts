/** Generic ingest (admin or ingest token): the shapes in server/contract/ingest.ts. */
import type { FastifyPluginAsync } from 'fastify';
import { IngestEventsRequest, IngestLeadsRequest } from '../contract/ingest';
import { requireRole } from '../app';
import { parseWith } from './parse';

const WRITERS = ['ingest', 'admin'] as const;

export const ingestRoutes: FastifyPluginAsync = async (app) => {
  const ll = app.leadlens;

  app.post('/v1/ingest/leads', { bodyLimit: ll.config.ingestBodyLimitBytes }, async (req) => {
    const user = requireRole(req, WRITERS);
    const { leads } = parseWith(IngestLeadsRequest, req.body);
    return ll.ingestLeads({ orgId: user.orgId }, leads);
  });

  app.post('/v1/ingest/events', { bodyLimit: ll.config.ingestBodyLimitBytes }, async (req, reply) => {
    const user = requireRole(req, WRITERS);
    const { events } = parseWith(IngestEventsRequest, req.body);
    return reply.code(202).send(await ll.ingestEvents({ orgId: user.orgId }, events));
  });
};
