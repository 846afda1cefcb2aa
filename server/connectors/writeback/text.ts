/** The words a CRM user reads on a written-back activity, in the target's configured language. */
import { render, type Locale } from '../../scoring/text';
import type { CallItem } from './types';

export function callSubject(item: CallItem, locale: Locale): string {
  return render({ key: 'event.call', params: { outcome: item.outcome, ...(item.lossReason ? { lossReason: item.lossReason } : {}) } }, locale);
}

/** The rep's note, then who logged it; the activity id closes it, so the record can be traced back. */
export function callBody(item: CallItem, locale: Locale): string {
  const by = render({ key: 'writeback.by', params: { actor: item.actor.name } }, locale);
  return `${item.note ? `${item.note}\n\n` : ''}${by} [${item.activityId}]`;
}

/** The outcome as a label (Salesforce CallDisposition, Zoho Call_Result). */
export function outcomeLabel(item: CallItem, locale: Locale): string {
  return render({ key: 'event.call', params: { outcome: item.outcome } }, locale).replace(/^(架電|Call): /, '');
}
