/**
 * The team policy from the server, kept current: fetched with each sync (GET /v1/policy with
 * If-None-Match, so an unchanged policy costs one 304 and writes nothing), validated by the
 * client against the contract, stored in serverPolicyItem. A separate request with its own ETag
 * rather than a field of the change feed: the feed's ETag and cursor then keep meaning "leads"
 * only, and an idle poll still costs no body at all.
 *
 * What a failure does: offline, a timeout, a 5xx or a refused token keep the stored policy (it
 * holds offline, like the cache); a 404 means the server does not serve a policy (an older or a
 * third-party server) and the rep's own settings apply again; no connection at all likewise.
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

export async function syncTeamPolicy(deps: PolicySyncDeps): Promise<PolicySyncReport> {
  const [connection, raw] = await Promise.all([deps.loadConnection(), serverPolicyItem.getValue()]);
  const stored = parseServerPolicy(raw);
  const clear = async (): Promise<PolicySyncReport> => {
    if (raw === null) return { outcome: 'unchanged' };
    await serverPolicyItem.setValue(null);
    return { outcome: 'cleared' };
  };
  if (!connection) return clear();
  // The ETag only means something to the server that issued it.
  const etag = stored?.apiUrl === connection.apiUrl ? stored.etag : undefined;
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
