/**
 * API tokens: 32 random bytes, shown once, stored only as a sha256 hash. A presented token is
 * hashed and found by its hash (no string comparison against secrets in JS), then the stored
 * hash is compared in constant time as a second check.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'll_';

export const newToken = (): string => `${PREFIX}${randomBytes(32).toString('base64url')}`;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export function hashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** The token of an `Authorization: Bearer …` header, or undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]{1,512})[ \t]*$/i.exec(header ?? '');
  return m?.[1];
}

export const newId = (prefix: string): string => `${prefix}${randomBytes(12).toString('base64url')}`;
