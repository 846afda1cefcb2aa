/**
 * When to call: time since the need was detected, what it was, and the time left in the
 * window (calls made within two hours of a need signal convert several times better than later ones). `now` comes from the parent's
 * single minute ticker; nothing here keeps a timer.
 */
import { t } from '../../utils/i18n';
import { callWindow, formatDuration } from '../../utils/policy/call-window';

export interface CallWindowProps {
  needDetectedAt?: string;
  /** API text, e.g. "Attended seminar: …". */
  needReason?: string;
  windowMinutes: number;
  now: number;
  locale: string;
}

export function CallWindow({ needDetectedAt, needReason, windowMinutes, now, locale }: CallWindowProps) {
  const w = callWindow(needDetectedAt, windowMinutes, now);
  const reason = needReason ? <p class="need-reason api">{needReason}</p> : null;
  if (w.state === 'none') {
    return reason && (
      <section class="window none">
        <span class="need-label">{t('needReasonLabel')}</span>
        {reason}
      </section>
    );
  }
  const open = w.state === 'open';
  const total = Math.max(1, windowMinutes * 60_000);
  return (
    <section class={`window ${w.state}`} aria-label={t('callWindowLabel')} data-testid="call-window">
      <div class="window-head">
        <span class="window-detected">{t('callWindowDetected', formatDuration(w.detectedAgoMs, locale))}</span>
        <strong class="window-left">
          {open ? t('callWindowLeft', formatDuration(w.remainingMs, locale)) : t('callWindowMissed', formatDuration(w.missedByMs, locale))}
        </strong>
      </div>
      {reason}
      {open ? (
        <div class="meter" aria-hidden="true">
          <span style={{ width: `${Math.min(100, (w.remainingMs / total) * 100).toFixed(1)}%` }} />
        </div>
      ) : null}
    </section>
  );
}
