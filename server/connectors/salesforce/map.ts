/**
 * Outbound Message notifications → LeadLens. Lead/Contact messages (sent on owner change) upsert
 * the lead with its owner; Opportunity messages at a lost stage become deal_lost with the reason,
 * on the opportunity's account. Event ids are the notification ids: Salesforce's resends of an
 * unacknowledged message carry the same ids, so they count as duplicates.
 */
import type { IngestEvent, IngestLead } from '../../contract/ingest';
import { toEighteenCharId } from '../../../utils/crm/salesforce';
import type { MapOutcome } from '../mapped';
import type { Notification, SalesforceConfig } from './schema';

type Rules = Pick<SalesforceConfig, 'host' | 'closedLostStages' | 'lossReasonField' | 'ownerEmailField'>;

export const salesforceLeadId = (orgId: string, recordId: string) => `salesforce:${toEighteenCharId(orgId)}:${toEighteenCharId(recordId)}`;

export function mapNotification(orgId: string, rules: Rules, n: Notification): MapOutcome {
  const f = n.fields;
  const id = f.Id ? toEighteenCharId(f.Id) : undefined;
  if (!id) return { rejected: `${n.objectType}.Id: not among the message's fields` };
  const ref = (objectType: string, recordId: string) => ({ crm: 'salesforce' as const, objectType, recordId: toEighteenCharId(recordId), ...(rules.host ? { host: rules.host } : {}) });

  if (n.objectType === 'Lead' || n.objectType === 'Contact') {
    const name = f.Name ?? [f.LastName, f.FirstName].filter(Boolean).join(' ');
    if (!name) return { rejected: `${n.objectType}.LastName: add Name or LastName to the message's fields` };
    const lead: IngestLead = { externalId: salesforceLeadId(orgId, id), name, crmRefs: [ref(n.objectType, id)] };
    if (f.Email) lead.email = f.Email;
    if (f.Phone) lead.phone = f.Phone;
    if (f.Title) lead.jobTitle = f.Title;
    if (f.Company) lead.company = f.Company;
    if (f.AccountId) lead.crmRefs!.push(ref('Account', f.AccountId));
    const owner = f[rules.ownerEmailField];
    if (owner) lead.ownerEmail = owner;
    return { leads: [lead] };
  }
  if (n.objectType === 'Opportunity') {
    if (!f.StageName) return { rejected: 'Opportunity.StageName: not among the message\'s fields' };
    if (!rules.closedLostStages.includes(f.StageName)) return { ignored: `stage ${f.StageName} is not a lost stage` };
    const at = f.LastModifiedDate ?? (f.CloseDate ? `${f.CloseDate}T00:00:00+09:00` : undefined);
    if (!at || Number.isNaN(Date.parse(at))) return { rejected: 'Opportunity.LastModifiedDate: add it to the message\'s fields' };
    const reason = f[rules.lossReasonField];
    const event: IngestEvent = {
      id: `salesforce:${toEighteenCharId(orgId)}:notification:${n.id}`,
      lead: f.AccountId ? ref('Account', f.AccountId) : ref('Opportunity', id),
      type: 'deal_lost',
      at,
      channel: 'salesforce',
      meta: { opportunityId: id, stage: f.StageName, ...(reason ? { lossReason: reason } : {}) },
    };
    if (f.Name) event.title = f.Name;
    if (reason) event.detail = reason;
    return { events: [event] };
  }
  return { ignored: `${n.objectType} messages are not mapped` };
}
