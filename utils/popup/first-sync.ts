/**
 * Whether the popup's lists are still the first sync's partial pages: connected, and the first
 * full snapshot not yet paged through (or not even started). Then a count is "so far" and an
 * empty list means "not yet", not "none".
 */
import type { ConnectionStatus } from '../messaging';

export function firstSyncUnderway(status: ConnectionStatus | undefined): boolean {
  if (!status?.apiUrl || !status.hasToken) return false;
  // Never synced and the connection itself failed: that problem is the news, not a sync.
  if (!status.sync) return !status.lastError;
  return !status.sync.snapshotComplete;
}
