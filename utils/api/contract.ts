/**
 * The scoring API contract (v1), as zod schemas: the single source of truth shared by the
 * extension (utils/api/client.ts) and the server (server/).
 * Field names are fixed (published in docs/openapi.json). Readers are tolerant, so a newer
 * server never breaks an older extension: unknown fields are stripped; CRM, band and stage are
 * open enums (the known values are listed and typed, any other string is kept and shown
 * generically); event types and cooldown reasons are plain strings; and the client drops an
 * invalid item of a list (a CRM reference, a timeline event...) alone, keeping the lead
 * (utils/api/read.ts). `npm run contract` publishes these as docs/openapi.json.
 * Texts (needReason, factor labels, timeline titles, cooldown messages) are in the language the
 * request's Accept-Language asks for, ja or en (the default): the client sends the rep's.
 */
import { z } from 'zod';
import { BUILTIN_CRMS } from '../crm/registry';
import { TeamPolicySchema } from '../policy/schema';

/**
 * A value from a set that grows: the known values are listed (in the published schema and in
 * the type, for autocompletion and exhaustive labels), and any other non-empty string is kept.
 */
export function openEnum<const T extends readonly [string, ...string[]]>(known: T): z.ZodType<T[number] | (string & {})> {
  return z.union([z.enum(known), z.string().min(1)]);
}

/** The CRMs this build knows: every adapter in utils/crm/registry.ts, and 'custom' (rules). */
export const CRMS = [...BUILTIN_CRMS, 'custom'] as const;
/** Strict: only a CRM this build knows (for what the extension itself produces). */
export const KnownCrm = z.enum(CRMS);
/** Tolerant: what the API may send; a CRM added on the server later is kept. */
export const Crm = openEnum(CRMS);
export type Crm = z.infer<typeof Crm>;
export type KnownCrm = z.infer<typeof KnownCrm>;

const isoDateTime = z.iso.datetime({ offset: true });

export const CrmRef = z.object({
  crm: Crm,
  /** salesforce: Lead|Contact|Account|Opportunity; kintone: app id; hubspot: 0-1|0-2|0-3;
   *  dynamics: entity logical name; zoho: module (Leads, Contacts, Accounts, Deals). */
  objectType: z.string().min(1),
  recordId: z.string().min(1),
  url: z.string().optional(),
  /** Added field: the tenant — kintone/Salesforce/Dynamics/Zoho host (`acme.cybozu.com`),
   *  HubSpot portal id. The same app and record number in two tenants are two records; a ref
   *  without a host matches any tenant (single-tenant teams). */
  host: z.string().min(1).optional(),
});
export type CrmRef = z.infer<typeof CrmRef>;

export const BANDS = ['hot', 'warm', 'cold'] as const;
/** A band this build knows; `LeadSummary.band` may carry another one from a newer server. */
export type Band = (typeof BANDS)[number];
export const STAGES = ['lead', 'process', 'sleep', 'churn'] as const;
/** A stage this build knows; `LeadSummary.stage` may carry another one from a newer server. */
export type Stage = (typeof STAGES)[number];

export const Person = z.object({ id: z.string(), name: z.string() });

export const LeadSummary = z.object({
  id: z.string().min(1),
  name: z.string(),
  company: z.string().optional(),
  email: z.string().optional(),
  /** Added field: the number to dial, as the source CRM holds it; the panel links it as `tel:`. */
  phone: z.string().optional(),
  owner: Person.optional(),
  score: z.number(),
  scoreChange24h: z.number(),
  band: openEnum(BANDS),
  /** Start of the call window. */
  needDetectedAt: isoDateTime.optional(),
  /** "Attended seminar: ..." — shown and notified. */
  needReason: z.string().optional(),
  /** Added field: what opened the call window — an event type (seminar_attended, video_watched,
   *  form_submit, ...) or 'score' when the score crossed the threshold. Drives per-type alerts. */
  needSignal: z.string().optional(),
  stage: openEnum(STAGES),
  lastActivityAt: isoDateTime.optional(),
  cooldownUntil: isoDateTime.optional(),
  crmRefs: z.array(CrmRef),
  updatedAt: isoDateTime,
  /** Added field: the user follows this lead (sync scope includes followed leads). */
  followed: z.boolean().optional(),
  /** Added field: sleeping lead that is active again. */
  waking: z.boolean().optional(),
});
export type LeadSummary = z.infer<typeof LeadSummary>;

export const ScoreFactor = z.object({
  key: z.string(),
  label: z.string(),
  points: z.number(),
  kind: z.enum(['behavior', 'timing', 'profile']),
  count: z.number().optional(),
  lastAt: isoDateTime.optional(),
});
export type ScoreFactor = z.infer<typeof ScoreFactor>;

