/**
 * One-click call log: outcome, the loss reason when lost (why deals are lost is what
 * the team learns most from, so Lost cannot be saved without one), a note. Outcomes that block the lead for the
 * whole team (Lost, Complaint) ask first, naming the lead. After Save, the log can be withdrawn
 * for a few seconds: the background holds it in the outbox that long before sending.
 *
 * Only a real user drives this form: any untrusted event on any of its controls (a CRM page's
 * script clicking, typing or submitting into the panel) is stopped and clears the form, so a
 * half-forged entry can never be completed by the rep's next genuine click.
 *
 * Clicking the lead's number readies the form for that call (`dial`): it comes into view with
 * the first outcome focused, says which number was dialled since when, and the log carries the
 * dial time as the call's time (`startedAt`), not the moment the rep got round to saving it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../utils/i18n';
import { CONFIRMED_OUTCOMES } from '../../utils/policy/outcomes';
import { formatTime, isTrustedEvent, type TrustCheck } from './format';
import { LOSS_LABELS, OUTCOME_LABELS, type CallOutcome, type LossReason } from './labels';

export interface CallLogEntry {
  outcome: CallOutcome;
  lossReason?: LossReason;
  note?: string;
  /** ISO time the rep dialled from the panel: the call's time in the log. */
  startedAt?: string;
}

/** A click on the lead's number: which number, when (epoch ms). */
export interface Dial {
  phone: string;
  at: number;
}

/** How long "Undo" is offered; the background holds the write a little longer (UNDO_HOLD_MS). */
export const UNDO_MS = 5000;

export interface LogCallFormProps {
  /** Resolves to a handle for undo (the outbox key), when the write can still be withdrawn. */
  onSubmit(entry: CallLogEntry): Promise<string | undefined> | void;
  /** Withdraws a write by its handle; resolves false when it was already sent. */
  onUndo?(handle: string): Promise<boolean>;
  /** "Tanaka (ACME)": named in the confirmation of Lost and Complaint. */
  leadLabel: string;
  /** The team's block after a loss, named in the confirmation. */
  lostCooldownDays: number;
  disabled?: boolean;
  /** Defaults to `event.isTrusted`; tests pass a stand-in for a real user. */
  isTrusted?: TrustCheck;
  undoMs?: number;
  /** The latest click on the lead's number; a new one readies the form again. */
  dial?: Dial;
  locale?: string;
  timeZone?: string;
}

const OUTCOMES = Object.keys(OUTCOME_LABELS) as CallOutcome[];
const LOSS_REASONS = Object.keys(LOSS_LABELS) as LossReason[];
/** ActivityRequest.note is at most 4,000 characters. */
const NOTE_MAX = 4000;

type Step =
  | { kind: 'edit' }
  | { kind: 'confirm'; entry: CallLogEntry }
  | { kind: 'saved'; entry: CallLogEntry; handle?: string }
  | { kind: 'undone' };

