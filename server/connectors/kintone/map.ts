/**
 * kintone record / notification → LeadLens leads and events, by the admin's app mapping.
 * A lead's id and crmRef come from the tenant host, the app and the record id, so the same
 * record number in two tenants (or two apps) is two leads. Every mapping is pure.
 */
import type { IngestEvent, IngestLead } from '../../contract/ingest';
import type { MapOutcome } from '../mapped';
import { fieldCode, fieldText, parseRecordUrl, recordId, recordUrl } from './fields';
import type { ActivitiesApp, AppMapping, KintoneConfig, KintoneNotification, KintoneRecord, LeadsApp } from './schema';
import type { z } from 'zod';

type LeadsMapping = z.infer<typeof LeadsApp>;
type ActivitiesMapping = z.infer<typeof ActivitiesApp>;

export const kintoneLeadId = (host: string, app: string, id: string) => `kintone:${host}:${app}:${id}`;

/** Date-only values (DATE fields) are read as midnight in Japan, where kintone teams work. */
function toIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00+09:00`;
  return Number.isNaN(Date.parse(value)) ? undefined : value;
}

export function mapLeadRecord(host: string, m: LeadsMapping, record: KintoneRecord): MapOutcome {
  const id = recordId(record);
  if (!id) return { rejected: '$id: the record has no id' };
  const f = m.fields;
  const codes = Array.isArray(f.name) ? f.name : [f.name];
  const name = codes.map((c) => fieldText(record, c)).filter(Boolean).join(' ');
  if (!name) return { rejected: `${codes.join(' + ')}: the name is empty` };
  const opt = (code: string | undefined) => (code ? fieldText(record, code) : undefined);
  const employees = opt(f.employees);
  const stageValue = f.stage ? fieldText(record, f.stage.field) : undefined;
  const lead: IngestLead = {
    externalId: kintoneLeadId(host, m.app, id),
    name,
    crmRefs: [{ crm: 'kintone', objectType: m.app, recordId: id, host, url: recordUrl(host, m.app, id) }],
  };
  const company = opt(f.company); if (company) lead.company = company;
  const email = opt(f.email); if (email) lead.email = email;
  const phone = opt(f.phone); if (phone) lead.phone = phone;
  const owner = f.ownerEmail ? fieldCode(record, f.ownerEmail) : undefined; if (owner) lead.ownerEmail = owner;
  const team = opt(f.team); if (team) lead.team = team;
  const jobTitle = opt(f.jobTitle); if (jobTitle) lead.jobTitle = jobTitle;
  if (employees !== undefined) {
    const n = Number(employees.replace(/,/g, ''));
    if (!Number.isInteger(n) || n < 0) return { rejected: `${f.employees}: "${employees}" is not a number of employees` };
    lead.employees = n;
  }
  const stage = stageValue !== undefined ? f.stage?.values[stageValue] : undefined; if (stage) lead.stage = stage;
  return { leads: [lead] };
}

export function mapActivityRecord(host: string, m: ActivitiesMapping, record: KintoneRecord): MapOutcome {
  const id = recordId(record);
  if (!id) return { rejected: '$id: the record has no id' };
  const f = m.fields;
  let lead: IngestEvent['lead'];
  if ('email' in f.lead) {
    const email = fieldText(record, f.lead.email);
    if (!email) return { rejected: `${f.lead.email}: no email to find the lead by` };
    lead = { email };
  } else if ('externalId' in f.lead) {
    const ext = fieldText(record, f.lead.externalId);
    if (!ext) return { rejected: `${f.lead.externalId}: no lead id` };
    lead = { externalId: ext };
  } else {
    // A lookup copies the key field, which may carry the app code ("LEAD-12"): the number ends it.
    const n = /(\d+)$/.exec(fieldText(record, f.lead.recordNumber) ?? '')?.[1];
    if (!n) return { rejected: `${f.lead.recordNumber}: no lead record number` };
    lead = { crm: 'kintone', objectType: f.lead.leadsApp, recordId: n, host };
  }
  let type: string | undefined;
  if ('fixed' in f.type) type = f.type.fixed;
  else {
    const v = fieldText(record, f.type.field) ?? '';
    type = f.type.values[v] ?? f.type.otherwise;
    if (!type) return { ignored: `${f.type.field} "${v}" is not mapped to an event type` };
  }
  const at = toIso(fieldText(record, f.at));
  if (!at) return { rejected: `${f.at}: no valid date and time` };
  const event: IngestEvent = {
    // The record is the touchpoint: edits of it later are the same event, never a second one.
    id: kintoneLeadId(host, m.app, id),
    lead, type, at, channel: 'kintone',
    meta: { kintoneRecord: recordUrl(host, m.app, id) },
  };
  const title = f.title ? fieldText(record, f.title) : undefined; if (title) event.title = title.slice(0, 500);
  const detail = f.detail ? fieldText(record, f.detail) : undefined; if (detail) event.detail = detail.slice(0, 4000);
  const url = f.url ? fieldText(record, f.url) : undefined; if (url) event.url = url;
  return { events: [event] };
}

export function mapRecord(host: string, m: AppMapping, record: KintoneRecord): MapOutcome {
  return m.target === 'leads' ? mapLeadRecord(host, m, record) : mapActivityRecord(host, m, record);
}

export function mapNotification(cfg: Pick<KintoneConfig, 'host' | 'apps'>, n: KintoneNotification): MapOutcome {
  const m = cfg.apps.find((a) => a.app === n.app.id);
  if (!m) return { ignored: `app ${n.app.id} is not mapped` };
  if ('url' in n && n.url) {
    const parsed = parseRecordUrl(n.url);
    if (parsed && parsed.host !== cfg.host) return { rejected: `url: host ${parsed.host} is not this connector's tenant ${cfg.host}` };
  }
  switch (n.type) {
    case 'ADD_RECORD':
    case 'UPDATE_RECORD':
    case 'UPDATE_STATUS':
      return mapRecord(cfg.host, m, n.record);
    case 'DELETE_RECORD':
      // Deleting in kintone does not delete a LeadLens lead or its history.
      return { ignored: 'record deleted in kintone; LeadLens keeps the lead and its history' };
    case 'ADD_RECORD_COMMENT': {
      if (m.target !== 'leads') return { ignored: 'comments on an activities app are not mapped' };
      const event: IngestEvent = {
        id: `${kintoneLeadId(cfg.host, m.app, n.recordId)}:comment:${n.comment.id}`,
        lead: { crm: 'kintone', objectType: m.app, recordId: n.recordId, host: cfg.host },
        type: 'crm_comment',
        at: n.comment.createdAt,
        detail: n.comment.text.slice(0, 4000),
        channel: 'kintone',
        ...(n.comment.creator ? { meta: { author: n.comment.creator.name } } : {}),
      };
      return { events: [event] };
    }
  }
}
