/** The score, its band colour and the change over 24 hours. */
import type { LeadSummary } from '../../utils/api/contract';
import { t } from '../../utils/i18n';
import { bandView } from './labels';

export interface ScoreProps {
  lead: Pick<LeadSummary, 'score' | 'band' | 'scoreChange24h'>;
}

export function Score({ lead }: ScoreProps) {
  const change = Math.round(lead.scoreChange24h);
  const direction = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
  // Plain signs: in Japanese business notation ▲ means minus, so arrows would mislead.
  const changeText = change > 0 ? `+${change}` : change < 0 ? `−${-change}` : '±0';
  const band = bandView(lead.band);
  return (
    <div class={`score band-${band.style}`}>
      <span class="score-label">{t('scoreLabel')}</span>
      <span class="score-value" data-testid="lead-score">{Math.round(lead.score)}</span>
      <span class="band" data-testid="lead-band">{band.label}</span>
      <span class={`change ${direction}`}>{t('scoreChange', changeText)}</span>
    </div>
  );
}
