// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../utils/api/openapi';

describe('published contract', () => {
  it('docs/openapi.json matches utils/api/contract.ts (run `npm run contract` when this fails)', () => {
    const committed = readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderOpenApi());
  });

  it('publishes every call of the contract', () => {
    const doc = JSON.parse(renderOpenApi()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/leads/changes', '/v1/leads/lookup', '/v1/leads/{id}', '/v1/leads/{id}/activities',
      '/v1/leads/{id}/recycle', '/v1/me',
    ]);
  });
});
