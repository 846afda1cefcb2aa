/** What the lead reads about : topics with weights, heaviest first. */
import type { LeadDetail } from '../../utils/api/contract';
import { t } from '../../utils/i18n';

export interface InterestsProps {
  interests: LeadDetail['interests'];
}

export function Interests({ interests }: InterestsProps) {
  if (interests.length === 0) return null;
  const sorted = [...interests].sort((a, b) => b.weight - a.weight);
  const max = Math.max(1e-9, ...sorted.map((i) => i.weight));
  // The reference API normalises weights to sum to 1: shown as a share when they look like one.
  const shares = sorted.every((i) => i.weight >= 0 && i.weight <= 1);
  return (
    <section class="section interests">
      <h3>{t('interestsTitle')}</h3>
      <ul class="topics">
        {sorted.map((i) => (
          <li key={i.topic} class="topic">
            <span class="topic-name api">{i.topic}</span>
            <span class="topic-weight">{shares ? `${Math.round(i.weight * 100)}%` : String(Math.round(i.weight * 10) / 10)}</span>
            <span class="topic-bar" aria-hidden="true"><span style={{ width: `${Math.max(0, (i.weight / max) * 100).toFixed(1)}%` }} /></span>
          </li>
        ))}
      </ul>
    </section>
  );
}
