/**
 * HubSpot Webhooks API v3 payload: a JSON array of up to 100 events per request. Legacy
 * subscriptions name the kind `subscriptionType`; the oldest examples say `eventType`.
 * https://developers.hubspot.com/docs/api/webhooks (Webhooks API, "Example payload")
 */
import { z } from 'zod';
import { ConnectorBase } from '../module';

export const HubSpotEvent = z.object({
  eventId: z.number(),
  subscriptionId: z.number(),
  portalId: z.number(),
  appId: z.number().optional(),
  occurredAt: z.number().int().positive(),
  subscriptionType: z.string().min(1).optional(),
  eventType: z.string().min(1).optional(),
  attemptNumber: z.number().optional(),
  objectId: z.number(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
  changeSource: z.string().optional(),
  sourceId: z.string().optional(),
}).refine((e) => e.subscriptionType !== undefined || e.eventType !== undefined, {
  message: 'subscriptionType is required',
  path: ['subscriptionType'],
});
export type HubSpotEvent = z.infer<typeof HubSpotEvent>;

export const HubSpotConfig = ConnectorBase.extend({
  /** The app's client secret (Auth tab of the HubSpot app); signs every request. */
  appSecret: z.string().min(8),
  /** Deal stages (internal values) that mean lost / won; per pipeline they can differ. */
  closedLostStages: z.array(z.string().min(1)).default(['closedlost']),
  closedWonStages: z.array(z.string().min(1)).default(['closedwon']),
  /** HubSpot sets this contact property to the form's name on every form submission. */
  formProperty: z.string().default('recent_conversion_event_name'),
  lifecycleProperty: z.string().default('lifecyclestage'),
});
export type HubSpotConfig = z.infer<typeof HubSpotConfig>;
