/**
 * Errors of the scoring API as values, each with a message a salesperson can read.
 * The client never throws past its boundary: every call resolves to ApiResult.
 */
import type { z } from 'zod';

export type ApiError =
  | { kind: 'unauthorized'; status: 401 | 403; message: string }
  | { kind: 'not_found'; status: 404; message: string }
  | { kind: 'rate_limited'; status: 429 | 503; retryAfterMs?: number; message: string }
  | { kind: 'server'; status: number; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'timeout'; timeoutMs: number; message: string }
  | { kind: 'bad_shape'; message: string; issues: readonly string[] }
  | { kind: 'config'; message: string };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
export const fail = <T = never>(error: ApiError): ApiResult<T> => ({ ok: false, error });

/** `leads[3].score` from a zod path. */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** One line per issue: "leads[3].score must be a number". */
export function describeIssues(issues: ReadonlyArray<z.core.$ZodIssue>, prefix = ''): string[] {
  return issues.map((issue) => `${formatPath(issue.path, prefix)} ${issueText(issue)}`);
}

function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // zod leaves `input` out of issues unless asked; its message still names what it got.
      return /received undefined$/.test(issue.message) ? 'is missing' : `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return `must be ${issue.format === 'datetime' ? 'an ISO 8601 date-time' : `a valid ${issue.format}`}`;
    default:
      return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  }
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
