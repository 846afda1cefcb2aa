// A database written by the previous schema's own code opens under the current code with
// nothing lost. Version 1 is frozen in utils/db/versions/v1.ts: its stores and the row it wrote.
// The rows are written by that code, through a Dexie that knows only version 1; the current code
// then opens the same database (running every upgrade) and answers every question the badge,
// the panel and the lookup ask. Expected answers are worked out by hand from the rows below.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countHotCallable, endingSoon, findByEmail, findByRef, leadsOwnedBy } from '../../utils/db/queries';
import { openDb, SCHEMA_VERSIONS, toLeadRow } from '../../utils/db/schema';
import { leadRowV1, openV1, V1_STORES } from '../../utils/db/versions/v1';
import { lead, MIN, NOW } from './db-helpers';

const iso = (ms: number) => new Date(ms).toISOString();

describe('IndexedDB schema migrations', () => {
  it('keeps the versions in order, starting at the frozen version 1', () => {
    const versions = Object.keys(SCHEMA_VERSIONS).map(Number);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(SCHEMA_VERSIONS[1]).toBe(V1_STORES);
  });

  it('version 1 stays as it shipped (a change is a new version, not an edit)', () => {
    const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../utils/db/versions/v1.ts'));
    expect(createHash('sha256').update(source).digest('hex')).toBe('65107188b2b5133aaf60692eab72d5da26a0ecf819f17f36fc4f6ceb3c38fbdc');
  });

  it('opens a database written by version 1 with its leads, details, sync state and outbox intact and queryable', async () => {
    const followed = new Set(['L3']);
    const leads = [
      // Mine, hot, callable, window opened 100 min ago (ends in 20 min with a 120 min window).
      lead('L1', { band: 'hot', email: ' Taro@ACME.example.jp ', needDetectedAt: iso(NOW - 100 * MIN),
        crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' }, { crm: 'kintone', objectType: '12', recordId: '345' }] }),
      // Mine, hot, but in a cooldown for another hour: not callable.
      lead('L2', { band: 'hot', cooldownUntil: iso(NOW + 60 * MIN) }),
      // Someone else's, followed by me, hot and callable.
      lead('L3', { band: 'hot', owner: { id: 'u-other', name: '鈴木' } }),
      // Someone else's, not followed.
      lead('L4', { band: 'hot', owner: { id: 'u-other', name: '鈴木' } }),
      lead('L5', { band: 'warm' }),
    ];

    const v1 = openV1('leadlens-migration');
    await v1.table('leads').bulkPut(leads.map((summary) => leadRowV1(summary, 'u-sato', followed)));
    await v1.table('details').put({ id: 'L1', detail: { ...leads[0], breakdown: [], timeline: [], cooldowns: [], interests: [] }, fetchedAt: NOW, lastViewedAt: NOW });
    await v1.table('syncState').put({ key: 'main', apiUrl: 'https://api.test', tokenKey: 'abc', cursor: 'c-42', snapshotComplete: true, status: 'ok', failures: 0, leadsReceived: 5, skippedTotal: 0, recentSkipped: [] });
    await v1.table('outbox').put({ key: 'idem-1', kind: 'activity', leadId: 'L1', body: { type: 'call', outcome: 'no_answer', at: iso(NOW) }, createdAt: NOW, status: 'pending', attempts: 0 });
    await v1.table('notified').put({ key: `L1@${iso(NOW - 100 * MIN)}`, at: NOW - 99 * MIN });
    v1.close();

    const current = openDb('leadlens-migration');
    await current.open();
    expect(current.verno).toBe(Math.max(...Object.keys(SCHEMA_VERSIONS).map(Number)));

    expect((await findByRef(current, 'salesforce', 'Lead', '00Q5g00000AbCdEEAV', 'acme.my.salesforce.com'))?.id).toBe('L1');
    expect((await findByRef(current, 'kintone', '12', '345', 'acme.cybozu.com'))?.id).toBe('L1');
    expect((await findByEmail(current, 'taro@acme.example.jp'))?.id).toBe('L1');
    expect(await countHotCallable(current, NOW)).toBe(2); // L1 and L3
    expect(await countHotCallable(current, NOW + 61 * MIN)).toBe(3); // L2's cooldown is over
    expect((await endingSoon(current, NOW, 120 * MIN).toArray()).map((row) => row.id)).toEqual(['L1']);
    expect((await leadsOwnedBy(current, 'u-other').toArray()).map((row) => row.id).sort()).toEqual(['L3', 'L4']);
    expect((await current.details.get('L1'))?.detail.email).toBe(' Taro@ACME.example.jp ');
    expect((await current.syncState.get('main'))?.cursor).toBe('c-42');
    expect(await current.outbox.where('status').equals('pending').count()).toBe(1);
    expect(await current.notified.count()).toBe(1);

    // After the upgrade every row has the shape the current code writes.
    for (const row of await current.leads.toArray()) expect(row).toEqual(toLeadRow(row.summary, 'u-sato', followed));
    current.close();
  });
  it('re-keys version-1 leads with their tenant (version 2): a ref with a host matches only its tenant', async () => {
    const kintone = { crm: 'kintone' as const, objectType: '12', recordId: '34' };
    const ours = lead('OURS', { crmRefs: [{ ...kintone, host: 'acme.cybozu.com' }] });
    const anyTenant = lead('ANY', { crmRefs: [{ ...kintone, recordId: '35' }, { crm: 'hubspot', objectType: '0-1', recordId: '51', host: '4455667' }] });
    const v1 = openV1('leadlens-migration-tenant');
    await v1.table('leads').bulkPut([leadRowV1(ours, undefined, new Set()), leadRowV1(anyTenant, undefined, new Set())]);
    // What version 1 wrote: keys without the tenant.
    expect((await v1.table('leads').get('OURS')).refKeys).toEqual(['kintone|12|34']);
    v1.close();

    const current = openDb('leadlens-migration-tenant');
    await current.open();
    expect((await current.leads.get('OURS'))?.refKeys).toEqual(['kintone|12|34|acme.cybozu.com']);
    expect((await current.leads.get('ANY'))?.refKeys).toEqual(['kintone|12|35|', 'hubspot|0-1|51|4455667']);
    expect((await findByRef(current, 'kintone', '12', '34', 'acme.cybozu.com'))?.id).toBe('OURS');
    expect(await findByRef(current, 'kintone', '12', '34', 'partner.cybozu.com')).toBeUndefined();
    expect((await findByRef(current, 'kintone', '12', '35', 'partner.cybozu.com'))?.id).toBe('ANY');
    expect(await findByRef(current, 'hubspot', '0-1', '51', '9999999')).toBeUndefined();
    current.close();
  });
});
