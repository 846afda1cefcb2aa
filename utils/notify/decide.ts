/**
 * Who gets notified of what, decided as a pure function: the background passes what changed in
 * the last sync, the rep's preferences, the clock and what was already announced; it gets back
 * the notifications to show, the ones to hold, and the dedupe keys to remember. No chrome.*, no
 * clock of its own, no text baked in (i18n keys and parameters, see ./text.ts).
 *
 * Rules (an instant alert within the 2-hour window; alerts that name the next action, each rep
 * chooses which alerts to get and per lead, "recycle?" nudges for stale leads):
 * - A need is announced once: key `${leadId}@${needDetectedAt}`, whatever the number of polls.
 *   Kinds: the sync's `signal` (seminar attended, video watched, inquiry form, waking) when given;
 *   else "became hot" when the band went to hot or needDetectedAt moved; else "waking" when the
 *   lead's `waking` flag came on. A need whose call window already closed is not announced (a
 *   first full sync must not replay last month) but its key is recorded so it never is.
 *   Need alerts other than waking need `needDetectedAt` (it starts the window they talk about).
 * - Waking is keyed by the activity that woke the lead (`${leadId}#waking@${lastActivityAt}`)
 *   and announced while that activity is less than a day old.
 * - Window ending: 30 minutes before the window closes, once per need (`…#ending`), only while
 *   the lead is hot, not in cooldown and no call was logged since the need. Skipped when this
 *   run already announces the need itself (that alert names the same deadline).
 * - Stale ("recycle?"): a lead I own, at stage lead/process, not hot, with no activity for
 *   `staleAfterDays`; once per lead per lastActivityAt. Ownership only: following someone
 *   else's lead does not make its recycling my call.
 * - Scope 'mine' = I own it or follow it; 'team' = every lead the sync brings.
 * - Follow overrides a switched-off type and the minimum score ("all alerts for this one").
 *   Minimum score does not apply to stale nudges (a stale lead's score has decayed by design).
 * - Mute wins over everything, also over alerts held earlier. Snoozed leads are skipped until
 *   the snooze ends, without recording the key, so a later time-based alert can still come.
 * - Quiet hours and non-working days hold alerts (keys recorded, so the next poll does not hold
 *   them twice); when the quiet time ends everything held comes as ONE summary.
 * - More than three alerts at once become one summary listing the leads.
 */
import type { LeadSummary } from '../api/contract';
import type { MessageKey } from '../i18n';
import type { NotificationType, Preferences } from '../preferences/schema';
import type { BusinessCalendar } from '../policy/business-hours';
import { windowBounds } from '../policy/call-window';
import { isUnreachedOutcome } from '../policy/outcomes';
import { isWithin, localClock } from './clock';
import { listText, renderText, text, type LocalParam, type LocalText, type Translate } from './text';

export type NeedSignal = 'seminar_attended' | 'video_watched' | 'form_submit' | 'waking';

export interface LeadChange {
  before?: LeadSummary;
  after: LeadSummary;
  /** The high-intent event the sync saw behind this change, if any. */
  signal?: NeedSignal;
}

export type NotificationKind = NotificationType;
export type NotificationButton = 'open' | 'snooze';

/** One line of a summary (Chrome's "list" notification: title = lead, message = reason). */
export interface SummaryItem {
  leadId: string;
  kind: NotificationKind;
  label: LocalParam;
  reason: LocalText;
}

export interface NotificationPlan {
  /** Stable: the same alert always gets the same id (usable as the chrome.notifications id). */
  id: string;
  kind: NotificationKind | 'summary';
  leadId?: string;
  /** "Tanaka (ACME)", for the summary lines. */
  leadLabel?: LocalParam;
  titleKey: MessageKey;
  titleParams: LocalParam[];
  messageKey: MessageKey;
  messageParams: LocalParam[];
  buttons: NotificationButton[];
  /** chrome.notifications priority: 2 = act now, 0 = whenever. */
  priority: 0 | 1 | 2;
  /** The dedupe keys this plan announces. */
  keys: string[];
  /** Summaries only: the leads listed. */
  items?: SummaryItem[];
}

