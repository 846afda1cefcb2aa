/**
 * The team policy a user is served (GET /v1/policy) and its ETag, which the change feed also
 * names in its LeadLens-Policy header: an idle poll (a 304) thus tells the extension whether the
 * policy changed, and GET /v1/policy is asked only when it did.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { TeamPolicyResponse } from '../../utils/api/contract';
import type { Database } from '../db/schema';
import { teamPolicyOf } from '../scoring/policy';
import type { UserCtx } from './context';
import { rulesForUser } from './rules-store';

export async function policyFor(db: Kysely<Database>, user: Pick<UserCtx, 'orgId' | 'team'>): Promise<{ body: TeamPolicyResponse; etag: string }> {
  const current = await rulesForUser(db, user);
  const body: TeamPolicyResponse = {
    policy: teamPolicyOf(current.rules),
    version: current.version,
    ...(current.createdAt !== undefined ? { updatedAt: new Date(current.createdAt).toISOString() } : {}),
    team: current.team || null,
  };
  // The body itself is the validator: a new rule version that leaves the policy as it was
  // still changes `version`, and a server upgrade that maps differently changes the hash.
  const etag = `"p-${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22)}"`;
  return { body, etag };
}
