/** An error with an HTTP status and a stable code, answered as { error: { code, message } }. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, 'not_found', what);
