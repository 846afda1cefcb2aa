// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../utils/api/openapi';
import { renderServerOpenApi } from '../../server/openapi';

describe('published contract', () => {
  it('docs/openapi.json matches utils/api/contract.ts and the server routes (run `npm run contract` when this fails)', () => {
    const committed = readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderServerOpenApi());
  });

  it('publishes every call of the contract', () => {
    const doc = JSON.parse(renderOpenApi()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/leads/changes', '/v1/leads/lookup', '/v1/leads/{id}', '/v1/leads/{id}/activities',
      '/v1/leads/{id}/recycle', '/v1/me', '/v1/policy',
    ]);
  });

  it('publishes the server\'s ingest and admin routes with their schemas', () => {
    const doc = JSON.parse(renderServerOpenApi()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/healthz', '/v1/ingest/leads', '/v1/ingest/events', '/v1/admin/users', '/v1/admin/users/{id}/tokens', '/v1/admin/scoring',
    ]));
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['IngestEvent', 'IngestLead', 'ScoringRules', 'NewUser', 'LeadSummary']));
  });
});
