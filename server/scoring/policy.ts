/**
 * The one mapping between the team's scoring rules (what managers edit, what the server scores
 * with) and the team policy (what the extension evaluates offline and shows the rep). The
 * server serves teamPolicyOf(rules) as GET /v1/policy; the server's own cooldowns read the same
 * fields, so both sides judge a lead by the same numbers.
 */
import type { TeamPolicy } from '../../utils/policy/team-policy';
import type { ScoringRules } from './rules';

/** The team policy a rule set implies. Lists come sorted so equal policies serialise equally (ETag). */
export function teamPolicyOf(rules: ScoringRules): TeamPolicy {
  const { start, end, days, timeZone, japaneseHolidays, closedDates } = rules.businessHours;
  return {
    lostCooldownDays: rules.recentlyLostDays,
    recentCallHours: rules.recentCallHours,
    contactCapCalls: rules.contactCapCalls,
    // One look-back on the server: the cap's window and the score's "calls in N days" factor.
    contactCapDays: rules.callLookbackDays,
    businessHours: { start, end, days: [...days].sort((a, b) => a - b), timeZone },
    callWindowMinutes: rules.callWindowMinutes,
    retryMinutes: rules.retryMinutes,
    japaneseHolidays,
    closedDates: [...closedDates].sort(),
  };
}

/** A rule set with the policy's fields written into it (everything else kept): the inverse of teamPolicyOf. */
export function withTeamPolicy(rules: ScoringRules, policy: TeamPolicy): ScoringRules {
  return {
    ...rules,
    recentlyLostDays: policy.lostCooldownDays,
    recentCallHours: policy.recentCallHours,
    contactCapCalls: policy.contactCapCalls,
    callLookbackDays: policy.contactCapDays,
    callWindowMinutes: policy.callWindowMinutes,
    retryMinutes: policy.retryMinutes,
    businessHours: { ...policy.businessHours, japaneseHolidays: policy.japaneseHolidays, closedDates: [...policy.closedDates] },
  };
}
