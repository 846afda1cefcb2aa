/**
 * The server's own routes (generic ingest, admin, write-back outbox) added to the published contract, so
 * docs/openapi.json describes everything a LeadLens server answers. `npm run contract` writes it.
 */
import { z } from 'zod';
import { renderOpenApi, type Json, type OpenApiExtension } from '../utils/api/openapi';
import {
  IngestEvent, IngestEventsResponse, IngestLead, IngestLeadsResponse, MAX_INGEST_BATCH, RejectedItem,
} from './contract/ingest';
import { ScoringRules } from './scoring/rules';
import { NewUser, PublicUser } from './service/users';

const OutboxItem = z.object({
  id: z.string(), kind: z.enum(['call', 'recycle']), target: z.string(), leadId: z.string(), status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int(), nextAttemptAt: z.string(), lastStatus: z.string().nullable(), lastAnswer: z.string().nullable(),
  remoteId: z.string().nullable(), activityId: z.string(), createdAt: z.string(), updatedAt: z.string(),
});

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json) => ({ 'application/json': { schema } });
const error = (description: string): Json => ({ description, content: json(ref('ErrorResponse')) });
const common = {
  '400': error('Invalid request'),
  '401': error('Missing or rejected bearer token'),
  '403': error('The token\'s role may not do this'),
  '429': error('Too many requests for this token; carries Retry-After'),
};
const idParam: Json = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

const schemas = {
  IngestLead,
  IngestEvent,
  RejectedItem,
  IngestLeadsRequest: z.object({ leads: z.array(IngestLead).max(MAX_INGEST_BATCH) }),
  IngestEventsRequest: z.object({ events: z.array(IngestEvent).max(MAX_INGEST_BATCH) }),
  IngestLeadsResponse,
  IngestEventsResponse,
  NewUser,
  PublicUser,
  CreatedUser: z.object({ user: PublicUser, token: z.string() }),
  ScoringRules,
  ScoringRulesAnswer: z.object({ team: z.string().nullable(), version: z.number().int(), rules: ScoringRules }),
  ScoringUpdate: z.object({ team: z.string().optional(), rules: ScoringRules }),
  OutboxItem,
  OutboxAnswer: z.object({
    targets: z.array(z.object({ id: z.string(), vendor: z.string(), kind: z.enum(['call', 'recycle']) })),
    counts: z.object({ pending: z.number().int(), sent: z.number().int(), failed: z.number().int() }),
    items: z.array(OutboxItem),
  }),
};

export const serverOpenApi: OpenApiExtension = {
  schemas,
  description:
    'A LeadLens server also answers the generic ingest routes (admin or ingest token) and the admin routes (admin token) below. Every route but GET /healthz needs a bearer token.',
  paths: {
    '/healthz': { get: { summary: 'Health check (no token): the database answers', security: [], responses: { '200': { description: 'Up' } } } },
    '/v1/ingest/leads': {
      post: {
        summary: `Upsert up to ${MAX_INGEST_BATCH} leads by externalId; each bad item is rejected with its index, the rest kept`,
        requestBody: { required: true, content: json(ref('IngestLeadsRequest')) },
        responses: { '200': { description: 'Upserted count and rejected items', content: json(ref('IngestLeadsResponse')) }, ...common },
      },
    },
    '/v1/ingest/events': {
      post: {
        summary: `Add up to ${MAX_INGEST_BATCH} events; an event id is idempotent forever (a replay counts as a duplicate); an event whose lead is unknown is rejected ("unknown lead"), never invented. Leads are re-scored before the answer.`,
        requestBody: { required: true, content: json(ref('IngestEventsRequest')) },
        responses: { '202': { description: 'Accepted, duplicate and rejected counts', content: json(ref('IngestEventsResponse')) }, ...common },
      },
    },
    '/v1/admin/users': {
      get: { summary: 'List users', responses: { '200': { description: 'Users', content: json({ type: 'object', properties: { users: { type: 'array', items: ref('PublicUser') } } }) }, ...common } },
      post: {
        summary: 'Create a user; the answer carries their token, shown this once',
        requestBody: { required: true, content: json(ref('NewUser')) },
        responses: { '201': { description: 'The user and their token', content: json(ref('CreatedUser')) }, '409': error('A user with that email exists'), ...common },
      },
    },
    '/v1/admin/users/{id}/tokens': {
      post: { summary: 'Issue another token for a user (shown once)', parameters: [idParam], responses: { '201': { description: 'The token', content: json({ type: 'object', properties: { token: { type: 'string' } } }) }, '404': error('No such user'), ...common } },
      delete: { summary: 'Revoke every token of a user', parameters: [idParam], responses: { '200': { description: 'How many were revoked', content: json({ type: 'object', properties: { revoked: { type: 'integer' } } }) }, '404': error('No such user'), ...common } },
    },
    '/v1/admin/scoring': {
      get: {
        summary: 'The scoring rules in force for a team (or the organisation default), with their version',
        parameters: [{ name: 'team', in: 'query', required: false, schema: { type: 'string' } }],
        responses: { '200': { description: 'Rules', content: json(ref('ScoringRulesAnswer')) }, ...common },
      },
      put: {
        summary: 'Replace the rules of a team (or the default): validated, versioned, and every affected lead re-scored',
        requestBody: { required: true, content: json(ref('ScoringUpdate')) },
        responses: { '200': { description: 'The new version and how many leads moved', content: json({ type: 'object', properties: { team: { type: ['string', 'null'] }, version: { type: 'integer' }, rescored: { type: 'integer' } } }) }, ...common },
      },
    },
    '/v1/admin/outbox': {
      get: {
        summary: 'Write-back deliveries (calls to the CRM, recycles to the MA tool): configured targets, counts by status, and the newest rows with each target\'s last answer',
        parameters: [
          { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['pending', 'sent', 'failed'] } },
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500 } },
        ],
        responses: { '200': { description: 'Targets, counts and rows', content: json(ref('OutboxAnswer')) }, ...common },
      },
    },
    '/v1/admin/outbox/{id}/retry': {
      post: { summary: 'Send a failed delivery again now, with a fresh set of attempts', parameters: [idParam], responses: { '200': { description: 'The row, pending again', content: json({ type: 'object', properties: { item: ref('OutboxItem') } }) }, '404': error('No failed delivery with this id'), ...common } },
    },
    '/v1/leads/{id}/follow': {
      put: { summary: 'Follow a lead you can see (it stays in your feed if reassigned)', parameters: [idParam], responses: { '204': { description: 'Followed' }, '404': error('No such lead in your scope'), ...common } },
      delete: { summary: 'Stop following a lead', parameters: [idParam], responses: { '204': { description: 'Unfollowed' }, '404': error('No such lead in your scope'), ...common } },
    },
  },
};

export const renderServerOpenApi = (): string => renderOpenApi(serverOpenApi);
