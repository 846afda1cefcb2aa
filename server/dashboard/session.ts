/**
 * Dashboard sign-in: the user's API token is exchanged once for a session cookie (HttpOnly, so
 * page scripts never hold a credential; SameSite=Strict, so no other site can send it). Only the
 * sha256 of the session id is stored, like API tokens.
 */
import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'll_session';
export const SESSION_HOURS = 12;

export const newSecret = (prefix = ''): string => `${prefix}${randomBytes(32).toString('base64url')}`;
/** API tokens look like the server's own: a prefix and 32 random bytes. */
export const newApiToken = (): string => newSecret('ll_');
export const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/app', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`, ...(secure ? ['Secure'] : [])].join('; ');
}