/** An alert held during quiet time, stored by the background until it is delivered. */
export interface DeferredItem {
  key: string;
  /** ISO 8601. */
  heldAt: string;
  plan: NotificationPlan;
}

export interface DecideInput {
  changes: readonly LeadChange[];
  prefs: Preferences;
  me: { userId: string };
  now: Date;
  /** Keys of earlier notifications (including held ones). */
  alreadyNotified: ReadonlySet<string>;
  /** Held during quiet hours, oldest first. */
  deferred: readonly DeferredItem[];
  /** Length of the call window (GET /v1/me settings.callWindowMinutes, or the team policy). */
  windowMinutes: number;
  /** leadId → ISO instant until which the rep snoozed it. */
  snoozed?: Readonly<Record<string, string>>;
  /** Cached leads the time-based rules (window ending, stale) should look at even though they did
   *  not change in this sync: the hot leads whose window is open, my leads idle for a while. */
  standing?: readonly LeadSummary[];
  /** Calls logged in LeadLens; a call that reached the lead after the need silences the window-ending alert. */
  calls?: readonly { leadId: string; at: string; outcome?: string }[];
  /** The team's business calendar: the window counts business time, so "call before" names a time the team works. */
  calendar?: BusinessCalendar;
}

export interface DecideResult {
  notify: NotificationPlan[];
  /** The full list to hold from now on (replaces the stored one). */
  defer: DeferredItem[];
  /** Add these to alreadyNotified. */
  keysToRecord: string[];
}

export const ENDING_LEAD_MINUTES = 30;
export const MAX_SINGLE_NOTIFICATIONS = 3;
export const SUMMARY_NAMES_SHOWN = 5;
export const MAX_DEFERRED = 200;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const WAKING_FRESH_MS = DAY_MS;
const MAX_REASON_LENGTH = 200;

const SIGNAL_KINDS: Readonly<Record<NeedSignal, NotificationKind>> = {
  seminar_attended: 'seminarAttended',
  video_watched: 'videoWatched',
  form_submit: 'inquiryForm',
  waking: 'dormantWaking',
};

const NEED_KINDS: ReadonlySet<NotificationKind> = new Set(['becameHot', 'seminarAttended', 'videoWatched', 'inquiryForm', 'dormantWaking']);

const TITLES: Readonly<Record<NotificationKind, MessageKey>> = {
  becameHot: 'notifyTitleBecameHot',
  seminarAttended: 'notifyTitleSeminarAttended',
  videoWatched: 'notifyTitleVideoWatched',
  inquiryForm: 'notifyTitleInquiryForm',
  dormantWaking: 'notifyTitleDormantWaking',
  windowEnding: 'notifyTitleWindowEnding',
  staleAssigned: 'notifyTitleStaleAssigned',
};

const MESSAGES: Readonly<Record<NotificationKind, MessageKey>> = {
  becameHot: 'notifyMessageBecameHot',
  seminarAttended: 'notifyMessageSeminarAttended',
  videoWatched: 'notifyMessageVideoWatched',
  inquiryForm: 'notifyMessageInquiryForm',
  dormantWaking: 'notifyMessageDormantWaking',
  windowEnding: 'notifyMessageWindowEnding',
  staleAssigned: 'notifyMessageStaleAssigned',
};

/** Short reason per kind: summary lines, and the reason when the API gave no needReason. */
export const KIND_LABELS: Readonly<Record<NotificationKind, MessageKey>> = {
  becameHot: 'notifyKindBecameHot',
  seminarAttended: 'notifyKindSeminarAttended',
  videoWatched: 'notifyKindVideoWatched',
  inquiryForm: 'notifyKindInquiryForm',
  dormantWaking: 'notifyKindDormantWaking',
  windowEnding: 'notifyKindWindowEnding',
  staleAssigned: 'notifyKindStaleAssigned',
};

