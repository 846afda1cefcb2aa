/**
 * What happened ("who did what, when", every channel in one place): events grouped
 * by day, newest first, each with a small text glyph for its type (a generic one for types
 * this version does not know), and what matters about it: how much of a video was watched,
 * the call's outcome, why a deal was lost, who acted.
 */
import type { KNOWN_EVENT_TYPES } from '../../utils/api/contract';
import { t, type MessageKey } from '../../utils/i18n';
import { dayKey, formatDay, formatTime, safeHref, signedPoints } from './format';
import { labelOf, LOSS_LABELS, OUTCOME_LABELS } from './labels';
import type { PanelEvent, PanelEventStatus } from '../../utils/policy/timeline';

const STATUS_LABELS: Readonly<Record<PanelEventStatus, MessageKey>> = { sending: 'timelineSending', sent: 'timelineSent', failed: 'timelineFailed' };

export type { PanelEvent } from '../../utils/policy/timeline';

// Text glyphs, not emoji: small, and they take the panel's colour. U+FE0E asks for the text form.
const GLYPHS: Readonly<Record<(typeof KNOWN_EVENT_TYPES)[number], string>> = {
  email_open: '✉\uFE0E', email_click: '↗', web_visit: '◎', key_page: '★', download: '↓', form_submit: '✎',
  seminar_registered: '◇', seminar_attended: '◆', video_watched: '▶\uFE0E', survey_answered: '☑\uFE0E',
  call: '☎\uFE0E', line_message: 'L', sms: '✉\uFE0E', deal_lost: '✕', deal_won: '✓', complaint: '!',
};

/** A known type's label key is derived from its name (seminar_attended → eventTypeSeminarAttended): fewer bytes in the content script. */
const typeLabel = (type: string): MessageKey => `eventType${type.replace(/(?:^|_)(\w)/g, (_, c: string) => c.toUpperCase())}` as MessageKey;

export interface TimelineProps {
  events: readonly PanelEvent[];
  /** Present when older events exist on the server. */
  cursor?: string;
  onLoadOlder?(): void;
  loadingOlder?: boolean;
  now: number;
  locale: string;
  timeZone?: string;
}

interface Day {
  key: string;
  at: number;
  events: { event: PanelEvent; at: number }[];
}

export function groupByDay(events: readonly PanelEvent[], timeZone?: string): Day[] {
  const sorted = events
    .map((event) => ({ event, at: Date.parse(event.at) }))
    .filter((e) => !Number.isNaN(e.at))
    .sort((a, b) => b.at - a.at);
  const days: Day[] = [];
  for (const e of sorted) {
    const key = dayKey(e.at, timeZone);
    const last = days[days.length - 1];
    if (last?.key === key) last.events.push(e);
    else days.push({ key, at: e.at, events: [e] });
  }
  return days;
}

export function Timeline({ events, cursor, onLoadOlder, loadingOlder, now, locale, timeZone }: TimelineProps) {
  const days = groupByDay(events, timeZone);
  const today = dayKey(now, timeZone);
  const yesterday = dayKey(now - 86_400_000, timeZone);
  return (
    <section class="section timeline">
      <h3>{t('timelineTitle')}</h3>
      {days.length === 0 ? <p class="muted">{t('timelineEmpty')}</p> : null}
      {days.map((day) => (
        <div key={day.key} class="day" data-day={day.key}>
          <h4 class="day-title">
            {day.key === today ? t('timelineToday') : day.key === yesterday ? t('timelineYesterday') : formatDay(day.at, locale, timeZone)}
          </h4>
          <ol class="events">
            {day.events.map(({ event }) => <EventRow key={event.id} event={event} locale={locale} timeZone={timeZone} />)}
          </ol>
        </div>
      ))}
      {cursor && onLoadOlder ? (
        <button type="button" class="link older" disabled={loadingOlder} onClick={() => onLoadOlder()}>{t('timelineOlder')}</button>
      ) : null}
    </section>
  );
}

function EventRow({ event, locale, timeZone }: { event: PanelEvent; locale: string; timeZone?: string }) {
  const known = Object.prototype.hasOwnProperty.call(GLYPHS, event.type);
  const glyph = known ? GLYPHS[event.type as keyof typeof GLYPHS] : '•';
  const label = known ? typeLabel(event.type) : 'eventTypeOther';
  const href = safeHref(event.url);
  const meta = event.meta ?? {};
  const watched = typeof meta.watchedPercent === 'number' && Number.isFinite(meta.watchedPercent) ? Math.round(meta.watchedPercent) : undefined;
  const outcome = labelOf(OUTCOME_LABELS, meta.outcome);
  const lossReason = typeof meta.lossReason === 'string' ? meta.lossReason : undefined;
  const lossLabel = labelOf(LOSS_LABELS, lossReason);
  const status = event.pending || event.status === 'sending' ? 'sending' : event.status;
  return (
    <li class={`event${event.pending ? ' pending' : ''}`} data-type={event.type}>
      <span class={`ev-icon${known ? '' : ' ev-generic'}`} aria-hidden="true">{glyph}</span>
      <div class="ev-body">
        <p class="ev-head">
          <span class="ev-type">{t(label)}</span>
          <time dateTime={event.at}>{formatTime(event.at, locale, timeZone)}</time>
        </p>
        {event.title ? (
          <p class="ev-title api">
            {href ? <a href={href} target="_blank" rel="noopener noreferrer">{event.title}</a> : event.title}
          </p>
        ) : null}
        {event.detail ? <p class="ev-detail api">{event.detail}</p> : null}
        <p class="ev-meta">
          {watched !== undefined ? <span class="chip">{t('timelineWatched', String(watched))}</span> : null}
          {outcome ? <span class="chip">{t(outcome)}</span> : null}
          {lossReason ? <span class="chip loss api">{t('timelineLossReason', lossLabel ? t(lossLabel) : lossReason)}</span> : null}
          {event.actor ? <span class="api">{t('timelineBy', event.actor)}</span> : null}
          {event.points ? <span class="ev-points">{signedPoints(event.points)}</span> : null}
          {status ? <span class={`ev-status ${status}`} role="status">{t(STATUS_LABELS[status])}</span> : null}
          {status === 'failed' && event.error ? <span class="ev-error api">{event.error}</span> : null}
        </p>
      </div>
    </li>
  );
}
