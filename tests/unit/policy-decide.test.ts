// All the panel's decisions at once, and when they next change (for one timer or alarm).
import { describe, expect, it } from 'vitest';
import type { LeadDetail, LeadSummary, TimelineEvent } from '../../utils/api/contract';
import { panelDecisions } from '../../utils/policy/decide';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/team-policy';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const NOW = Date.parse('2025-07-15T10:00:00+09:00'); // Tuesday, business hours until 19:00 (10:00Z)
const iso = (ms: number) => new Date(ms).toISOString();

const lead: LeadSummary = { id: 'L', name: 'N', score: 70, scoreChange24h: 0, band: 'hot', stage: 'lead', crmRefs: [], updatedAt: iso(NOW) };
const withDetail = (timeline: TimelineEvent[], extra: Partial<LeadDetail> = {}): LeadDetail => ({ ...lead, breakdown: [], cooldowns: [], interests: [], timeline, ...extra });

describe('panelDecisions', () => {
  it.each<[string, LeadSummary, LeadDetail | undefined, string[], string | undefined, string]>([
    ['summary only: no next action, closing time next', lead, undefined, [], undefined, '2025-07-15T10:00:00.000Z'],
    ['window open: call now, until it closes', { ...lead, needDetectedAt: iso(NOW - 37 * MIN) }, withDetail([], { needDetectedAt: iso(NOW - 37 * MIN) }), [], 'call_now', iso(NOW + 83 * MIN)],
    ['seminar 6 days ago: check the survey until it is a week old', lead, withDetail([{ id: 's', at: iso(NOW - 6 * D - 23 * H), type: 'seminar_attended', title: 'S' }]), [], 'check_survey', iso(NOW + H)],
    ['recently lost: recycle, until closing time', lead, withDetail([{ id: 'l', at: iso(NOW - 5 * D), type: 'deal_lost', title: 'L' }]), ['recently_lost'], 'recycle', '2025-07-15T10:00:00.000Z'],
  ])('%s', (_name, summary, detail, reasons, kind, nextChange) => {
    const d = panelDecisions(summary, detail, DEFAULT_TEAM_POLICY, NOW);
    expect(d.cooldowns.map((c) => c.reason)).toEqual(reasons);
    expect(d.nextAction?.kind).toBe(kind);
    expect(iso(d.nextChange ?? NaN)).toBe(nextChange);
  });
});