const PRIORITY: Readonly<Record<NotificationKind, 0 | 1 | 2>> = {
  becameHot: 2, seminarAttended: 2, videoWatched: 2, inquiryForm: 2, dormantWaking: 1, windowEnding: 2, staleAssigned: 0,
};

const toMs = (iso: string | undefined): number | undefined => {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
};

export const needKey = (leadId: string, needDetectedAt: string): string => `${leadId}@${needDetectedAt}`;
export const endingKey = (leadId: string, needDetectedAt: string): string => `${needKey(leadId, needDetectedAt)}#ending`;
export const wakingKey = (leadId: string, lastActivityAt: string | undefined): string => `${leadId}#waking@${lastActivityAt ?? ''}`;
export const staleKey = (leadId: string, lastActivityAt: string): string => `${leadId}#stale@${lastActivityAt}`;

export function leadLabel(lead: Pick<LeadSummary, 'id' | 'name' | 'company' | 'email'>): LocalParam {
  const name = lead.name.trim() || lead.email?.trim() || lead.id;
  const company = lead.company?.trim();
  return company ? text('notifyLeadWithCompany', name, company) : name;
}

/** FNV-1a, for stable summary ids. */
function hash(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

interface Candidate {
  key: string;
  kind: NotificationKind;
  lead: LeadSummary;
  build: () => NotificationPlan;
  /** Not sent (but recorded) when this need key is announced in the same run. */
  coveredBy?: string;
}

export function decideNotifications(input: DecideInput): DecideResult {
  const { prefs, me } = input;
  const settings = prefs.notifications;
  const now = input.now.getTime();
  const windowMs = Math.max(0, input.windowMinutes) * MINUTE_MS;
  const zone = settings.timeZone;
  const followed = new Set(prefs.followed);
  const muted = new Set(prefs.muted);
  const seen = new Set(input.alreadyNotified);
  const keysToRecord: string[] = [];
  const record = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    keysToRecord.push(key);
  };

  const clockAt = (ms: number) => localClock(ms, zone);
  const today = clockAt(now).date;
  /** "10:30" today, "5/13 10:30" another day. */
  const when = (ms: number): string => {
    const c = clockAt(ms);
    return c.date === today ? c.hhmm : `${c.monthDay} ${c.hhmm}`;
  };

  const isSnoozed = (leadId: string) => (toMs(input.snoozed?.[leadId]) ?? -Infinity) > now;
  const inCooldown = (lead: LeadSummary) => (toMs(lead.cooldownUntil) ?? -Infinity) > now;
  // No answer, busy, a gatekeeper: the need is still open, the deadline still matters.
  const calledSince = (leadId: string, fromMs: number) =>
    (input.calls ?? []).some((c) => c.leadId === leadId && !isUnreachedOutcome(c.outcome) && (toMs(c.at) ?? -Infinity) >= fromMs);
  const windowEndOf = (lead: LeadSummary, needAt: number): number =>
    windowBounds(lead.needDetectedAt, input.windowMinutes, input.calendar)?.end ?? needAt + windowMs;

  const plan = (kind: NotificationKind, lead: LeadSummary, key: string, messageKey: MessageKey, messageParams: LocalParam[]): NotificationPlan => {
    const label = leadLabel(lead);
    return {
      id: `leadlens:${key}`,
      kind,
      leadId: lead.id,
      leadLabel: label,
      titleKey: TITLES[kind],
      titleParams: [label],
      messageKey,
      messageParams,
      buttons: ['open', 'snooze'],
      priority: PRIORITY[kind],
      keys: [key],
    };
  };

  const reasonOf = (kind: NotificationKind, lead: LeadSummary): LocalParam => {
    const given = lead.needReason?.trim();
    if (given) return given.length > MAX_REASON_LENGTH ? `${given.slice(0, MAX_REASON_LENGTH - 1)}…` : given;
    return kind === 'becameHot' ? text('notifyReasonScore', String(Math.round(lead.score))) : text(KIND_LABELS[kind]);
  };

  // --- 1. Needs, from what changed -----------------------------------------------------------
  const candidates: Candidate[] = [];

  for (const { before, after: lead, signal } of input.changes) {
    const hotNow = lead.band === 'hot' && lead.needDetectedAt !== undefined
      // Compared as instants: "…Z" and "…+09:00" spellings of one moment are one need.
      && (before?.band !== 'hot' || toMs(before.needDetectedAt) !== toMs(lead.needDetectedAt));
    const kind: NotificationKind | undefined = signal
      ? SIGNAL_KINDS[signal]
      : hotNow ? 'becameHot' : lead.waking && !before?.waking ? 'dormantWaking' : undefined;
    if (!kind) continue;

    if (kind === 'dormantWaking') {
      const activity = toMs(lead.lastActivityAt);
      const key = wakingKey(lead.id, lead.lastActivityAt);
      if (activity !== undefined && now - activity >= WAKING_FRESH_MS) {
        record(key);
        continue;
      }
      candidates.push({ key, kind, lead, build: () => plan(kind, lead, key, MESSAGES[kind], [reasonOf(kind, lead)]) });
      continue;
    }

    const needAt = toMs(lead.needDetectedAt);
    if (needAt === undefined || lead.needDetectedAt === undefined) continue;
    const key = needKey(lead.id, lead.needDetectedAt);
    const windowEnd = windowEndOf(lead, needAt);
    if (now >= windowEnd) {
      record(key); // too late to call in the window: never announce this need
      continue;
    }
    candidates.push({
      key,
      kind,
      lead,
      build: () => inCooldown(lead)
        ? plan(kind, lead, key, 'notifyMessageCooldown', [reasonOf(kind, lead), when(toMs(lead.cooldownUntil) ?? now)])
        : plan(kind, lead, key, MESSAGES[kind], [reasonOf(kind, lead), when(windowEnd)]),
    });
  }

  // --- 2. Time-based: window ending, stale ---------------------------------------------------
  const latest = new Map<string, LeadSummary>();
  for (const lead of input.standing ?? []) latest.set(lead.id, lead);
  for (const { after } of input.changes) latest.set(after.id, after);

  for (const lead of latest.values()) {
    const needAt = toMs(lead.needDetectedAt);
    if (lead.band === 'hot' && lead.needDetectedAt !== undefined && needAt !== undefined && input.windowMinutes > ENDING_LEAD_MINUTES) {
      const windowEnd = windowEndOf(lead, needAt);
      const key = endingKey(lead.id, lead.needDetectedAt);
      if (now >= windowEnd - ENDING_LEAD_MINUTES * MINUTE_MS && now < windowEnd && !calledSince(lead.id, needAt) && !inCooldown(lead)) {
        const minutesLeft = String(Math.ceil((windowEnd - now) / MINUTE_MS));
        candidates.push({
          key,
          kind: 'windowEnding',
          lead,
          build: () => plan('windowEnding', lead, key, MESSAGES.windowEnding, [minutesLeft, when(windowEnd)]),
          coveredBy: needKey(lead.id, lead.needDetectedAt),
        });
      }
    }

    const activity = toMs(lead.lastActivityAt);
    if (
      lead.owner?.id === me.userId && (lead.stage === 'lead' || lead.stage === 'process') && lead.band !== 'hot'
      && lead.lastActivityAt !== undefined && activity !== undefined
    ) {
      const idleDays = Math.floor((now - activity) / DAY_MS);
      if (idleDays >= settings.staleAfterDays) {
        const key = staleKey(lead.id, lead.lastActivityAt);
        candidates.push({
          key,
          kind: 'staleAssigned',
          lead,
          build: () => plan('staleAssigned', lead, key, MESSAGES.staleAssigned, [String(idleDays)]),
        });
      }
    }
  }

  // --- 3. Who wants it -----------------------------------------------------------------------
  const fresh: NotificationPlan[] = [];
  const announced = new Set<string>();
  for (const { key, kind, lead, build, coveredBy } of candidates) {
    if (muted.has(lead.id) || isSnoozed(lead.id)) continue;
    const isFollowed = followed.has(lead.id);
    const isMine = isFollowed || lead.owner?.id === me.userId;
    if (settings.scope === 'mine' && !isMine) continue;
    if (!isFollowed && !settings.types[kind]) continue;
    if (!isFollowed && kind !== 'staleAssigned' && lead.score < settings.minScore) continue;
    if (seen.has(key)) continue;
    record(key);
    if (coveredBy !== undefined && announced.has(coveredBy)) continue;
    announced.add(key);
    fresh.push(build());
  }

  // --- 4. Now, later, or as a summary --------------------------------------------------------
  const held = input.deferred.filter((d) => d.plan.leadId === undefined || !muted.has(d.plan.leadId));
  const local = clockAt(now);
  const quiet = !settings.workingDays.includes(local.weekday)
    || (settings.quietHours.enabled && isWithin(local.minute, settings.quietHours.start, settings.quietHours.end));

  if (quiet) {
    const heldAt = new Date(now).toISOString();
    const defer = [...held, ...fresh.map((p) => ({ key: p.keys[0] ?? p.id, heldAt, plan: p }))].slice(-MAX_DEFERRED);
    return { notify: [], defer, keysToRecord };
  }

  const batch = [...held.map((d) => d.plan), ...fresh];
  let notify: NotificationPlan[];
  if (held.length > 0 && batch.length > 1) notify = [summarize(batch, true)];
  else if (batch.length > MAX_SINGLE_NOTIFICATIONS) notify = [summarize(batch, false)];
  else notify = batch;
  return { notify, defer: [], keysToRecord };
}

