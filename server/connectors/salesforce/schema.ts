/**
 * Salesforce Outbound Messages (SOAP): up to 100 notifications per message, each with its own id
 * and one sObject with the fields the admin selected. Acknowledged with <Ack>true</Ack>; until
 * then Salesforce resends (same notification ids) for up to 24 hours.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm
 */
import { z } from 'zod';
import { ConnectorBase } from '../module';
import { child, children, parseXml, textOf, type XmlNode } from './xml';

export type Notification = { id: string; objectType: string; fields: Record<string, string> };
export type OutboundMessage = { organizationId: string; notifications: (Notification | { error: string })[] };

/** Reads the envelope; each notification parsed on its own so one odd one is rejected alone. */
export function readOutboundMessage(xml: string): OutboundMessage {
  const doc = parseXml(xml);
  const body = child(child(doc, 'Envelope'), 'Body');
  const n = child(body, 'notifications');
  if (!n) throw new Error('not an Outbound Message: no soapenv:Body/notifications');
  const organizationId = textOf(n, 'OrganizationId');
  if (!organizationId) throw new Error('OrganizationId is missing');
  const notifications = children(n, 'Notification').map((node: XmlNode) => {
    const id = textOf(node, 'Id');
    const sObject = child(node, 'sObject');
    const objectType = sObject?.attrs['xsi:type']?.replace(/^.*:/, '');
    if (!id) return { error: 'Notification/Id is missing' };
    if (!sObject || !objectType) return { error: 'Notification/sObject with xsi:type is missing' };
    const fields: Record<string, string> = {};
    for (const f of sObject.children) {
      if (f.attrs['xsi:nil'] !== 'true' && f.text.trim() !== '') fields[f.name] = f.text.trim();
    }
    return { id, objectType, fields };
  });
  return { organizationId, notifications };
}

export const ACK = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
 <soapenv:Body>
  <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">
   <Ack>true</Ack>
  </notificationsResponse>
 </soapenv:Body>
</soapenv:Envelope>`;

export const SalesforceConfig = ConnectorBase.extend({
  /** Setup → Company Information → Salesforce.com Organization ID (15 or 18 characters). */
  organizationId: z.string().regex(/^00D[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/, 'the 00D… organisation id'),
  /** Outbound Messages are not signed: the endpoint URL carries this secret. */
  urlSecret: z.string().min(24, 'at least 24 characters (the URL is the only credential)').regex(/^[A-Za-z0-9_-]+$/),
  /** The org's My Domain host, kept on crmRefs as the tenant (acme.my.salesforce.com). */
  host: z.string().optional(),
  closedLostStages: z.array(z.string().min(1)).default(['Closed Lost']),
  /** Salesforce has no standard loss-reason field: the org's own one. */
  lossReasonField: z.string().default('Loss_Reason__c'),
  /** A formula field (Owner:User.Email) on Lead and Contact: messages carry only the record's own fields. */
  ownerEmailField: z.string().default('Owner_Email__c'),
});
export type SalesforceConfig = z.infer<typeof SalesforceConfig>;
