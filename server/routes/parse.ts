import type { z } from 'zod';
import { HttpError } from '../errors';

/** Parses a request part with a zod schema; a failure is 400 naming the fields. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  throw new HttpError(400, 'invalid_request', issues);
}
