// @vitest-environment node
/**
 * The story data set: deterministic, big enough, every CRM present with realistic ids and URLs,
 * and, scored by the server's own model (server/scoring), the featured leads tell their stories
 * and every sales situation the personas stand for is present.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CrmRef } from '../../utils/api/contract';
import { createDataset, DEMO_USER, FEATURED, mulberry32, salesforceChecksum, type Dataset, type DatasetLead } from '../../demo/story/dataset';
import { scoreLead, type LeadScore } from '../../server/scoring/model';
import { DEFAULT_RULES } from '../../server/scoring/rules';
import { render } from '../../server/scoring/text';

/** Tuesday 2025-07-29 14:00 JST. */
const NOW = new Date('2025-07-29T05:00:00Z');
const H = 3_600_000;
const hash = (ds: Dataset): string => createHash('sha256').update(JSON.stringify(ds)).digest('hex');

let ds: Dataset;

/** A story lead as the server scores it now, with its owner and refs. */
type Scored = LeadScore & { id: string; owner?: { id: string }; crmRefs: CrmRef[]; needText?: string };
const score = (lead: DatasetLead, events = lead.events): Scored => {
  const scored = scoreLead(lead.profile, events, NOW.getTime(), DEFAULT_RULES);
  return {
    ...scored, id: lead.profile.id, crmRefs: lead.profile.crmRefs,
    ...(lead.profile.owner ? { owner: lead.profile.owner } : {}),
    ...(scored.needReason ? { needText: render(scored.needReason, 'en') } : {}),
  };
};

beforeAll(() => {
  ds = createDataset({ seed: 7, now: NOW });
});

