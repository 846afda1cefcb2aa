/**
 * HubSpot event → LeadLens event. HubSpot sends only ids (no name, no email), so events name
 * their lead by CRM record: contact = object type 0-1, deal = 0-3, the portal id as the tenant.
 * A deal event reaches a lead that carries that deal among its crmRefs.
 */
import type { IngestEvent } from '../../contract/ingest';
import type { MapOutcome } from '../mapped';
import type { HubSpotConfig, HubSpotEvent } from './schema';

/** HubSpot's eventId is not unique on its own (it repeats across subscriptions and retries
 *  may renumber); the same change is the same subscription, object, instant and property. */
export function hubspotEventId(e: HubSpotEvent): string {
  return `hubspot:${e.portalId}:${e.subscriptionId}:${e.objectId}:${e.occurredAt}:${e.propertyName ?? ''}`;
}

type Rules = Pick<HubSpotConfig, 'closedLostStages' | 'closedWonStages' | 'formProperty' | 'lifecycleProperty'>;

export function mapHubSpotEvent(e: HubSpotEvent, rules: Rules): MapOutcome {
  const kind = e.subscriptionType ?? e.eventType ?? '';
  const [object, change] = kind.split('.') as [string, string | undefined];
  const base = {
    id: hubspotEventId(e),
    at: new Date(e.occurredAt).toISOString(),
    channel: 'hubspot',
  };
  const lead = (objectType: string) => ({ crm: 'hubspot', objectType, recordId: String(e.objectId), host: String(e.portalId) });

  if (change !== 'propertyChange') return { ignored: `${kind} is not mapped` };
  if (e.propertyValue === undefined || e.propertyValue === '') return { ignored: `${kind} without a value` };
  const value = e.propertyValue;

  if (object === 'contact' && e.propertyName === rules.formProperty) {
    const event: IngestEvent = { ...base, lead: lead('0-1'), type: 'form_submit', title: value };
    return { events: [event] };
  }
  if (object === 'contact' && e.propertyName === rules.lifecycleProperty) {
    const event: IngestEvent = {
      ...base, lead: lead('0-1'), type: 'lifecycle_stage', title: value, meta: { lifecycleStage: value },
    };
    return { events: [event] };
  }
  if (object === 'deal' && e.propertyName === 'dealstage') {
    const lost = rules.closedLostStages.includes(value);
    const won = rules.closedWonStages.includes(value);
    if (!lost && !won) return { ignored: `deal stage ${value} is neither won nor lost` };
    const event: IngestEvent = {
      ...base, lead: lead('0-3'), type: lost ? 'deal_lost' : 'deal_won', title: value, meta: { dealStage: value },
    };
    return { events: [event] };
  }
  return { ignored: `${kind} of ${e.propertyName ?? '?'} is not mapped` };
}
