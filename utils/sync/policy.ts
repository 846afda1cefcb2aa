/**
 * The team policy from the server, kept current at each sync. The change feed names the
 * policy's current ETag in its LeadLens-Policy header, 304s included; GET /v1/policy (with
 * If-None-Match) is asked only when that differs from the ETag of the policy we hold. So an idle
 * poll stays one request, as before, while the feed's own ETag and cursor keep meaning "leads"
 * only; a manager's change costs one more request at the next poll. The answer is validated by
 * the client against the contract and stored in serverPolicyItem.
 *
 * What a failure does: offline, a timeout, a 5xx or a refused token keep the stored policy (it
 * holds offline, like the cache); a 404 means the server does not serve a policy (an older or a
 * third-party server) and the rep's own settings apply again; so does a feed without the header,
 * and no connection at all.
 */
import type { ScoringApiClient } from '../api/client';
import type { ApiError } from '../api/errors';
import type { Connection } from '../settings';
import { serverPolicyItem } from '../settings';
import { parseServerPolicy, type ServerPolicyRecord } from '../preferences/team-policy';

export interface PolicySyncDeps {
  loadConnection(): Promise<Connection | null>;
  createClient(connection: Connection): Pick<ScoringApiClient, 'teamPolicy'>;
  now(): number;
}

export type PolicySyncOutcome =
  /** A new or changed policy was stored. */
  | 'updated'
  /** Nothing to write (304, the same policy, or nothing stored and nothing served). */
  | 'unchanged'
  /** The stored policy was removed: no connection, or the server serves none. */
  | 'cleared'
  /** The request failed; the stored policy stays in force. */
  | 'kept';

export interface PolicySyncReport {
  outcome: PolicySyncOutcome;
  error?: ApiError;
}

const sameContent = (a: ServerPolicyRecord, b: ServerPolicyRecord): boolean =>
  JSON.stringify({ ...a, fetchedAt: 0 }) === JSON.stringify({ ...b, fetchedAt: 0 });

/**
 * `policyTag`: the feed's LeadLens-Policy header from this sync; null = the server sent none
 * (it serves no policy); undefined = unknown (ask, with If-None-Match).
 */
export async function syncTeamPolicy(deps: PolicySyncDeps, policyTag?: string | null): Promise<PolicySyncReport> {
  const [connection, raw] = await Promise.all([deps.loadConnection(), serverPolicyItem.getValue()]);
  const stored = parseServerPolicy(raw);
  const clear = async (): Promise<PolicySyncReport> => {
    if (raw === null) return { outcome: 'unchanged' };
    await serverPolicyItem.setValue(null);
    return { outcome: 'cleared' };
  };
  if (!connection || policyTag === null) return clear();
  // The ETag only means something to the server that issued it.
  const etag = stored?.apiUrl === connection.apiUrl ? stored.etag : undefined;
  if (policyTag !== undefined && etag === policyTag) return { outcome: 'unchanged' };
  const answer = await deps.createClient(connection).teamPolicy(etag);
  if (!answer.ok) {
    if (answer.error.kind === 'not_found') return clear();
    return { outcome: 'kept', error: answer.error };
  }
  if ('notModified' in answer.value) return { outcome: 'unchanged' };
  const next: ServerPolicyRecord = {
    ...answer.value.policy,
    ...(answer.value.etag ? { etag: answer.value.etag } : {}),
    apiUrl: connection.apiUrl,
    fetchedAt: deps.now(),
  };
  if (stored && sameContent(stored, next)) return { outcome: 'unchanged' };
  await serverPolicyItem.setValue(next);
  return { outcome: 'updated' };
}