describe('createDataset', () => {
  it('is deterministic: same seed and now → identical JSON; another seed differs', () => {
    const again = createDataset({ seed: 7, now: NOW });
    expect(hash(again)).toBe(hash(ds));
    expect(hash(createDataset({ seed: 8, now: NOW, leadCount: 2000 }))).not.toBe(hash(ds));
    const a = mulberry32(1);
    const b = mulberry32(1);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  // How long generation takes is measured by `npm run bench` (demoDataset), not asserted here.
  it('has ≥ 2000 leads and ≥ 50,000 events by default', () => {
    expect(ds.leads.length).toBeGreaterThanOrEqual(2000);
    const events = ds.leads.reduce((n, l) => n + l.events.length, 0);
    expect(events).toBeGreaterThanOrEqual(50_000);
  });

  it('honours leadCount and never dates an event after now', () => {
    const small = createDataset({ seed: 1, now: NOW, leadCount: 50 });
    expect(small.leads).toHaveLength(50);
    expect(ds.leads.every((l) => l.events.every((e) => e.at <= NOW.getTime()))).toBe(true);
  });

  it('mixes Japanese and English names; ~8 owners including the demo user', () => {
    const japanese = ds.leads.filter((l) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(l.profile.name)).length;
    expect(japanese / ds.leads.length).toBeGreaterThan(0.6);
    expect(japanese / ds.leads.length).toBeLessThan(0.8);
    const owners = new Set(ds.leads.map((l) => l.profile.owner?.id).filter(Boolean));
    expect(owners.size).toBe(8);
    expect(ds.users).toContainEqual(DEMO_USER);
    expect(DEMO_USER).toEqual({ id: 'u-sato', name: '佐藤 健', email: 'sato@example.jp' });
  });

  it('has refs in all five CRMs, 1–2 per lead, unique, with realistic ids and URLs', () => {
    const seen = new Set<string>();
    const byCrm = new Map<string, CrmRef[]>();
    for (const l of ds.leads) {
      expect(l.profile.crmRefs.length).toBeGreaterThanOrEqual(1);
      expect(l.profile.crmRefs.length).toBeLessThanOrEqual(2);
      for (const r of l.profile.crmRefs) {
        const key = `${r.crm}|${r.objectType}|${r.recordId}`;
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        byCrm.set(r.crm, [...(byCrm.get(r.crm) ?? []), r]);
      }
    }
    expect([...byCrm.keys()].sort()).toEqual(['dynamics', 'hubspot', 'kintone', 'salesforce', 'zoho']);
    const prefix: Record<string, string> = { Lead: '00Q', Contact: '003', Account: '001', Opportunity: '006' };
    for (const r of byCrm.get('salesforce') ?? []) {
      expect(r.recordId).toMatch(/^[0-9A-Za-z]{18}$/);
      expect(r.recordId.startsWith(prefix[r.objectType] ?? '?')).toBe(true);
      expect(salesforceChecksum(r.recordId.slice(0, 15))).toBe(r.recordId);
      expect(r.url).toBe(`https://leadlens-demo.lightning.force.com/lightning/r/${r.objectType}/${r.recordId}/view`);
    }
    for (const r of byCrm.get('kintone') ?? []) {
      expect(r.objectType).toBe('12');
      expect(r.url).toBe(`https://leadlens-demo.cybozu.com/k/12/show#record=${r.recordId}`);
    }
    for (const r of byCrm.get('hubspot') ?? []) {
      expect(r.objectType).toBe('0-1');
      expect(r.recordId).toMatch(/^\d+$/);
      expect(r.url).toBe(`https://app.hubspot.com/contacts/4455667/record/0-1/${r.recordId}`);
    }
    for (const r of byCrm.get('dynamics') ?? []) {
      expect(['lead', 'contact']).toContain(r.objectType);
      expect(r.recordId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.url).toBe(`https://leadlens-demo.crm7.dynamics.com/main.aspx?appid=8f0d2b1e-0000-4000-8000-000000000001&pagetype=entityrecord&etn=${r.objectType}&id=${r.recordId}`);
    }
    for (const r of byCrm.get('zoho') ?? []) {
      expect(['Leads', 'Contacts']).toContain(r.objectType);
      expect(r.recordId).toMatch(/^\d{19}$/);
      expect(r.url).toBe(`https://crm.zoho.jp/crm/org7001234567/tab/${r.objectType}/${r.recordId}`);
    }
    expect(salesforceChecksum('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC'); // a known Salesforce pair
  });
});

describe('every sales situation the personas stand for is present', () => {
  const details = (): Scored[] => ds.leads.map((lead) => score(lead));

  it('has recently lost, complained, 85 %-video, sleeping, waking, hot-in-window and contact-capped leads', () => {
    const all = details();
    const has = (reason: string): number => all.filter((d) => d.cooldowns.some((c) => c.reason === reason)).length;
    expect(has('recently_lost')).toBeGreaterThan(20);
    expect(has('do_not_call')).toBeGreaterThan(10);
    expect(has('contact_cap')).toBeGreaterThan(20);
    expect(has('recent_call')).toBeGreaterThan(5);
    expect(all.filter((d) => d.needText?.startsWith('Watched')).length).toBeGreaterThan(20);
    expect(all.filter((d) => d.stage === 'sleep').length).toBeGreaterThan(100);
    expect(all.filter((d) => d.waking).length).toBeGreaterThan(20);
    expect(all.filter((d) => d.stage === 'churn').length).toBeGreaterThan(20);
    expect(all.filter((d) => d.stage === 'process').length).toBeGreaterThan(20);
    const inWindow = all.filter((d) => d.band === 'hot' && d.needDetectedAt && NOW.getTime() - Date.parse(d.needDetectedAt) <= 2 * H);
    expect(inWindow.length).toBeGreaterThan(10);
    const count = (band: string) => all.filter((d) => d.band === band).length;
    expect(count('hot')).toBeGreaterThan(30);
    expect(count('warm')).toBeGreaterThan(count('hot'));
    expect(count('cold')).toBeGreaterThan(count('warm'));
    expect(count('hot') + count('warm') + count('cold')).toBe(all.length);
  });
});

describe('featured leads', () => {
  const leadOf = (id: string): DatasetLead => {
    const lead = ds.leads.find((l) => l.profile.id === id);
    if (!lead) throw new Error(`missing ${id}`);
    return lead;
  };
  const detail = (id: string): Scored => score(leadOf(id));

  it('uses the fixed ids', () => {
    expect(ds.featured).toEqual(FEATURED);
  });

  it('hotNow: hot, need 30–60 min ago, u-sato, salesforce Lead, callable', () => {
    const d = detail(FEATURED.hotNow);
    expect(d.band).toBe('hot');
    const age = NOW.getTime() - Date.parse(d.needDetectedAt ?? '');
    expect(age).toBeGreaterThanOrEqual(30 * 60_000);
    expect(age).toBeLessThanOrEqual(60 * 60_000);
    expect(d.needText).toMatch(/^Attended seminar: /);
    expect(d.owner?.id).toBe('u-sato');
    expect(d.crmRefs.some((r) => r.crm === 'salesforce' && r.objectType === 'Lead')).toBe(true);
    expect(d.cooldownUntil).toBeUndefined();
  });

  it('almostHot: warm, u-sato, salesforce Lead; one seminar_attended makes it hot', () => {
    const d = detail(FEATURED.almostHot);
    expect(d.band).toBe('warm');
    expect(d.needDetectedAt).toBeUndefined();
    expect(d.owner?.id).toBe('u-sato');
    expect(d.crmRefs.some((r) => r.crm === 'salesforce' && r.objectType === 'Lead')).toBe(true);
    const lead = leadOf(FEATURED.almostHot);
    const after = score(lead, [...lead.events, { id: 'live-1', at: NOW.getTime(), type: 'seminar_attended', title: '営業DX実践セミナー' }]);
    expect(after.band).toBe('hot');
    expect(after.needDetectedAt).toBe(NOW.toISOString());
    expect(after.needText).toBe('Attended seminar: 営業DX実践セミナー');
  });

  it('lostRecently, complained, waking, contactCapped, videoWatched tell their stories', () => {
    const lost = detail(FEATURED.lostRecently);
    expect(lost.cooldowns.find((c) => c.reason === 'recently_lost')?.severity).toBe('block');
    expect(lost.breakdown.find((f) => f.key === 'timing:recently_lost')?.points).toBeLessThan(0);
    expect(detail(FEATURED.complained).cooldowns.some((c) => c.reason === 'do_not_call')).toBe(true);
    const waking = detail(FEATURED.waking);
    expect([waking.stage, waking.waking]).toEqual(['sleep', true]);
    const capped = detail(FEATURED.contactCapped);
    // Its last call (10 h ago) was "no answer": the cap warns, "called recently" does not (nobody was reached).
    expect(capped.cooldowns.map((c) => c.reason)).toContain('contact_cap');
    expect(capped.cooldowns.map((c) => c.reason)).not.toContain('recent_call');
    expect(detail(FEATURED.videoWatched).needText).toMatch(/^Watched 85% of video: /);
  });
});