/** One notification for many: one line per lead (the first alert about it), names in the text. */
function summarize(plans: readonly NotificationPlan[], afterQuiet: boolean): NotificationPlan {
  const items: SummaryItem[] = [];
  const listed = new Set<string>();
  for (const p of plans) {
    if (p.kind === 'summary' || p.leadId === undefined || listed.has(p.leadId)) continue;
    listed.add(p.leadId);
    items.push({ leadId: p.leadId, kind: p.kind, label: p.leadLabel ?? p.leadId, reason: text(KIND_LABELS[p.kind]) });
  }
  const kinds = new Set(items.map((i) => i.kind));
  const only = (set: ReadonlySet<NotificationKind>) => [...kinds].every((k) => set.has(k));
  const titleKey: MessageKey = afterQuiet
    ? 'notifySummaryAwayTitle'
    : only(NEED_KINDS) ? 'notifySummaryHotTitle'
      : only(new Set(['windowEnding'])) ? 'notifySummaryEndingTitle'
        : only(new Set(['staleAssigned'])) ? 'notifySummaryStaleTitle'
          : 'notifySummaryMixedTitle';
  const shown = listText(items.slice(0, SUMMARY_NAMES_SHOWN).map((i) => i.label));
  const names = items.length > SUMMARY_NAMES_SHOWN ? text('notifySummaryMore', shown, String(items.length - SUMMARY_NAMES_SHOWN)) : shown;
  const keys = plans.flatMap((p) => p.keys);
  return {
    id: `leadlens:summary:${hash([...keys].sort().join('\n'))}`,
    kind: 'summary',
    titleKey,
    titleParams: [String(items.length)],
    messageKey: 'notifySummaryMessage',
    messageParams: [names],
    buttons: ['open'],
    priority: plans.some((p) => p.priority === 2) ? 2 : plans.some((p) => p.priority === 1) ? 1 : 0,
    keys,
    items,
  };
}

/** Title, message and summary lines in the reader's language (the background passes `t`). */
export function renderPlan(plan: NotificationPlan, translate: Translate): {
  title: string;
  message: string;
  items: { title: string; message: string }[];
} {
  return {
    title: renderText(text(plan.titleKey, ...plan.titleParams), translate),
    message: renderText(text(plan.messageKey, ...plan.messageParams), translate),
    items: (plan.items ?? []).map((i) => ({ title: renderText(i.label, translate), message: renderText(i.reason, translate) })),
  };
}
