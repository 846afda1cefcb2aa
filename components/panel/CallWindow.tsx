/**
 * The call deadline: time since the need was detected, what it was, and the business time left
 * (calls made within two hours of a need signal convert several times better than later ones). Outside business hours the countdown stands
 * still and says when it resumes; after a call that reached nobody it names the next try; after
 * one that reached the lead it says so. `now` comes from the parent's single minute ticker.
 */
import { t } from '../../utils/i18n';
import type { BusinessCalendar } from '../../utils/policy/business-hours';
import { callWindow, formatDuration } from '../../utils/policy/call-window';
import type { NeedProgress } from '../../utils/policy/outcomes';
import { formatDateTime, formatTime } from './format';
import { labelOf, OUTCOME_LABELS } from './labels';

export interface CallWindowProps {
  needDetectedAt?: string;
  /** The reason in words, e.g. "Attended seminar: …" (known signals translated by the caller). */
  needReason?: string;
  windowMinutes: number;
  now: number;
  locale: string;
  timeZone?: string;
  /** The team's calendar: the window counts business time only. Without it, wall-clock time. */
  calendar?: BusinessCalendar;
  progress?: NeedProgress;
}

export function CallWindow({ needDetectedAt, needReason, windowMinutes, now, locale, timeZone, calendar, progress }: CallWindowProps) {
  const w = callWindow(needDetectedAt, windowMinutes, now, calendar);
  const reason = needReason ? <p class="need-reason api">{needReason}</p> : null;
  if (w.state === 'none') {
    return reason && (
      <section class="window none">
        <span class="need-label">{t('needReasonLabel')}</span>
        {reason}
      </section>
    );
  }
  const running = w.state === 'open' || w.state === 'paused';
  const total = Math.max(1, windowMinutes * 60_000);
  const iso = (ms: number) => new Date(ms).toISOString();
  const outcome = progress && progress.state !== 'none' && progress.state !== 'untried' ? labelOf(OUTCOME_LABELS, progress.state === 'retry' ? progress.lastOutcome : progress.outcome) : undefined;
  return (
    <section class={`window ${w.state}`} aria-label={t('callWindowLabel')} data-testid="call-window" data-progress={progress?.state}>
      <div class="window-head">
        <span class="window-detected">{t('callWindowDetected', formatDuration(w.detectedAgoMs, locale))}</span>
        <strong class="window-left">
          {running ? t('callWindowLeft', formatDuration(w.remainingMs, locale)) : t('callWindowMissed', formatDuration(w.missedByMs, locale))}
        </strong>
      </div>
      {w.state === 'paused' ? <p class="window-paused">{t('callWindowPaused', formatDateTime(w.resumesAt, locale, timeZone))}</p> : null}
      {running && progress?.state === 'retry' ? (
        <p class="window-progress" data-testid="next-try">
          {t('callWindowNextTry', [formatTime(iso(Math.max(now, progress.nextTryAt)), locale, timeZone), outcome ? t(outcome) : ''])}
        </p>
      ) : null}
      {progress?.state === 'reached' ? (
        <p class="window-progress">{t('callWindowReached', outcome ? t(outcome) : formatTime(iso(progress.at), locale, timeZone))}</p>
      ) : null}
      {reason}
      {running ? (
        <div class="meter" aria-hidden="true">
          <span style={{ width: `${Math.min(100, (w.remainingMs / total) * 100).toFixed(1)}%` }} />
        </div>
      ) : null}
    </section>
  );
}
