/**
 * The server and the extension judge a lead alike: every row of tests/fixtures/policy-cases.ts
 * through the server's model (the contract's cooldowns, cooldownUntil and needDetectedAt, with
 * the rules the team policy maps to) and through the extension's utils/policy functions (with
 * the same team policy, as GET /v1/policy serves it), each against the answer worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../utils/api/contract';
import { teamCalendar } from '../../utils/policy/calendar';
import { callWindow } from '../../utils/policy/call-window';
import { evaluateCooldowns, isCallableNow } from '../../utils/policy/cooldowns';
import { DEFAULT_TEAM_POLICY, type TeamPolicy } from '../../utils/policy/team-policy';
import { scoreLead, type LeadEvent } from '../../server/scoring/model';
import { teamPolicyOf, withTeamPolicy } from '../../server/scoring/policy';
import { DEFAULT_RULES } from '../../server/scoring/rules';
import { POLICY_CASES, type ExpectedCooldown, type ExpectedWindow, type PolicyCase } from '../fixtures/policy-cases';

interface Verdict {
  blocks: ExpectedCooldown[];
  warnings: ExpectedCooldown[];
  callableNow: boolean;
}

const byReason = (a: ExpectedCooldown, b: ExpectedCooldown) => a.reason.localeCompare(b.reason);
const cooldownsOf = (list: readonly { reason: string; severity: string; until?: string }[], severity: string): ExpectedCooldown[] =>
  list.filter((c) => c.severity === severity).map((c) => ({ reason: c.reason, ...(c.until !== undefined ? { until: c.until } : {}) })).sort(byReason);
const expectedOf = (c: PolicyCase): Verdict => ({ blocks: [...c.expected.blocks].sort(byReason), warnings: [...c.expected.warnings].sort(byReason), callableNow: c.expected.callableNow });
const policyOf = (c: PolicyCase): TeamPolicy => ({ ...DEFAULT_TEAM_POLICY, ...c.policy });

function windowOf(state: ReturnType<typeof callWindow>): ExpectedWindow {
  switch (state.state) {
    case 'none': return { state: 'none' };
    case 'open': return { state: 'open', endsAt: state.endsAt };
    case 'paused': return { state: 'paused', endsAt: state.endsAt, resumesAt: state.resumesAt };
    case 'missed': return { state: 'missed', endedAt: state.endedAt };
  }
}

/** The server: the team's rules carry the policy; the model gives what the contract carries. */
function server(c: PolicyCase) {
  const rules = withTeamPolicy(DEFAULT_RULES, policyOf(c));
  const events: LeadEvent[] = c.events.map((e, i) => ({ id: `e${i}`, at: Date.parse(e.at), type: e.type, title: e.type, ...(e.meta ? { meta: e.meta } : {}) }));
  const now = Date.parse(c.now);
  const scored = scoreLead({}, events, now, rules);
  return {
    verdict: {
      blocks: cooldownsOf(scored.cooldowns, 'block'),
      warnings: cooldownsOf(scored.cooldowns, 'warn'),
      // What the extension decides from the summary alone (the badge, the popup's callable list).
      callableNow: isCallableNow(scored.cooldownUntil !== undefined ? { cooldownUntil: scored.cooldownUntil } : {}, now),
    },
    needDetectedAt: scored.needDetectedAt,
  };
}

/** The extension: the policy over the timeline, offline, on the team's calendar. */
function extension(c: PolicyCase, needDetectedAt: string | undefined) {
  const policy = policyOf(c);
  const now = Date.parse(c.now);
  const timeline: TimelineEvent[] = c.events.map((e, i) => ({ id: `e${i}`, at: new Date(Date.parse(e.at)).toISOString(), type: e.type, title: e.type, ...(e.meta ? { meta: e.meta } : {}), ...(e.actor ? { actor: e.actor } : {}) }));
  const calendar = teamCalendar(policy, now);
  const cooldowns = evaluateCooldowns({ timeline }, policy, now, undefined, calendar);
  return {
    verdict: { blocks: cooldownsOf(cooldowns, 'block'), warnings: cooldownsOf(cooldowns, 'warn'), callableNow: !cooldowns.some((x) => x.severity === 'block') },
    window: windowOf(callWindow(needDetectedAt, policy.callWindowMinutes, now, calendar)),
  };
}

describe('one table of cases, server and extension', () => {
  it('every case states a policy the mapping carries both ways', () => {
    for (const c of POLICY_CASES) expect(teamPolicyOf(withTeamPolicy(DEFAULT_RULES, policyOf(c)))).toEqual(policyOf(c));
  });

  describe.each(POLICY_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('the server', () => {
      expect(server(c).verdict).toEqual(expectedOf(c));
    });
    it('the extension', () => {
      expect(extension(c, server(c).needDetectedAt).verdict).toEqual(expectedOf(c));
    });
    if (c.expected.window) {
      const expectedWindow = c.expected.window;
      it('the call window (the server opens it, both bound it by the policy)', () => {
        expect(extension(c, server(c).needDetectedAt).window).toEqual(expectedWindow);
      });
    }
  });
});
