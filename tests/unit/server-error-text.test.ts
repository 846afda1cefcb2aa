// @vitest-environment node
/**
 * The server's error sentences in the asker's language: a Japanese extension puts them after its
 * own Japanese sentence (badge tooltip, popup), so a fixed English sentence there is a bug.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessageIn } from '../../server/errors';
import { newOrg, openEngine, type Org } from './server-harness';
import type { DbHandle } from '../../server/db/connect';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every fixed sentence a route throws: `new HttpError(4xx, 'code', '…')` and `notFound('…')`. */
const THROWN = [...new Set(sources('server').flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/new HttpError\(\d+, '[a-z_]+', '([^']+)'/g), ...text.matchAll(/notFound\('([^']+)'\)/g)].map((m) => m[1] ?? '');
}))];

describe('error sentences', () => {
  it('finds the thrown sentences (the scan itself works)', () => {
    expect(THROWN).toContain('missing or invalid bearer token');
    expect(THROWN).toContain('no lead behind that record');
    expect(THROWN.length).toBeGreaterThan(20);
  });

  it.each(THROWN.map((s) => [s]))('"%s" has Japanese words', (sentence) => {
    const ja = errorMessageIn(sentence, 'ja');
    expect(ja).not.toBe(sentence);
    // Header and field names are the protocol's own (Idempotency-Key, application/json, crm…).
    const words = (ja.replace(/Idempotency-Key|application\/json|crm|objectType|recordId|host|email|ID/g, '').match(/\p{Script=Latin}+/gu) ?? []);
    expect(words).toEqual([]);
  });

  it('names the roles in Japanese in the one sentence made at run time, and leaves English alone', () => {
    expect(errorMessageIn('this needs a manager or admin token', 'ja')).toBe('マネージャーまたは管理者のトークンが必要です');
    expect(errorMessageIn('this needs a manager or admin token', 'en')).toBe('this needs a manager or admin token');
    expect(errorMessageIn('leads[3].name: Required', 'ja')).toBe('leads[3].name: Required');
  });
});

describe('over HTTP', () => {
  let handle: DbHandle;
  let org: Org;
  beforeAll(async () => {
    handle = await openEngine('pglite');
    org = await newOrg(handle);
  }, 120_000);
  afterAll(async () => {
    await org.app.close();
    await handle.close();
  });

  it('answers in the language asked for, English by default', async () => {
    const ja = await org.get('/v1/me', 'not-a-token', { 'accept-language': 'ja,en-US;q=0.8' });
    expect(ja.statusCode).toBe(401);
    expect(ja.json()).toEqual({ error: { code: 'unauthorized', message: 'トークンがないか、無効です' } });
    const en = await org.get('/v1/me', 'not-a-token');
    expect(en.json()).toEqual({ error: { code: 'unauthorized', message: 'missing or invalid bearer token' } });
    const rep = (await org.user({ name: 'Rep', email: 'rep@err.test', role: 'rep', team: 'east' })).token;
    const forbidden = await org.get('/v1/admin/users', rep, { 'accept-language': 'ja' });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.message).toMatch(/^[^A-Za-z]+$/);
  });
});
