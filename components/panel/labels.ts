/** i18n keys for the contract's enums, typed against the contract so a new value is a type error. */
import type { ActivityRequest, Band, Stage } from '../../utils/api/contract';
import { t, type MessageKey } from '../../utils/i18n';

export type CallOutcome = ActivityRequest['outcome'];
export type LossReason = NonNullable<ActivityRequest['lossReason']>;

export const BAND_LABELS: Readonly<Record<Band, MessageKey>> = { hot: 'bandHot', warm: 'bandWarm', cold: 'bandCold' };

export const STAGE_LABELS: Readonly<Record<Stage, MessageKey>> = {
  lead: 'stageLead', process: 'stageProcess', sleep: 'stageSleep', churn: 'stageChurn',
};

/** Is `value` one of the keys this build has a label for (not one a newer server added)? */
export function isKnown<K extends string>(labels: Readonly<Record<K, MessageKey>>, value: string): value is K {
  return Object.hasOwn(labels, value);
}

/** A band or stage this build does not know (a newer server's) shows as the API's own word, as
 *  text, with the neutral style `other`; known ones get their translated label and colour. */
export function bandView(band: string): { label: string; style: string } {
  return isKnown(BAND_LABELS, band) ? { label: t(BAND_LABELS[band]), style: band } : { label: band, style: 'other' };
}
export function stageView(stage: string): { label: string; style: string } {
  return isKnown(STAGE_LABELS, stage) ? { label: t(STAGE_LABELS[stage]), style: stage } : { label: stage, style: 'other' };
}

export const OUTCOME_LABELS: Readonly<Record<CallOutcome, MessageKey>> = {
  connected: 'callOutcomeConnected', meeting_set: 'callOutcomeMeetingSet', no_answer: 'callOutcomeNoAnswer', busy: 'callOutcomeBusy',
  gatekeeper: 'callOutcomeGatekeeper', lost: 'callOutcomeLost', complaint: 'callOutcomeComplaint',
};

export { LOSS_REASON_LABELS as LOSS_LABELS } from '../../utils/policy/cooldowns';
export { labelOf } from '../../utils/policy/message';
