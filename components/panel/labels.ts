/** i18n keys for the contract's enums, typed against the contract so a new value is a type error. */
import type { ActivityRequest, Band, Stage } from '../../utils/api/contract';
import type { MessageKey } from '../../utils/i18n';

export type CallOutcome = ActivityRequest['outcome'];
export type LossReason = NonNullable<ActivityRequest['lossReason']>;

export const BAND_LABELS: Readonly<Record<Band, MessageKey>> = { hot: 'bandHot', warm: 'bandWarm', cold: 'bandCold' };

export const STAGE_LABELS: Readonly<Record<Stage, MessageKey>> = {
  lead: 'stageLead', process: 'stageProcess', sleep: 'stageSleep', churn: 'stageChurn',
};

export const OUTCOME_LABELS: Readonly<Record<CallOutcome, MessageKey>> = {
  connected: 'callOutcomeConnected', meeting_set: 'callOutcomeMeetingSet', no_answer: 'callOutcomeNoAnswer', busy: 'callOutcomeBusy',
  gatekeeper: 'callOutcomeGatekeeper', lost: 'callOutcomeLost', complaint: 'callOutcomeComplaint',
};

export { LOSS_REASON_LABELS as LOSS_LABELS } from '../../utils/policy/cooldowns';
export { labelOf } from '../../utils/policy/message';
