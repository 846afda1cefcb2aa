// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { CrmRef } from '../../utils/api/contract';
import { detectRecord } from '../../utils/crm/registry';
import { crmRecordUrl, leadRecordUrl } from '../../server/dashboard/links';
import { DEFAULT_TEAM_RULES, TeamRulesSchema, diffRules, explainRules, previewRules, thresholdFor, windowRuleOf, type TeamRules } from '../../server/dashboard/rules';

describe('TeamRulesSchema', () => {
  it('accepts the defaults and rejects nonsense with a path', () => {
    expect(TeamRulesSchema.safeParse(DEFAULT_TEAM_RULES).success).toBe(true);
    const bad = TeamRulesSchema.safeParse({ ...DEFAULT_TEAM_RULES, halfLifeDays: 0, businessHours: { ...DEFAULT_TEAM_RULES.businessHours, end: '08:00' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['businessHours.end', 'halfLifeDays']);
    // Fields the dashboard does not edit pass through to the server's own schema.
    expect(TeamRulesSchema.parse({ ...DEFAULT_TEAM_RULES, warmThreshold: 40 })).toMatchObject({ warmThreshold: 40 });
  });
});

describe('thresholdFor', () => {
  const rules: TeamRules = { ...DEFAULT_TEAM_RULES, hotThreshold: 60, channelHotThresholds: { seminar: 40 } };
  it.each<[string | undefined, number]>([['seminar', 40], ['web', 60], [undefined, 60]])('%s → %d', (channel, expected) => {
    expect(thresholdFor(rules, channel)).toBe(expected);
  });
});

describe('diffRules', () => {
  it('lists each changed leaf by path', () => {
    const after: TeamRules = {
      ...DEFAULT_TEAM_RULES,
      hotThreshold: 50,
      channelHotThresholds: { seminar: 40 },
      businessHours: { ...DEFAULT_TEAM_RULES.businessHours, start: '10:00', closedDates: ['2026-12-31'] },
    };
    expect(diffRules(DEFAULT_TEAM_RULES, after)).toEqual([
      { path: 'businessHours.closedDates', before: [], after: ['2026-12-31'] },
      { path: 'businessHours.start', before: '09:00', after: '10:00' },
      { path: 'channelHotThresholds.seminar', before: undefined, after: 40 },
      { path: 'hotThreshold', before: 70, after: 50 },
    ]);
    expect(diffRules(DEFAULT_TEAM_RULES, structuredClone(DEFAULT_TEAM_RULES))).toEqual([]);
  });
});

describe('previewRules', () => {
  // A toy scorer for the preview's arithmetic: hot when the score reaches the channel's threshold.
  const leads = [
    { id: 'a', score: 70, channel: 'web' },
    { id: 'b', score: 55, channel: 'web' },
    { id: 'c', score: 45, channel: 'seminar' },
    { id: 'd', score: 35, channel: 'seminar' },
    { id: 'e', score: 65, channel: 'seminar' },
  ];
  const isHot = (l: (typeof leads)[number], r: TeamRules) => l.score >= thresholdFor(r, l.channel);
  it('N hot now, M more, K fewer, with examples', () => {
    const current = { ...DEFAULT_TEAM_RULES, hotThreshold: 60 };
    const proposed = { ...DEFAULT_TEAM_RULES, hotThreshold: 66, channelHotThresholds: { seminar: 40 } };
    const p = previewRules(leads, current, proposed, isHot);
    // current: a, e hot. proposed: a (70 ≥ 66), c (45 ≥ 40), e (65 ≥ 40).
    expect(p).toMatchObject({ hotBefore: 2, hotNow: 3, more: 1, fewer: 0 });
    expect(p.examplesMore.map((l) => l.id)).toEqual(['c']);
    const stricter = previewRules(leads, current, { ...current, hotThreshold: 68 }, isHot);
    expect(stricter).toMatchObject({ hotNow: 1, more: 0, fewer: 1 });
    expect(stricter.examplesFewer.map((l) => l.id)).toEqual(['e']);
  });
  it('caps the examples', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ id: String(i), score: 50, channel: 'web' }));
    const p = previewRules(many, { ...DEFAULT_TEAM_RULES, hotThreshold: 60 }, { ...DEFAULT_TEAM_RULES, hotThreshold: 50 }, isHot, 3);
    expect(p.more).toBe(12);
    expect(p.examplesMore).toHaveLength(3);
  });
});

