/**
 * Marketo Engage: the webhook body of the template we publish, the REST answers we read, and the
 * connector's config. REST shapes as documented at
 * https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities
 * and https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/authentication
 */
import { z } from 'zod';
import { ConnectorBase } from '../module';

/** Marketo leaves an empty token as "": read as absent. */
const opt = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.string().optional());
const idLike = z.union([z.string().min(1), z.number().int()]).transform(String);

export const MarketoWebhookBody = z.object({
  leadId: idLike,
  email: opt,
  firstName: opt,
  lastName: opt,
  company: opt,
  /** Our event type when the campaign knows it (e.g. "seminar_attended"). */
  type: opt,
  /** Or the Marketo activity's name, mapped like the pull maps it ("Fill Out Form"). */
  activity: opt,
  campaign: opt,
  campaignId: z.preprocess((v) => (v === '' ? undefined : v), idLike.optional()),
  occurredAt: opt,
  url: opt,
});
export type MarketoWebhookBody = z.infer<typeof MarketoWebhookBody>;

export const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().int().nonnegative(),
  scope: z.string().optional(),
});

export const MarketoError = z.object({ code: z.union([z.string(), z.number()]).transform(String), message: z.string().optional() });

export const Envelope = z.object({
  requestId: z.string().optional(),
  success: z.boolean(),
  errors: z.array(MarketoError).optional(),
  result: z.array(z.unknown()).optional(),
  nextPageToken: z.string().optional(),
  moreResult: z.boolean().optional(),
});

export const ActivityType = z.object({ id: z.number().int(), name: z.string() });

export const Activity = z.object({
  id: z.number().int(),
  marketoGUID: z.string().optional(),
  leadId: z.number().int(),
  activityDate: z.string().min(1),
  activityTypeId: z.number().int(),
  primaryAttributeValueId: z.number().optional(),
  primaryAttributeValue: z.string().optional(),
  attributes: z.array(z.object({ name: z.string(), value: z.unknown() })).default([]),
});
export type Activity = z.infer<typeof Activity>;

export const MarketoPull = z.object({
  enabled: z.boolean().default(false),
  /** Admin → Integration → LaunchPoint → the API-only user's service → View Details. */
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  intervalSeconds: z.number().int().min(60).default(300),
  /** First run only; default: 24 hours before the first run. */
  since: z.iso.datetime({ offset: true }).optional(),
  /** Program statuses that mean attended / registered (program channels name them). */
  attendedStatuses: z.array(z.string()).default(['Attended', 'Attended On-demand']),
  registeredStatuses: z.array(z.string()).default(['Registered']),
  /** Admin → Web Services → REST API Endpoint without /rest; default https://<munchkinId>.mktorest.com. */
  baseUrl: z.url().optional(),
});
export type MarketoPull = z.infer<typeof MarketoPull>;

export const MarketoConfig = ConnectorBase.extend({
  munchkinId: z.string().regex(/^\d{3}-[A-Z]{3}-\d{3}$/i, 'like 123-ABC-456 (Admin → Munchkin)'),
  /** Marketo webhooks are not signed: the URL carries this secret. */
  urlSecret: z.string().min(24, 'at least 24 characters (the URL is the only credential)').regex(/^[A-Za-z0-9_-]+$/),
  /** {{system.dateTime}} is written without a zone, in the instance's time zone. */
  timeZoneOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/).default('+09:00'),
  pull: MarketoPull.optional(),
});
export type MarketoConfig = z.infer<typeof MarketoConfig>;
