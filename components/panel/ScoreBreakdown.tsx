/**
 * "Why this score": every factor, largest first, as a bar from the centre line, positive to
 * the right in green, negative to the left in red (reps trust a flag once they
 * can see why it was raised).
 */
import type { ScoreFactor } from '../../utils/api/contract';
import { t } from '../../utils/i18n';
import { formatDateTime, signedPoints } from './format';

export interface ScoreBreakdownProps {
  factors: readonly ScoreFactor[];
  locale: string;
  timeZone?: string;
}

export function ScoreBreakdown({ factors, locale, timeZone }: ScoreBreakdownProps) {
  const sorted = [...factors].sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  const max = Math.max(1e-9, ...sorted.map((f) => Math.abs(f.points)));
  return (
    <section class="section breakdown">
      <h3>{t('breakdownTitle')}</h3>
      {sorted.length === 0 ? <p class="muted">{t('breakdownEmpty')}</p> : (
        <ul class="factors">
          {sorted.map((f) => (
            <li key={f.key} class={`factor ${f.points < 0 ? 'neg' : 'pos'}`} data-kind={f.kind}>
              <div class="factor-head">
                <span class="factor-label api">{f.label}</span>
                <span class="factor-points">{signedPoints(f.points)}</span>
              </div>
              <div class="factor-bar" aria-hidden="true">
                <span style={{ width: `${((Math.abs(f.points) / max) * 50).toFixed(1)}%` }} />
              </div>
              {f.count !== undefined || f.lastAt ? (
                <p class="factor-meta muted">
                  {f.count !== undefined ? <span>{t('breakdownCount', String(f.count))}</span> : null}
                  {f.lastAt ? <span>{t('breakdownLastAt', formatDateTime(f.lastAt, locale, timeZone))}</span> : null}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
