/**
 * Where the connection lives. The token stays in storage.local (never sync: it must not roam
 * to other browsers) and is read only by the background.
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';

export const Connection = z.object({
  apiUrl: z.string(),
  token: z.string(),
});
export type Connection = z.infer<typeof Connection>;

export const connectionItem = storage.defineItem<Connection | null>('local:connection', {
  fallback: null,
  version: 1,
});

export async function loadConnection(): Promise<Connection | null> {
  const parsed = Connection.safeParse(await connectionItem.getValue());
  return parsed.success && parsed.data.apiUrl && parsed.data.token ? parsed.data : null;
}

/** What the last connection check found: who we are signed in as, or what went wrong. */
export const connectionStatusItem = storage.defineItem<{ user?: { id: string; name: string; email: string }; lastError?: string }>(
  'local:connectionStatus',
  { fallback: {} },
);


export const DEFAULT_POLL_SECONDS = 60;
/** Chrome fires alarms of a packed MV3 extension at most every 30 s; unpacked ones (tests) may go lower. */
export const MIN_POLL_SECONDS = 30;

/** How often the background polls the scoring API. */
export const pollSecondsItem = storage.defineItem<number>('local:pollSeconds', { fallback: DEFAULT_POLL_SECONDS });

/** The team's cooldown policy as edited on the settings page (validated by utils/policy/schema). */
export const teamPolicyItem = storage.defineItem<unknown>('sync:teamPolicy', { fallback: null });
