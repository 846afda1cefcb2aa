/**
 * The contract published as OpenAPI 3.1 (JSON Schema 2020-12 components generated from the
 * zod schemas). `npm run contract` writes it to docs/openapi.json; a unit test fails when the
 * committed file is stale.
 */
import { z } from 'zod';
import { namedSchemas } from './contract';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What a server adds to the published document: its own named schemas and paths. */
export interface OpenApiExtension {
  schemas: Record<string, z.ZodType>;
  paths: Record<string, Json>;
  description?: string;
}

const ref = (name: keyof typeof namedSchemas) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: json(ref('ErrorResponse')) });
const commonErrors = {
  '401': errorResponse('Missing or rejected bearer token'),
  '429': errorResponse('Too many requests; may carry Retry-After'),
  '503': errorResponse('Temporarily unavailable; may carry Retry-After'),
};

const policyTagHeader = {
  description: 'The current ETag of GET /v1/policy: the extension asks for the team policy only when it differs from the one it holds. Absent: the server serves no team policy.',
  schema: { type: 'string' },
};

export function buildOpenApi(extension?: OpenApiExtension): Json {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({ ...namedSchemas, ...extension?.schemas })) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    // Input shape: servers may add fields, and readers strip what they do not know.
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Record<string, Json>> };
  const schemas: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(generated.schemas)) {
    const { $schema: _drop, $id: _id, ...rest } = schema;
    schemas[id] = rest;
  }

  // Texts are rendered per request, so every read and write that answers with them takes it.
  const acceptLanguage = {
    name: 'Accept-Language', in: 'header', required: false, schema: { type: 'string', examples: ['ja, en;q=0.5'] },
    description: 'The reader\'s language: need reasons, score factor labels, timeline titles, cooldown messages and next-action texts come back in Japanese (ja) or English (en, the default). The extension sends the language its UI speaks (the rep\'s choice, else the browser\'s) and fetches the texts again when it changes. Responses vary by it (Vary: Accept-Language).',
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'LeadLens scoring API',
      version: '1',
      description:
        `The contract between the LeadLens extension and any scoring server. Generated from utils/api/contract.ts by \`npm run contract\`; do not edit by hand. Readers tolerate unknown fields; unknown event types and cooldown reasons render generically.${extension?.description ? ` ${extension.description}` : ''}`,
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas,
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/me': {
        get: {
          summary: 'Who the token belongs to, and the team settings ("Test connection")',
          parameters: [acceptLanguage],
          responses: { '200': { description: 'The user and settings', content: json(ref('MeResponse')) }, ...commonErrors },
        },
      },
      '/v1/policy': {
        get: {
          summary: "The signed-in user's team policy (cooldowns, business hours, call window, retry cadence), derived from the team's scoring rules; read-only for reps",
          parameters: [{ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The policy in force for the user\'s team', headers: { ETag: { schema: { type: 'string' } } }, content: json(ref('TeamPolicyResponse')) },
            '304': { description: 'The policy has not changed since the ETag' },
            ...commonErrors,
          },
        },
      },
      '/v1/leads/changes': {
        get: {
          summary: 'Leads changed since a cursor; without a cursor, the full snapshot of the user\'s scope, paged',
          parameters: [
            { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000 } },
            { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
            acceptLanguage,
          ],
          responses: {
            '200': {
              description: 'A page of changes',
              headers: { ETag: { schema: { type: 'string' } }, 'LeadLens-Policy': policyTagHeader },
              content: json(ref('ChangesResponse')),
            },
            '304': { description: 'Nothing changed since the ETag', headers: { 'LeadLens-Policy': policyTagHeader } },
            ...commonErrors,
          },
        },
      },
      '/v1/leads/lookup': {
        get: {
          summary: 'The lead behind a CRM record, or behind an email address',
          parameters: [...['crm', 'objectType', 'recordId', 'email'].map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } })), acceptLanguage],
          responses: {
            '200': { description: 'The lead', content: json(ref('LookupResponse')) },
            '404': errorResponse('No lead behind that record'),
            ...commonErrors,
          },
        },
      },
      '/v1/leads/{id}': {
        get: {
          summary: 'A lead in detail: breakdown, timeline (newest first, paged), cooldowns, interests',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'timelineCursor', in: 'query', required: false, schema: { type: 'string' } },
            acceptLanguage,
          ],
          responses: { '200': { description: 'The lead', content: json(ref('LeadDetail')) }, '404': errorResponse('Unknown lead'), ...commonErrors },
        },
      },
      '/v1/leads/{id}/activities': {
        post: {
          summary: 'Log a call; a repeated Idempotency-Key returns the first answer',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } },
            acceptLanguage,
          ],
          requestBody: { required: true, content: json(ref('ActivityRequest')) },
          responses: { '201': { description: 'The event as stored', content: json(ref('ActivityResponse')) }, '400': errorResponse('Invalid body'), ...commonErrors },
        },
      },
      '/v1/leads/{id}/recycle': {
        post: {
          summary: 'Send the lead back to nurture; a repeated Idempotency-Key returns the first answer',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: json(ref('RecycleRequest')) },
          responses: { '202': { description: 'Accepted' }, '400': errorResponse('Invalid body'), ...commonErrors },
        },
      },
      ...extension?.paths,
    },
  };
}

export function renderOpenApi(extension?: OpenApiExtension): string {
  return `${JSON.stringify(buildOpenApi(extension), null, 2)}\n`;
}
