/**
 * When not to call: a red banner per block, an amber one per warning, each with the reason in
 * words, what happened ("Sato called 2 h ago") and until when, in the reader's locale.
 */
import { t } from '../../utils/i18n';
import type { EvaluatedCooldown } from '../../utils/policy/cooldown-merge';
import { formatDateTime, message } from './format';
import { labelOf, OUTCOME_LABELS } from './labels';

export interface CooldownBannerProps {
  cooldowns: readonly EvaluatedCooldown[];
  /** The parent's clock: "called 2 h ago" is counted from it. */
  now: number;
  locale: string;
  timeZone?: string;
}

export function CooldownBanner({ cooldowns, now, locale, timeZone }: CooldownBannerProps) {
  if (cooldowns.length === 0) return null;
  return (
    <div class="cooldowns">
      {cooldowns.map((c) => {
        const outcome = labelOf(OUTCOME_LABELS, c.outcome);
        const block = c.severity === 'block';
        return (
          <div key={c.reason} class={`cooldown ${c.severity}`} role={block ? 'alert' : 'status'} data-reason={c.reason}>
            <p class="cooldown-title">
              <span class="cooldown-severity">{t(block ? 'cooldownBlock' : 'cooldownWarn')}</span>{' '}
              <strong>{t(c.labelKey)}</strong>
            </p>
            <p class="cooldown-message api">
              {message(c.messageKey, c.params, now, locale, timeZone)}
              {outcome ? ` (${t(outcome)})` : null}
            </p>
            <p class="cooldown-until">
              {c.until ? t('cooldownUntil', formatDateTime(c.until, locale, timeZone)) : block ? t('cooldownNoEnd') : null}
            </p>
          </div>
        );
      })}
    </div>
  );
}
