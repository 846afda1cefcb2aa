/**
 * Marketo → LeadLens. Leads are keyed `marketo:<munchkinId>:<lead id>` so webhook and pull name
 * the same person the same way. Activity types are matched by name (ids differ per instance).
 */
import type { IngestEvent, IngestLead } from '../../contract/ingest';
import type { MapOutcome } from '../mapped';
import type { Activity, MarketoConfig, MarketoPull, MarketoWebhookBody } from './schema';

export const marketoLeadId = (munchkinId: string, leadId: string | number) => `marketo:${munchkinId.toUpperCase()}:${leadId}`;

/** Marketo activity type name → our event type (program status changes decided by status). */
export const ACTIVITY_TYPES: Record<string, string> = {
  'Visit Webpage': 'web_visit',
  'Fill Out Form': 'form_submit',
  'Click Link': 'link_click',
  'Open Email': 'email_open',
  'Click Email': 'email_click',
  'Change Status in Progression': 'program_status',
};

/** What {{trigger.Trigger Name}} says in a trigger campaign → our event type. */
export const TRIGGER_NAMES: Record<string, string> = {
  'Visits Web Page': 'web_visit',
  'Fills Out Form': 'form_submit',
  'Clicks Link': 'link_click',
  'Opens Email': 'email_open',
  'Clicks Link in Email': 'email_click',
};

/** Marketo writes `+0000`; ISO 8601 in our contract wants `+00:00`. A zone-less time is local. */
export function normaliseDate(value: string, localOffset: string): string | undefined {
  let v = value.trim().replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) v += localOffset;
  v = v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)) ? v : undefined;
}

export function mapWebhook(cfg: Pick<MarketoConfig, 'munchkinId' | 'timeZoneOffset'>, b: MarketoWebhookBody): MapOutcome {
  const type = b.type ?? (b.activity ? TRIGGER_NAMES[b.activity] ?? ACTIVITY_TYPES[b.activity] : undefined);
  if (!type || type === 'program_status') return { rejected: 'type: give our event type, or an activity Marketo names (Fill Out Form, Visit Webpage, …)' };
  if (!b.occurredAt) return { rejected: 'occurredAt: required (so a resent webhook is a duplicate, not a second event)' };
  const at = normaliseDate(b.occurredAt, cfg.timeZoneOffset);
  if (!at) return { rejected: `occurredAt: "${b.occurredAt}" is not a date and time` };
  const externalId = marketoLeadId(cfg.munchkinId, b.leadId);
  const leads: IngestLead[] = [];
  // Japanese order: family name first.
  const name = [b.lastName, b.firstName].filter(Boolean).join(' ') || b.email;
  if (name) {
    const lead: IngestLead = { externalId, name };
    if (b.email) lead.email = b.email;
    if (b.company) lead.company = b.company;
    leads.push(lead);
  }
  const event: IngestEvent = {
    id: `${externalId}:webhook:${b.campaignId ?? b.campaign ?? type}:${at}`,
    lead: { externalId },
    type, at, channel: 'marketo',
  };
  if (b.campaign) event.title = b.campaign;
  if (b.url) event.url = b.url;
  if (b.campaignId) event.meta = { campaignId: b.campaignId };
  return { leads, events: [event] };
}

const attr = (a: Activity, name: string): string | undefined => {
  const v = a.attributes.find((x) => x.name === name)?.value;
  return v === undefined || v === null || v === '' ? undefined : String(v);
};

export function mapActivity(
  cfg: Pick<MarketoConfig, 'munchkinId' | 'timeZoneOffset'>,
  rules: Pick<MarketoPull, 'attendedStatuses' | 'registeredStatuses'>,
  typeName: string | undefined,
  a: Activity,
): MapOutcome {
  const mapped = typeName ? ACTIVITY_TYPES[typeName] : undefined;
  if (!mapped) return { ignored: `activity type ${a.activityTypeId} is not mapped` };
  const at = normaliseDate(a.activityDate, 'Z');
  if (!at) return { rejected: `activityDate: "${a.activityDate}" is not a date and time` };
  const externalId = marketoLeadId(cfg.munchkinId, a.leadId);
  let type = mapped;
  const meta: Record<string, unknown> = { marketoActivityType: typeName };
  if (mapped === 'program_status') {
    const status = attr(a, 'New Status');
    if (status && rules.attendedStatuses.includes(status)) type = 'seminar_attended';
    else if (status && rules.registeredStatuses.includes(status)) type = 'seminar_registered';
    else return { ignored: `program status ${status ?? '?'} is neither attended nor registered` };
    meta.programStatus = status;
  }
  const event: IngestEvent = {
    // marketoGUID is unique per activity across the instance; id is too, on older instances.
    id: `${marketoLeadId(cfg.munchkinId, 'activity')}:${a.marketoGUID ?? a.id}`,
    lead: { externalId },
    type, at, channel: 'marketo', meta,
  };
  if (a.primaryAttributeValue) event.title = a.primaryAttributeValue.slice(0, 500);
  const url = attr(a, 'Webpage URL') ?? attr(a, 'Link') ?? (typeName === 'Click Link' ? a.primaryAttributeValue : undefined);
  if (url) event.url = url.slice(0, 2000);
  return { events: [event] };
}
