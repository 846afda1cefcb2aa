/**
 * When to retry a call to a source's REST API: 429 and 5xx (and network errors) are retried
 * with exponential backoff, honouring Retry-After (seconds or an HTTP date); other 4xx are not
 * (a wrong token does not get better by asking again). Pure, table-tested.
 */
export const MAX_ATTEMPTS = 5;
const BASE_MS = 1000;
const CAP_MS = 60_000;

export function isRetryable(status: number | 'network'): boolean {
  return status === 'network' || status === 429 || (status >= 500 && status <= 599);
}

/** Delay before attempt `attempt + 1` (attempt counts from 1), or undefined to give up. */
export function retryDelay(attempt: number, status: number | 'network', retryAfter: string | null | undefined, now: number): number | undefined {
  if (!isRetryable(status) || attempt >= MAX_ATTEMPTS) return undefined;
  const asked = retryAfterMs(retryAfter, now);
  if (asked !== undefined) return Math.min(asked, CAP_MS);
  return Math.min(BASE_MS * 2 ** (attempt - 1), CAP_MS);
}

/** A Retry-After header (seconds or an HTTP date) as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(retryAfter: string | null | undefined, now: number): number | undefined {
  if (!retryAfter) return undefined;
  const secs = Number(retryAfter);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}

export class SourceHttpError extends Error {
  constructor(readonly status: number | 'network', readonly body: string, readonly url: string) {
    super(`${url} answered ${status}: ${body.slice(0, 300)}`);
  }
}

export type FetchLike = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<Response>;

/** One call with the retry policy; `sleep` is injected so tests need no real waiting. */
export async function fetchWithRetry(
  fetchFn: FetchLike, url: string, init: Parameters<FetchLike>[1],
  opts: { sleep: (ms: number) => Promise<void>; now: () => number },
): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    let res: Response | undefined;
    let status: number | 'network';
    try {
      res = await fetchFn(url, init);
      if (res.ok) return res;
      status = res.status;
    } catch {
      status = 'network';
    }
    const body = res ? await res.text().catch(() => '') : '';
    const delay = retryDelay(attempt, status, res?.headers.get('retry-after'), opts.now());
    if (delay === undefined) throw new SourceHttpError(status, body, url);
    await opts.sleep(delay);
  }
}
