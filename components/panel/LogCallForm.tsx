/**
 * One-click call log: outcome, the loss reason when lost (why deals are lost is
 * what the team learns most from), a note. Only a real user's click submits: synthetic clicks, synthetic submit
 * events and form.requestSubmit() from the CRM page are ignored (the page may be hostile).
 */
import { useRef, useState } from 'preact/hooks';
import { t } from '../../utils/i18n';
import { isTrustedEvent, type TrustCheck } from './format';
import { LOSS_LABELS, OUTCOME_LABELS, type CallOutcome, type LossReason } from './labels';

export interface CallLogEntry {
  outcome: CallOutcome;
  lossReason?: LossReason;
  note?: string;
}

export interface LogCallFormProps {
  onSubmit(entry: CallLogEntry): void;
  disabled?: boolean;
  /** Defaults to `event.isTrusted`; tests pass a stand-in for a real user. */
  isTrusted?: TrustCheck;
}

const OUTCOMES = Object.keys(OUTCOME_LABELS) as CallOutcome[];
const LOSS_REASONS = Object.keys(LOSS_LABELS) as LossReason[];
/** ActivityRequest.note is at most 4,000 characters. */
const NOTE_MAX = 4000;

export function LogCallForm({ onSubmit, disabled, isTrusted = isTrustedEvent }: LogCallFormProps) {
  const [outcome, setOutcome] = useState<CallOutcome | undefined>();
  const [lossReason, setLossReason] = useState<LossReason | ''>('');
  const [note, setNote] = useState('');
  // Set by a trusted click on Save, consumed by the submit it causes: a submit without one
  // (requestSubmit(), a dispatched event) is not the user's.
  const armed = useRef(false);

  const onSaveClick = (event: MouseEvent) => {
    if (isTrusted(event)) armed.current = true;
    else event.preventDefault();
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const byUser = isTrusted(event) && armed.current;
    armed.current = false;
    if (!byUser || !outcome || disabled) return;
    const trimmed = note.trim();
    onSubmit({
      outcome,
      ...(outcome === 'lost' && lossReason ? { lossReason } : {}),
      ...(trimmed ? { note: trimmed } : {}),
    });
    setOutcome(undefined);
    setLossReason('');
    setNote('');
  };

  return (
    <form class="section log-call" onSubmit={submit}>
      <h3>{t('logCallTitle')}</h3>
      <fieldset class="outcomes">
        <legend>{t('logCallOutcome')}</legend>
        {OUTCOMES.map((o) => (
          <label key={o} class={`outcome${outcome === o ? ' chosen' : ''}`}>
            <input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
            {t(OUTCOME_LABELS[o])}
          </label>
        ))}
      </fieldset>
      {outcome === 'lost' ? (
        <label class="field">
          <span>{t('logCallLossReason')}</span>
          <select name="lossReason" value={lossReason} onChange={(e) => setLossReason(e.currentTarget.value as LossReason | '')}>
            <option value="">{t('logCallLossReasonPick')}</option>
            {LOSS_REASONS.map((r) => <option key={r} value={r}>{t(LOSS_LABELS[r])}</option>)}
          </select>
        </label>
      ) : null}
      <label class="field">
        <span>{t('logCallNote')}</span>
        <textarea name="note" rows={3} maxLength={NOTE_MAX} placeholder={t('logCallNotePlaceholder')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={disabled || !outcome} onClick={onSaveClick}>{t('logCallSubmit')}</button>
    </form>
  );
}
