/**
 * Errors of the scoring API as values: a kind and its parameters. The words are the UI's:
 * errorText() turns an error into a message key and parameters, which the popup, badge, options
 * page and panel translate (ja/en). `message` is the English sentence for logs and developers.
 * The client never throws past its boundary: every call resolves to ApiResult.
 */
import type { z } from 'zod';
import type { MessageKey } from '../i18n';

export type ApiError =
  /** `detail`: the server's own words from its error body, shown as text. */
  | { kind: 'unauthorized'; status: 401 | 403; detail?: string; message: string }
  | { kind: 'not_found'; status: 404; detail?: string; message: string }
  | { kind: 'rate_limited'; status: 429 | 503; retryAfterMs?: number; detail?: string; message: string }
  | { kind: 'server'; status: number; detail?: string; message: string }
  | { kind: 'unreachable'; url?: string; message: string }
  | { kind: 'timeout'; timeoutMs: number; message: string }
  | { kind: 'bad_shape'; message: string; issues: readonly string[] }
  | { kind: 'config'; reason?: 'not_a_url' | 'not_http' | 'no_token'; value?: string; message: string };

/** The cache could not take a page: the browser refused the write for lack of space. */
export interface StorageError {
  kind: 'storage';
  /** Epoch ms of the lead list kept. */
  asOf?: number;
  message: string;
}

export interface ErrorText {
  key: MessageKey;
  params: string[];
}

/** Every parameter any error kind carries, each optional: what a stored error may hold. */
interface LooseError {
  kind: string; message: string; detail?: string; status?: number; url?: string; timeoutMs?: number;
  issues?: readonly string[]; reason?: string; value?: string; asOf?: number;
}

/**
 * The message key and parameters for an error. `time` formats an instant in the reader's
 * locale. A stored sync error is worded from the error it wraps; one stored by an older version
 * (a kind and an English message only) falls back to its message.
 */
export function errorText(error: ApiError | StorageError | { kind: string; message: string; error?: ApiError | StorageError }, time: (ms: number) => string): ErrorText {
  // A sync state's stored error wraps the error with its parameters: word that one.
  const e = ('error' in error && error.error ? error.error : error) as LooseError;
  const detail = e.detail ? `: ${e.detail}` : '';
  switch (e.kind) {
    case 'unauthorized': return { key: 'errorUnauthorized', params: [detail] };
    case 'not_found': return { key: 'errorNotFound', params: [detail] };
    case 'rate_limited': return { key: e.status === 429 ? 'errorSlowDown' : 'errorUnavailable', params: [detail] };
    case 'server': if (typeof e.status === 'number') return { key: 'errorServer', params: [`${e.status}${detail}`] }; break;
    case 'unreachable': if (e.url) return { key: 'errorUnreachable', params: [e.url] }; break;
    case 'timeout': if (typeof e.timeoutMs === 'number') return { key: 'errorTimeout', params: [String(Math.round(e.timeoutMs / 1000))] }; break;
    case 'bad_shape': if (e.issues) return { key: 'errorBadShape', params: [summariseIssues(e.issues)] }; break;
    case 'config':
      if (e.reason === 'not_a_url') return { key: 'errorNotAUrl', params: [e.value ?? ''] };
      if (e.reason === 'not_http') return { key: 'errorNotHttps', params: [e.value ?? ''] };
      if (e.reason === 'no_token') return { key: 'errorNoToken', params: [] };
      break;
    case 'storage': if (typeof e.asOf === 'number') return { key: 'errorStorage', params: [time(e.asOf)] }; break;
  }
  return { key: 'errorOther', params: [e.message] };
}

/** "a; b; c (+2 more)": the first issues, which name the field and what is wrong with it. */
export function summariseIssues(issues: readonly string[]): string {
  return `${issues.slice(0, 3).join('; ')}${issues.length > 3 ? ` (+${issues.length - 3} more)` : ''}`;
}

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
