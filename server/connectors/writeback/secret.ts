/**
 * A credential in the write-back config: `{ "env": "NAME" }` reads it from the environment when
 * the config is parsed (the config file then holds no secret), or the value itself for tests.
 * A missing variable fails the start with its name, never its value.
 */
import { z } from 'zod';

export function secret(env: NodeJS.ProcessEnv = process.env) {
  return z.union([z.string().min(1), z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name') })])
    .transform((v, ctx) => {
      if (typeof v === 'string') return v;
      const value = env[v.env];
      if (!value) {
        ctx.addIssue({ code: 'custom', message: `environment variable ${v.env} is not set` });
        return z.NEVER;
      }
      return value;
    });
}
