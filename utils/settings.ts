/**
 * Where the connection lives. The token and the connection are in the extension's own IndexedDB
 * (utils/trusted-store.ts): never storage.sync (it must not roam to other browsers), never
 * storage.local (content scripts can read that). The background reads them; pages ask it.
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { loadManagedPolicy } from './preferences/managed';
import { trustedItem } from './trusted-store';

export const Connection = z.object({
  apiUrl: z.string(),
  token: z.string(),
});
export type Connection = z.infer<typeof Connection>;

export const connectionItem = trustedItem<Connection | null>('connection', null);

/** The saved connection; an administrator's API URL (enterprise policy) wins over the saved one. */
export async function loadConnection(managedApiUrl: () => Promise<string | undefined> = async () => (await loadManagedPolicy()).apiUrl): Promise<Connection | null> {
  const [stored, adminUrl] = await Promise.all([connectionItem.getValue(), managedApiUrl()]);
  const parsed = Connection.safeParse(stored);
  if (!parsed.success || !parsed.data.token) return null;
  const apiUrl = adminUrl ? adminUrl.replace(/\/+$/, '') : parsed.data.apiUrl;
  return apiUrl ? { apiUrl, token: parsed.data.token } : null;
}

export interface ConnectionCheck {
  user?: { id: string; name: string; email: string };
  lastError?: string;
}

/** What the last connection check found: who we are signed in as, or what went wrong. */
export const connectionStatusItem = trustedItem<ConnectionCheck>('connectionStatus', {});


export const DEFAULT_POLL_SECONDS = 60;
/** Chrome fires alarms of a packed MV3 extension at most every 30 s; unpacked ones (tests) may go lower. */
export const MIN_POLL_SECONDS = 30;

/** How often the background polls the scoring API. */
export const pollSecondsItem = storage.defineItem<number>('local:pollSeconds', { fallback: DEFAULT_POLL_SECONDS });

/** The team's cooldown policy as edited on the settings page (validated by utils/policy/schema). */
export const teamPolicyItem = storage.defineItem<unknown>('sync:teamPolicy', { fallback: null });

/**
 * The team policy the LeadLens server serves (GET /v1/policy), as the background last fetched
 * it (validated by utils/preferences/team-policy.ts). Local, not sync: it belongs to this
 * browser's connection and must not roam to a browser connected elsewhere, or to none.
 */
export const serverPolicyItem = storage.defineItem<unknown>('local:serverTeamPolicy', { fallback: null });
