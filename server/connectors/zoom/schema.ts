/**
 * Zoom webhook payloads (Webinars events). One event per request.
 * https://developers.zoom.us/docs/api/webhooks/ (signature, endpoint.url_validation)
 * https://developers.zoom.us/docs/api/webinars/events/ (webinar.participant_joined,
 * webinar.registration_created; field types as in Zoom's own typed SDK, @zoom/rivet)
 */
import { z } from 'zod';
import { ConnectorBase } from '../module';

export const ZoomEnvelope = z.object({
  event: z.string().min(1),
  event_ts: z.number().optional(),
  payload: z.unknown(),
});

export const UrlValidation = z.object({ plainToken: z.string().min(1) });

const WebinarObject = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  uuid: z.string().min(1),
  topic: z.string().default(''),
  start_time: z.string().optional(),
});

export const ParticipantJoined = z.object({
  account_id: z.string().min(1),
  object: WebinarObject.extend({
    participant: z.object({
      user_name: z.string().optional(),
      email: z.string().optional(),
      join_time: z.iso.datetime({ offset: true }),
      registrant_id: z.string().optional(),
      participant_uuid: z.string().optional(),
      user_id: z.string().optional(),
    }),
  }),
});
export type ParticipantJoined = z.infer<typeof ParticipantJoined>;

export const RegistrationCreated = z.object({
  account_id: z.string().min(1),
  object: WebinarObject.extend({
    registrant: z.object({
      id: z.string().optional(),
      email: z.string().min(1),
      first_name: z.string().optional(),
      last_name: z.string().optional(),
      org: z.string().optional(),
      job_title: z.string().optional(),
      phone: z.string().optional(),
    }),
  }),
});
export type RegistrationCreated = z.infer<typeof RegistrationCreated>;

export const ZoomConfig = ConnectorBase.extend({
  /** The app's "Secret Token" (Marketplace app → Features → Access). */
  secretToken: z.string().min(8),
});
export type ZoomConfig = z.infer<typeof ZoomConfig>;
