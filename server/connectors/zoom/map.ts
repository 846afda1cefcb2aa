/**
 * Zoom webinar events → LeadLens events, keyed to the lead by email (Zoom knows no CRM ids).
 * One attendance per person per webinar instance: the id is built from the instance's uuid and
 * the attendee, never from the join, so a rejoin (dropped connection, second device) is a
 * duplicate and scored once.
 */
import type { IngestEvent } from '../../contract/ingest';
import { describeIssues, type MapOutcome } from '../mapped';
import { ParticipantJoined, RegistrationCreated } from './schema';

const normaliseEmail = (email: string) => email.trim().toLowerCase();

export function mapZoomEvent(event: string, payload: unknown, eventTs: number | undefined): MapOutcome {
  if (event === 'webinar.participant_joined') {
    const r = ParticipantJoined.safeParse(payload);
    if (!r.success) return { rejected: describeIssues(r.error.issues) };
    const { account_id: account, object } = r.data;
    const email = object.participant.email?.trim();
    // Guests who joined without registering have no email: nothing names their lead.
    if (!email) return { rejected: 'participant has no email (join without registration), so no lead can be matched' };
    const e: IngestEvent = {
      id: `zoom:${account}:${object.uuid}:attended:${normaliseEmail(email)}`,
      lead: { email },
      type: 'seminar_attended',
      at: object.participant.join_time,
      title: object.topic,
      channel: 'zoom',
      meta: { webinarId: object.id, webinarUuid: object.uuid, ...(object.participant.user_name ? { attendee: object.participant.user_name } : {}) },
    };
    return { events: [e] };
  }
  if (event === 'webinar.registration_created') {
    const r = RegistrationCreated.safeParse(payload);
    if (!r.success) return { rejected: describeIssues(r.error.issues) };
    if (eventTs === undefined) return { rejected: 'event_ts: required for a registration' };
    const { account_id: account, object } = r.data;
    const e: IngestEvent = {
      id: `zoom:${account}:${object.uuid}:registered:${normaliseEmail(object.registrant.email)}`,
      lead: { email: object.registrant.email.trim() },
      type: 'seminar_registered',
      at: new Date(eventTs).toISOString(),
      title: object.topic,
      channel: 'zoom',
      meta: { webinarId: object.id, webinarUuid: object.uuid, ...(object.start_time ? { startTime: object.start_time } : {}) },
    };
    return { events: [e] };
  }
  return { ignored: `${event} is not mapped` };
}
