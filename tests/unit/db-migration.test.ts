// A database written by an earlier schema version opens under the current code with nothing
// lost. Each published version stays in SCHEMA_VERSIONS; this test writes with version 1 only
// and reads with everything the code declares today.
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { findByRef } from '../../utils/db/queries';
import { openDb, SCHEMA_VERSIONS, toLeadRow } from '../../utils/db/schema';
import { lead, NOW } from './db-helpers';

describe('IndexedDB schema migrations', () => {
  it('keeps the versions in order, starting at 1', () => {
    const versions = Object.keys(SCHEMA_VERSIONS).map(Number);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('opens a version-1 database with its leads, details, sync state and outbox intact', async () => {
    const v1 = new Dexie('leadlens-migration');
    v1.version(1).stores(SCHEMA_VERSIONS[1] ?? {});
    const summary = lead('L1', { band: 'hot', email: 'taro@acme.example.jp' });
    // Version 1 keyed a ref as "crm|objectType|recordId".
    await v1.table('leads').put({ ...toLeadRow(summary, 'u-sato', new Set()), refKeys: [`salesforce|Lead|${summary.crmRefs[0]?.recordId}`] });
    await v1.table('details').put({ id: 'L1', detail: { ...summary, breakdown: [], timeline: [], cooldowns: [], interests: [] }, fetchedAt: NOW, lastViewedAt: NOW });
    await v1.table('syncState').put({ key: 'main', apiUrl: 'https://api.test', tokenKey: 'abc', cursor: 'c-42', snapshotComplete: true, status: 'ok', failures: 0, leadsReceived: 1, skippedTotal: 0, recentSkipped: [] });
    await v1.table('outbox').put({ key: 'idem-1', kind: 'activity', leadId: 'L1', body: { type: 'call', outcome: 'no_answer', at: new Date(NOW).toISOString() }, createdAt: NOW, status: 'pending', attempts: 0 });
    v1.close();

    const current = openDb('leadlens-migration');
    await current.open();
    expect(current.verno).toBe(Math.max(...Object.keys(SCHEMA_VERSIONS).map(Number)));
    expect((await findByRef(current, 'salesforce', 'Lead', summary.crmRefs[0]?.recordId ?? '', 'acme.my.salesforce.com'))?.summary).toEqual(summary);
    expect((await current.details.get('L1'))?.detail.id).toBe('L1');
    expect((await current.syncState.get('main'))?.cursor).toBe('c-42');
    expect(await current.outbox.where('status').equals('pending').count()).toBe(1);
    current.close();
  });

  it('re-keys version-1 leads with their tenant (version 2): a ref with a host matches only its tenant', async () => {
    const v1 = new Dexie('leadlens-migration-tenant');
    v1.version(1).stores(SCHEMA_VERSIONS[1] ?? {});
    const kintone = { crm: 'kintone' as const, objectType: '12', recordId: '34' };
    const ours = lead('OURS', { crmRefs: [{ ...kintone, host: 'acme.cybozu.com' }] });
    const anyTenant = lead('ANY', { crmRefs: [{ ...kintone, recordId: '35' }, { crm: 'hubspot', objectType: '0-1', recordId: '51', host: '4455667' }] });
    await v1.table('leads').bulkPut([
      { ...toLeadRow(ours, undefined, new Set()), refKeys: ['kintone|12|34'] },
      { ...toLeadRow(anyTenant, undefined, new Set()), refKeys: ['kintone|12|35', 'hubspot|0-1|51'] },
    ]);
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
