/**
 * "Send to nurture": the rep recycles a lead they won't call now, choosing the
 * nurture track, how often and to which address. Collapsed behind one button; like the call
 * log, only a real user's events reach its controls: an event the page forged resets the form.
 */
import { useRef, useState } from 'preact/hooks';
import { t } from '../../utils/i18n';
import { isTrustedEvent, type TrustCheck } from './format';

export type RecycleFrequency = 'weekly' | 'biweekly' | 'monthly';

export interface RecycleEntry {
  track: string;
  frequency: RecycleFrequency;
  email: string;
}

export interface RecycleFormProps {
  defaultEmail?: string;
  /** Suggested tracks, e.g. the lead's interests. */
  tracks: readonly string[];
  onSubmit(entry: RecycleEntry): void;
  isTrusted?: TrustCheck;
}

const FREQUENCIES: readonly RecycleFrequency[] = ['weekly', 'biweekly', 'monthly'];
const FREQUENCY_LABELS = { weekly: 'recycleWeekly', biweekly: 'recycleBiweekly', monthly: 'recycleMonthly' } as const;

export function RecycleForm({ defaultEmail = '', tracks, onSubmit, isTrusted = isTrustedEvent }: RecycleFormProps) {
  const [open, setOpen] = useState(false);
  const [track, setTrack] = useState(tracks[0] ?? '');
  const [frequency, setFrequency] = useState<RecycleFrequency>('monthly');
  const [email, setEmail] = useState(defaultEmail);
  const [sent, setSent] = useState(false);
  const [forged, setForged] = useState(false);
  const armed = useRef(false);

  /** Capture-phase guard on the whole form: an untrusted event never reaches a control, and clears what was entered. */
  const guard = (event: Event) => {
    if (isTrusted(event)) return;
    event.preventDefault();
    event.stopPropagation();
    setTrack(tracks[0] ?? '');
    setFrequency('monthly');
    setEmail(defaultEmail);
    armed.current = false;
    setForged(true);
  };

  if (!open) {
    return (
      <div class="section recycle">
        <button type="button" class="toggle" onClick={(e) => isTrusted(e) && (setOpen(true), setSent(false))}>{t('recycleOpen')}</button>
        {sent ? <p class="muted" role="status">{t('recycleQueued')}</p> : null}
      </div>
    );
  }

  const submit = (event: Event) => {
    event.preventDefault();
    const byUser = isTrusted(event) && armed.current;
    armed.current = false;
    if (!byUser || !track.trim() || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) return;
    onSubmit({ track: track.trim(), frequency, email: email.trim() });
    setOpen(false);
    setSent(true);
    setForged(false);
  };

  return (
    <form class="section recycle" onSubmit={submit}
      onClickCapture={guard} onInputCapture={guard} onChangeCapture={guard} onSubmitCapture={guard}>
      <h3>{t('recycleTitle')}</h3>
      {forged ? <p class="warn-text" role="alert">{t('logCallReset')}</p> : null}
      <label class="field">
        <span>{t('recycleTrack')}</span>
        <input type="text" list="leadlens-tracks" required value={track} onInput={(e) => setTrack(e.currentTarget.value)} />
        <datalist id="leadlens-tracks">{tracks.map((topic) => <option key={topic} value={topic} />)}</datalist>
      </label>
      <label class="field">
        <span>{t('recycleFrequency')}</span>
        <select value={frequency} onChange={(e) => setFrequency(e.currentTarget.value as RecycleFrequency)}>
          {FREQUENCIES.map((f) => <option key={f} value={f}>{t(FREQUENCY_LABELS[f])}</option>)}
        </select>
      </label>
      <label class="field">
        <span>{t('recycleEmail')}</span>
        <input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <div class="buttons">
        <button type="button" class="toggle" onClick={() => { setOpen(false); setForged(false); }}>{t('recycleCancel')}</button>
        <button type="submit" class="primary" onClick={(e) => { if (isTrusted(e)) armed.current = true; else e.preventDefault(); }}>{t('recycleSubmit')}</button>
      </div>
    </form>
  );
}
