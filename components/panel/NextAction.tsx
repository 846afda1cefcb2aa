/** The one suggested next step (an alert is acted on when it names the next action). */
import { t } from '../../utils/i18n';
import type { NextAction as Action } from '../../utils/policy/next-action';
import { formatDateTime, message } from './format';

export interface NextActionProps {
  action: Action;
  /** The parent's clock: "1 h 23 min left" is counted from it. */
  now: number;
  locale: string;
  timeZone?: string;
}

export function NextAction({ action, now, locale, timeZone }: NextActionProps) {
  return (
    <section class={`next-action next-${action.kind}`} data-kind={action.kind}>
      <span class="next-label">{t('nextActionLabel')}</span>
      <p class="next-text api">{message(action.messageKey, action.params, now, locale, timeZone)}</p>
      {action.notBefore ? <p class="next-when">{t('nextActionNotBefore', formatDateTime(action.notBefore, locale, timeZone))}</p> : null}
    </section>
  );
}
