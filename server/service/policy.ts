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
import { cachedRules, type RulesVersions, type StoredRules } from './rules-store';

export interface ServedPolicy {
  body: TeamPolicyResponse;
  etag: string;
}

// One body and hash per cached rule set: the idle poll, the most frequent request, names the ETag.
const served = new WeakMap<StoredRules, ServedPolicy>();

export function policyOf(current: StoredRules & { team: string }): ServedPolicy {
  const known = served.get(current);
  if (known) return known;
  const body: TeamPolicyResponse = {
    policy: teamPolicyOf(current.rules),
    version: current.version,
    ...(current.createdAt !== undefined ? { updatedAt: new Date(current.createdAt).toISOString() } : {}),
    team: current.team || null,
  };
  // The body itself is the validator: a new rule version that leaves the policy as it was
  // still changes `version`, and a server upgrade that maps differently changes the hash.
  const etag = `"p-${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22)}"`;
  const answer = { body, etag };
  served.set(current, answer);
  return answer;
}

/** The policy for the rule versions the request's auth query read (server/service/users.ts). */
export async function policyFor(db: Kysely<Database>, user: Pick<UserCtx, 'orgId' | 'team'>, versions: RulesVersions): Promise<ServedPolicy> {
  return policyOf(await cachedRules(db, user.orgId, user.team, versions));
}
