import { describe, expect, it } from 'vitest';
import type { ConnectionStatus, SyncStatusView } from '../../utils/messaging';
import { firstSyncUnderway } from '../../utils/popup/first-sync';

const sync = (patch: Partial<SyncStatusView>): SyncStatusView => ({ status: 'ok', running: false, leads: 0, skippedTotal: 0, recentSkipped: [], snapshotComplete: false, ...patch });
const connected: ConnectionStatus = { apiUrl: 'https://api.test', hasToken: true };

describe('firstSyncUnderway', () => {
  it.each<[string, ConnectionStatus | undefined, boolean]>([
    ['status not known yet', undefined, false],
    ['not connected', { apiUrl: '', hasToken: false }, false],
    ['no token', { apiUrl: 'https://api.test', hasToken: false }, false],
    ['connected, no sync yet', connected, true],
    ['connected, the connection test failed', { ...connected, lastError: 'Cannot reach https://api.test' }, false],
    ['first pages in (lastSuccessAt set, snapshot not complete)', { ...connected, sync: sync({ lastSuccessAt: 1, leads: 500, running: true }) }, true],
    ['first sync failed half-way', { ...connected, sync: sync({ status: 'stale', leads: 500 }) }, true],
    ['snapshot complete', { ...connected, sync: sync({ snapshotComplete: true, lastSuccessAt: 1, leads: 600 }) }, false],
  ])('%s → %s', (_case, status, expected) => expect(firstSyncUnderway(status)).toBe(expected));
});