export function LogCallForm({ onSubmit, onUndo, leadLabel, lostCooldownDays, disabled, isTrusted = isTrustedEvent, undoMs = UNDO_MS, dial, locale = 'en', timeZone }: LogCallFormProps) {
  const [outcome, setOutcome] = useState<CallOutcome | undefined>();
  const [lossReason, setLossReason] = useState<LossReason | ''>('');
  const [note, setNote] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const [forged, setForged] = useState(false);
  // Set by a trusted click on Save, consumed by the submit it causes: a submit without one
  // (requestSubmit(), a dispatched event) is not the user's.
  const armed = useRef(false);
  // The call this log is for, once the rep dialled from the panel; cleared when it is logged.
  const [call, setCall] = useState<Dial | undefined>();
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!dial) return;
    setCall(dial);
    setStep({ kind: 'edit' });
    const el = form.current;
    el?.scrollIntoView?.({ block: 'nearest' });
    el?.querySelector<HTMLInputElement>('input[name=outcome]')?.focus({ preventScroll: true });
  }, [dial]);

  const clear = () => {
    setOutcome(undefined);
    setLossReason('');
    setNote('');
    armed.current = false;
  };

  // The undo offer lapses on its own; the write then leaves the outbox.
  useEffect(() => {
    if (step.kind !== 'saved' && step.kind !== 'undone') return undefined;
    const timer = setTimeout(() => setStep({ kind: 'edit' }), undoMs);
    return () => clearTimeout(timer);
  }, [step]);

  /** Capture-phase guard on the whole form: an untrusted event never reaches a control. */
  const guard = (event: Event) => {
    if (isTrusted(event)) return;
    event.preventDefault();
    event.stopPropagation();
    clear();
    setStep({ kind: 'edit' });
    setForged(true);
  };

  const save = (entry: CallLogEntry) => {
    clear();
    setCall(undefined);
    setStep({ kind: 'saved', entry });
    void Promise.resolve(onSubmit(entry)).then((handle) => {
      if (handle) setStep((current) => (current.kind === 'saved' && current.entry === entry ? { ...current, handle } : current));
    });
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const byUser = isTrusted(event) && armed.current;
    armed.current = false;
    if (!byUser || !outcome || disabled) return;
    if (outcome === 'lost' && !lossReason) return;
    setForged(false);
    const trimmed = note.trim();
    const entry: CallLogEntry = {
      outcome,
      ...(outcome === 'lost' && lossReason ? { lossReason } : {}),
      ...(trimmed ? { note: trimmed } : {}),
      ...(call ? { startedAt: new Date(call.at).toISOString() } : {}),
    };
    if (CONFIRMED_OUTCOMES.has(outcome)) setStep({ kind: 'confirm', entry });
    else save(entry);
  };

  const undo = async (handle: string) => {
    if (await onUndo?.(handle)) setStep({ kind: 'undone' });
  };

  const trustedClick = (action: () => void) => (event: MouseEvent) => {
    if (isTrusted(event)) action();
  };

  const needsReason = outcome === 'lost' && !lossReason;
  return (
    <form ref={form} class={`section log-call${call ? ' dialed' : ''}`} onSubmit={submit}
      onClickCapture={guard} onInputCapture={guard} onChangeCapture={guard} onSubmitCapture={guard}>
      <h3>{t('logCallTitle')}</h3>
      {forged ? <p class="warn-text" role="alert">{t('logCallReset')}</p> : null}
      {call && step.kind === 'edit' ? (
        <p class="dialed-text" role="status" data-testid="log-call-dialed">
          {t('logCallDialed', [call.phone, formatTime(new Date(call.at).toISOString(), locale, timeZone)])}
        </p>
      ) : null}
      {step.kind === 'confirm' ? (
        <div class="confirm" role="alertdialog" aria-label={t('logCallTitle')}>
          <p class="confirm-text">
            {step.entry.outcome === 'complaint'
              ? t('logCallConfirmComplaint', leadLabel)
              : t('logCallConfirmLost', [leadLabel, step.entry.lossReason ? t(LOSS_LABELS[step.entry.lossReason]) : '', String(lostCooldownDays)])}
          </p>
          <div class="buttons">
            <button type="button" class="toggle" onClick={trustedClick(() => setStep({ kind: 'edit' }))}>{t('logCallConfirmBack')}</button>
            <button type="button" class="danger" onClick={trustedClick(() => save(step.entry))}>{t('logCallConfirmYes')}</button>
          </div>
        </div>
      ) : null}
      {step.kind === 'saved' ? (
        <p class="saved" role="status">
          {t('logCallSaved', t(OUTCOME_LABELS[step.entry.outcome]))}{' '}
          {step.handle && onUndo ? (
            <button type="button" class="link" onClick={trustedClick(() => void undo(step.handle ?? ''))}>{t('logCallUndo')}</button>
          ) : null}
        </p>
      ) : null}
      {step.kind === 'undone' ? <p class="muted" role="status">{t('logCallUndone')}</p> : null}
      <fieldset class="outcomes" disabled={step.kind === 'confirm'}>
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
          <select name="lossReason" required value={lossReason} onChange={(e) => setLossReason(e.currentTarget.value as LossReason | '')}>
            <option value="">{t('logCallLossReasonPick')}</option>
            {LOSS_REASONS.map((r) => <option key={r} value={r}>{t(LOSS_LABELS[r])}</option>)}
          </select>
          {needsReason ? <span class="hint">{t('logCallLossReasonRequired')}</span> : null}
        </label>
      ) : null}
      <label class="field">
        <span>{t('logCallNote')}</span>
        <textarea name="note" rows={3} maxLength={NOTE_MAX} placeholder={t('logCallNotePlaceholder')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={disabled || !outcome || needsReason || step.kind === 'confirm'}
        onClick={(event) => { if (isTrusted(event)) armed.current = true; else event.preventDefault(); }}>
        {t('logCallSubmit')}
      </button>
    </form>
  );
}
