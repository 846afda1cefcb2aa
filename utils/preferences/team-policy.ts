/** The team policy in force: the settings page's, with anything the administrator set on top. */
import { teamPolicyItem } from '../settings';
import { loadManagedPolicy, type ManagedPolicy } from './managed';
import { parseTeamPolicy } from '../policy/schema';
import { DEFAULT_TEAM_POLICY, type TeamPolicy } from '../policy/team-policy';

export async function loadTeamPolicy(managedPolicy: () => Promise<ManagedPolicy> = () => loadManagedPolicy()): Promise<TeamPolicy> {
  const [stored, managed] = await Promise.all([teamPolicyItem.getValue(), managedPolicy()]);
  const local = stored === null ? DEFAULT_TEAM_POLICY : parseTeamPolicy(stored);
  const admin = managed.teamPolicy ?? {};
  return { ...local, ...admin, businessHours: { ...local.businessHours, ...admin.businessHours } };
}