describe('rules saved before the window always counted working time', () => {
  it('still parse; the old wall-clock switch changes nothing', () => {
    const parsed = TeamRulesSchema.parse({ ...DEFAULT_TEAM_RULES, windowWorkingTimeOnly: false });
    expect(windowRuleOf(parsed)).toEqual({ windowMinutes: 120, calendar: DEFAULT_TEAM_RULES.businessHours });
  });
});

describe('explainRules', () => {
  it('says every rule, strongest signals first', () => {
    const rules: TeamRules = {
      ...DEFAULT_TEAM_RULES, hotThreshold: 60, channelHotThresholds: { seminar: 40 }, points: { web_visit: 3, form_submit: 40, email_unsubscribe: -20, ignored: 0 },
      businessHours: { ...DEFAULT_TEAM_RULES.businessHours, closedDates: ['2026-12-31'] },
    };
    expect(explainRules(rules).map((e) => `${e.key}:${e.values.join('|')}`)).toEqual([
      'explainHot:60', 'explainChannel:seminar|40',
      'explainWeight:form_submit|40', 'explainWeight:web_visit|3', 'explainWeightNegative:email_unsubscribe|20',
      'explainHalfLife:7', 'explainWindow:120', 'explainWindowWorking:',
      'explainLost:14', 'explainRecentCall:48', 'explainContactCap:3|30', 'explainHours:09:00|19:00',
      'explainHolidays:', 'explainClosed:2026-12-31',
    ]);
  });
});

describe('crmRecordUrl', () => {
  // Each built link must be recognised by the extension's own detector as the same record.
  it.each<[CrmRef]>([
    [{ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV', host: 'acme.lightning.force.com' }],
    [{ crm: 'kintone', objectType: '12', recordId: '345', host: 'acme.cybozu.com' }],
    [{ crm: 'hubspot', objectType: '0-1', recordId: '51', host: '4455667' }],
    [{ crm: 'dynamics', objectType: 'lead', recordId: '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b', host: 'acme.crm7.dynamics.com' }],
    [{ crm: 'zoho', objectType: 'Leads', recordId: '4876876000000123456', host: 'crm.zoho.jp' }],
  ])('%o opens that record', (ref) => {
    const url = crmRecordUrl(ref);
    expect(url).toBeDefined();
    expect(detectRecord(url ?? '')?.record).toMatchObject({ crm: ref.crm, objectType: ref.objectType, recordId: ref.recordId });
  });

  it.each<[string, CrmRef, string | undefined]>([
    ['the ref\'s own https URL wins', { crm: 'kintone', objectType: '1', recordId: '2', host: 'a.cybozu.com', url: 'https://b.cybozu.com/k/1/show#record=2' }, 'https://b.cybozu.com/k/1/show#record=2'],
    ['a non-https URL is not used', { crm: 'kintone', objectType: '1', recordId: '2', url: 'javascript:alert(1)' }, undefined],
    ['no host, no link', { crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' }, undefined],
    ['a host with a path is refused', { crm: 'salesforce', objectType: 'Lead', recordId: 'x', host: 'evil.com/x?' }, undefined],
    ['custom CRMs need their own URL', { crm: 'custom', objectType: 'x', recordId: '1', host: 'crm.example.com' }, undefined],
  ])('%s', (_n, ref, expected) => {
    expect(crmRecordUrl(ref)).toBe(expected);
  });

  it('a lead links through its first usable ref', () => {
    expect(leadRecordUrl([{ crm: 'salesforce', objectType: 'Lead', recordId: 'x' }, { crm: 'kintone', objectType: '3', recordId: '9', host: 'acme.cybozu.com' }]))
      .toBe('https://acme.cybozu.com/k/3/show#record=9');
  });
});
