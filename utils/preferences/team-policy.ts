/**
 * The team policy in force, and who provides each field. Precedence: the administrator's
 * enterprise policy (managed storage, field by field) > the team's policy served by the LeadLens
 * server (GET /v1/policy, fetched at each sync) > the rep's own settings (only when neither is
 * there, e.g. no server connected) > the defaults. A manager's rule change thus reaches every rep
 * at their next sync, and a rep can no longer drift from the team by editing their own copy.
 */
import { z } from 'zod';
import { TeamPolicyResponse } from '../api/contract';
import { serverPolicyItem, teamPolicyItem } from '../settings';
import { loadManagedPolicy, type ManagedPolicy, type ManagedTeamPolicy } from './managed';
import { parseTeamPolicy } from '../policy/schema';
import { DEFAULT_TEAM_POLICY, type TeamPolicy } from '../policy/team-policy';

/** The server's policy as stored by the background: the answer, its ETag and the server that sent it. */
export const ServerPolicyRecord = TeamPolicyResponse.extend({
  etag: z.string().optional(),
  /** The API URL it came from: a policy from another server (the rep switched) is not this team's. */
  apiUrl: z.string(),
  /** When it was fetched (epoch ms). */
  fetchedAt: z.number(),
});
export type ServerPolicyRecord = z.infer<typeof ServerPolicyRecord>;

/** The stored record, or undefined when there is none or it no longer parses. */
export function parseServerPolicy(value: unknown): ServerPolicyRecord | undefined {
  const parsed = ServerPolicyRecord.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export type PolicySource = 'admin' | 'server' | 'own';

export interface PolicyInForce {
  policy: TeamPolicy;
  /** Who provides the policy as a whole: the server when it serves one, else the rep's own settings. */
  base: 'server' | 'own';
  /** The fields the administrator pinned (they win over the base). */
  adminFields: ReadonlySet<keyof TeamPolicy>;
}

/** Pure precedence: enterprise field > server policy > the rep's own stored policy > defaults. */
export function resolveTeamPolicy(own: unknown, server: Pick<ServerPolicyRecord, 'policy'> | undefined, managed: ManagedTeamPolicy | undefined): PolicyInForce {
  const base = server ? server.policy : own === null || own === undefined ? DEFAULT_TEAM_POLICY : parseTeamPolicy(own);
  const admin = managed ?? {};
  const adminFields = new Set((Object.keys(admin) as (keyof TeamPolicy)[]).filter((key) => admin[key] !== undefined));
  return {
    policy: { ...base, ...admin, businessHours: { ...base.businessHours, ...admin.businessHours } },
    base: server ? 'server' : 'own',
    adminFields,
  };
}

export async function loadTeamPolicy(managedPolicy: () => Promise<ManagedPolicy> = () => loadManagedPolicy()): Promise<TeamPolicy> {
  const [stored, server, managed] = await Promise.all([teamPolicyItem.getValue(), serverPolicyItem.getValue(), managedPolicy()]);
  return resolveTeamPolicy(stored, parseServerPolicy(server), managed.teamPolicy).policy;
}
