// The timeline travels to the panel once: in the context when it has one, else in the detail
// (utils/background/panel-context.ts timelineOnce; the panel reads context.timeline first).
import { describe, expect, it } from 'vitest';
import { timelineOnce } from '../../utils/background/panel-context';
import { foundState } from '../../utils/content/panel-controller';
import type { LeadDetail, LeadSummary } from '../../utils/api/contract';
import type { PanelContext } from '../../utils/messaging';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/team-policy';

const lead: LeadSummary = { id: 'L1', name: 'Tanaka', owner: { id: 'u1', name: 'Sato' }, score: 70, scoreChange24h: 0, band: 'hot', stage: 'lead', crmRefs: [], updatedAt: '2026-11-27T00:00:00.000Z' };
const event = { id: 'e1', at: '2026-11-27T00:00:00.000Z', type: 'seminar_attended' as const, title: 'Seminar' };
const detail: LeadDetail = { ...lead, breakdown: [], interests: [], cooldowns: [], timeline: [event], timelineCursor: 'c1' };
const base = { policy: DEFAULT_TEAM_POLICY, callWindowMinutes: 120, followed: false, muted: false, outbox: [] };

describe('timelineOnce', () => {
  it.each([
    ['context with a timeline: the detail goes without its copy', detail, { timeline: [event] }, { ...detail, timeline: [] }],
    ['context without one: the detail keeps it', detail, {}, detail],
    ['no context', detail, undefined, detail],
    ['no detail', undefined, { timeline: [event] }, undefined],
  ])('%s', (_name, given, context, expected) => {
    expect(timelineOnce(given, context as Pick<PanelContext, 'timeline'> | undefined)).toEqual(expected);
  });

  it('leaves the panel what it showed before: the context’s timeline, the rest of the detail', () => {
    const context = { ...base, timeline: [{ ...event, status: 'sent' as const }] };
    const before = foundState(lead, detail, lead.updatedAt, false, context);
    const after = foundState(lead, timelineOnce(detail, context), lead.updatedAt, false, context);
    expect(after).toEqual(before);
    expect(after.detail?.timeline).toEqual(context.timeline);
    expect(after.detail?.timelineCursor).toBe('c1');
  });
});