/** Known event types; `type` stays an open string so unknown ones render generically. */
export const KNOWN_EVENT_TYPES = [
  'email_open', 'email_click', 'web_visit', 'key_page', 'download', 'form_submit',
  'seminar_registered', 'seminar_attended', 'video_watched', 'survey_answered', 'call',
  'line_message', 'sms', 'deal_lost', 'deal_won', 'complaint',
] as const;

export const TimelineEvent = z.object({
  id: z.string(),
  at: isoDateTime,
  type: z.string(),
  title: z.string(),
  detail: z.string().optional(),
  channel: z.string().optional(),
  points: z.number().optional(),
  url: z.string().optional(),
  actor: z.string().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const Cooldown = z.object({
  /** do_not_call, recently_lost, recent_call, contact_cap, quiet_hours, or one we do not know yet */
  reason: z.string(),
  severity: z.enum(['block', 'warn']),
  until: isoDateTime.optional(),
  message: z.string(),
});
export type Cooldown = z.infer<typeof Cooldown>;

export const Interest = z.object({ topic: z.string(), weight: z.number() });

export const LeadDetail = LeadSummary.extend({
  breakdown: z.array(ScoreFactor),
  timeline: z.array(TimelineEvent),
  timelineCursor: z.string().optional(),
  cooldowns: z.array(Cooldown),
  interests: z.array(Interest),
});
export type LeadDetail = z.infer<typeof LeadDetail>;

export const MeResponse = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  settings: z.object({ hotThreshold: z.number(), callWindowMinutes: z.number().int().positive() }),
});
export type MeResponse = z.infer<typeof MeResponse>;

/**
 * Added route: GET /v1/policy — the team policy (when not to call, business hours, call window,
 * retry cadence) derived from the team's current scoring rules. The extension evaluates it
 * offline and shows it read-only; the server scores with the same numbers. Sent with an ETag;
 * If-None-Match answers 304 while the rules have not changed.
 */
export const TeamPolicyResponse = z.object({
  policy: TeamPolicySchema,
  /** The rule set's version (0 = the server's defaults; a manager's save makes a new one). */
  version: z.number().int().nonnegative(),
  /** When that version was saved. */
  updatedAt: isoDateTime.optional(),
  /** Whose rules these are: the user's team, or null for the organisation-wide set. */
  team: z.string().nullable(),
});
export type TeamPolicyResponse = z.infer<typeof TeamPolicyResponse>;

/**
 * Added header of GET /v1/leads/changes (200 and 304): the team policy's current ETag, so an idle
 * poll tells whether GET /v1/policy is worth asking. A server without it serves no team policy.
 */
export const POLICY_TAG_HEADER = 'LeadLens-Policy';

export const ChangesResponse = z.object({
  leads: z.array(LeadSummary),
  removed: z.array(z.string()),
  cursor: z.string(),
  hasMore: z.boolean(),
});
export type ChangesResponse = z.infer<typeof ChangesResponse>;

export const LookupResponse = z.object({ lead: LeadSummary });
export type LookupResponse = z.infer<typeof LookupResponse>;

/** no_answer, busy and gatekeeper reach nobody: the need stays open (utils/policy/outcomes.ts). */
export const CALL_OUTCOMES = ['connected', 'meeting_set', 'no_answer', 'busy', 'gatekeeper', 'lost', 'complaint'] as const;
export const LOSS_REASONS = ['price', 'timing', 'competitor', 'no_need', 'other'] as const;

export const ActivityRequest = z.object({
  type: z.literal('call'),
  outcome: z.enum(CALL_OUTCOMES),
  lossReason: z.enum(LOSS_REASONS).optional(),
  note: z.string().max(4000).optional(),
  at: isoDateTime,
});
export type ActivityRequest = z.infer<typeof ActivityRequest>;

export const ActivityResponse = z.object({ event: TimelineEvent });
export type ActivityResponse = z.infer<typeof ActivityResponse>;

export const RecycleRequest = z.object({
  track: z.string().min(1),
  frequency: z.enum(['weekly', 'biweekly', 'monthly']),
  email: z.email(),
});
export type RecycleRequest = z.infer<typeof RecycleRequest>;

export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** Schemas published under components/schemas, by name. */
export const namedSchemas = {
  CrmRef, LeadSummary, ScoreFactor, TimelineEvent, Cooldown, LeadDetail, MeResponse,
  TeamPolicyResponse, ChangesResponse, LookupResponse, ActivityRequest, ActivityResponse, RecycleRequest, ErrorResponse,
} as const;
