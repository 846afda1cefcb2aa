/**
 * Everything the settings page shows, read once when it opens. The options page is a trusted
 * extension page: it reads and writes the settings through the storage helpers directly; only the
 * connection (the API token) goes through the background.
 */
import { ask, type ConnectionStatus, type LeadNames, type MessageTransport } from '../../utils/messaging';
import { DEFAULT_TEAM_POLICY, type TeamPolicy } from '../../utils/policy/cooldowns';
import { parseTeamPolicy } from '../../utils/policy/schema';
import { customRulesItem } from '../../utils/crm/custom-storage';
import { loadManagedPolicy, type DroppedPolicyField, type ManagedPolicy } from '../../utils/preferences/managed';
import type { PreferenceIssue, Preferences } from '../../utils/preferences/schema';
import { loadPreferences } from '../../utils/preferences/storage';
import { parseServerPolicy, type ServerPolicyRecord } from '../../utils/preferences/team-policy';
import { DEFAULT_POLL_SECONDS, pollSecondsItem, serverPolicyItem, teamPolicyItem } from '../../utils/settings';

export interface OptionsData {
  /** undefined when the background did not answer (the connection section then starts empty). */
  status?: ConnectionStatus;
  prefs: Preferences;
  /** Stored preferences that were invalid and are shown at their defaults. */
  prefsReset: PreferenceIssue[];
  managed: ManagedPolicy;
  managedDropped: DroppedPolicyField[];
  /** The rep's own team policy, before the administrator's fields are laid over it. */
  teamPolicy: TeamPolicy;
  /** The team's policy as the LeadLens server last served it (the background fetches it at each sync). */
  serverPolicy?: ServerPolicyRecord;
  pollSeconds: number;
  /** The rep's custom CRM rules as stored (each is validated where it is shown). */
  customRules: unknown[];
  /** Names of the followed and muted leads the cache knows (the lists show names, not ids). */
  leadNames: LeadNames;
}

export async function loadOptionsData(transport: MessageTransport): Promise<OptionsData> {
  const managedDropped: DroppedPolicyField[] = [];
  const [status, preferences, managed, storedPolicy, pollSeconds, customRules, serverPolicy] = await Promise.all([
    ask(transport, { type: 'status' }).catch(() => undefined),
    loadPreferences(),
    loadManagedPolicy(undefined, (dropped) => managedDropped.push(...dropped)),
    teamPolicyItem.getValue().catch(() => null),
    pollSecondsItem.getValue().catch(() => DEFAULT_POLL_SECONDS),
    customRulesItem.getValue().catch((): unknown[] => []),
    serverPolicyItem.getValue().then(parseServerPolicy, () => undefined),
  ]);
  const listed = [...preferences.prefs.followed, ...preferences.prefs.muted];
  const leadNames = listed.length ? await ask(transport, { type: 'leadNames', ids: listed.slice(0, 200) }).catch((): LeadNames => ({})) : {};
  return {
    ...(status ? { status } : {}),
    leadNames,
    prefs: preferences.prefs,
    prefsReset: preferences.dropped,
    managed,
    managedDropped,
    teamPolicy: storedPolicy === null ? DEFAULT_TEAM_POLICY : parseTeamPolicy(storedPolicy),
    ...(serverPolicy ? { serverPolicy } : {}),
    pollSeconds: typeof pollSeconds === 'number' && Number.isFinite(pollSeconds) ? pollSeconds : DEFAULT_POLL_SECONDS,
    customRules: Array.isArray(customRules) ? customRules : [],
  };
}
