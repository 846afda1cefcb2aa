/**
 * Pieces every settings section shares: the "Set by your administrator" badge, an error in words
 * under a field, the section's save status (a live region), and a saver that runs one section's
 * saves one after another (auto-save fires on every change; the last change must land last).
 */
import { useSignal, type Signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { t, type MessageKey } from '../../utils/i18n';
import { renderText, type LocalText } from '../../utils/notify/text';

/** A problem with one field, located by the field's dotted path ("" = the section as a whole). */
export interface FieldIssue {
  path: string;
  text: LocalText;
}

export const say = (value: LocalText | string): string => renderText(value, t);

/** 0 = Sunday … 6 = Saturday, as Date#getDay and both schemas. */
export const WEEKDAY_LABELS: readonly MessageKey[] = [
  'optionsDaySun', 'optionsDayMon', 'optionsDayTue', 'optionsDayWed', 'optionsDayThu', 'optionsDayFri', 'optionsDaySat',
];

/** Who set a read-only field: the administrator (enterprise policy, `true`) or the team on the LeadLens server. */
export type ManagedBy = boolean | 'server';

export function ManagedBadge({ id, by = true }: { id?: string | undefined; by?: ManagedBy }) {
  return <span class="managed-badge" id={id}>{t(by === 'server' ? 'optionsSetByServer' : 'optionsManaged')}</span>;
}

/** A field's label, with the administrator badge beside it (not inside: the label stays the
 *  field's whole accessible name; the badge is its description, via `managedId`). */
export function FieldLabel({ for: htmlFor, managedId, by, children }: { for: string; managedId?: string | undefined; by?: ManagedBy; children: ComponentChildren }) {
  return (
    <div class="label-row">
      <label for={htmlFor}>{children}</label>
      {managedId ? <ManagedBadge id={managedId} by={by} /> : null}
    </div>
  );
}

/** The error(s) for one field, in words; `id` is what the field's aria-describedby points at. */
export function FieldError({ id, issues }: { id: string; issues: readonly FieldIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <p class="field-error" id={id}>
      {issues.map((issue) => say(issue.text)).join(' ')}
    </p>
  );
}

/** Attributes of an input whose value may be wrong: aria-invalid and the error it points at. */
export function errorAttrs(errorId: string, issues: readonly FieldIssue[], extra?: string) {
  const describedBy = [issues.length > 0 ? errorId : undefined, extra].filter(Boolean).join(' ');
  return {
    'aria-invalid': issues.length > 0 ? ('true' as const) : undefined,
    'aria-describedby': describedBy || undefined,
  };
}

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'saved' }
  /** Nothing was written: the fields say why; `general` are problems no field shows. */
  | { kind: 'invalid'; general: string[] }
  | { kind: 'failed'; message: string };

/** The section's status line: always in the page, so screen readers announce what appears in it. */
export function SaveStatus({ state, testId }: { state: SaveState; testId?: string }) {
  let body: ComponentChildren = null;
  let tone = '';
  if (state.kind === 'saved') {
    body = t('optionsSaved');
    tone = 'ok';
  } else if (state.kind === 'invalid') {
    body = [t('optionsNotSaved'), ...state.general].join(' ');
    tone = 'bad';
  } else if (state.kind === 'failed') {
    body = t('optionsSaveFailed', state.message);
    tone = 'bad';
  }
  return (
    <p class={`save-status ${tone}`} role="status" data-testid={testId}>
      {body}
    </p>
  );
}

export interface Saver {
  state: Signal<SaveState>;
  issues: Signal<readonly FieldIssue[]>;
  /** Issues at exactly `path`. */
  at(path: string): FieldIssue[];
  /** Queue a save; `task` answers the issues found ([] = saved). Shown paths are those some field
   *  displays: the other issues go to the status line so no problem is left unsaid. */
  run(task: () => Promise<readonly FieldIssue[]>): Promise<void>;
}

export function useSaver(shownPaths: readonly string[]): Saver {
  const state = useSignal<SaveState>({ kind: 'idle' });
  const issues = useSignal<readonly FieldIssue[]>([]);
  return useMemo(() => {
    let queue: Promise<void> = Promise.resolve();
    const shown = new Set(shownPaths);
    return {
      state,
      issues,
      at: (path: string) => issues.value.filter((issue) => issue.path === path),
      run(task) {
        const next = queue.then(async () => {
          // Cleared first, so the same "Saved." twice in a row is announced twice.
          state.value = { kind: 'idle' };
          try {
            const found = await task();
            issues.value = found;
            state.value = found.length === 0
              ? { kind: 'saved' }
              : { kind: 'invalid', general: found.filter((issue) => !shown.has(issue.path)).map((issue) => say(issue.text)) };
          } catch (error) {
            state.value = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
          }
        });
        queue = next;
        return next;
      },
    };
    // One saver per section for its lifetime: the paths a section shows never change.
  }, []);
}

/** "12" → 12; "", "abc" → NaN (the schema then says what a valid value is). */
/**
 * A URL typed into a "Test this URL" box: undefined when empty, null when it is not a URL. A
 * missing scheme is read as https:// (people paste host/path).
 */
export function parseTypedUrl(input: string): URL | null | undefined {
  const value = input.trim();
  if (value === '') return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`);
  } catch {
    return null;
  }
}

export function toNumber(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value);
}

/** Days picked from checkboxes, in week order. */
export function toggleDay(days: readonly number[], day: number, on: boolean): number[] {
  const set = new Set(days);
  if (on) set.add(day);
  else set.delete(day);
  return [...set].sort((a, b) => a - b);
}

let zones: string[] | undefined;
/** IANA zones the browser knows, for the time zone fields' suggestions. */
export function timeZones(): string[] {
  if (!zones) {
    try {
      zones = Intl.supportedValuesOf('timeZone');
    } catch {
      zones = [];
    }
  }
  return zones;
}

/** Suggestions for every time zone field; rendered once per page. */
export const TIME_ZONE_LIST_ID = 'time-zones';
export function TimeZoneList() {
  return (
    <datalist id={TIME_ZONE_LIST_ID}>
      {timeZones().map((zone) => <option key={zone} value={zone} />)}
    </datalist>
  );
}

export interface InputFieldProps {
  id: string;
  label: string;
  type: 'number' | 'time' | 'text';
  value: string;
  issues: readonly FieldIssue[];
  onInput(value: string): void;
  /** The value is complete (change: blur, Enter, a spinner or picker step): save. */
  onCommit(): void;
  /** Set by the administrator (true) or the team's server ('server'): shown read-only with the badge. */
  managed?: ManagedBy;
  hint?: string;
  min?: number;
  max?: number;
  list?: string;
  placeholder?: string;
}

/**
 * What a rep typed into a time field, as the HH:MM the schema reads: full-width digits and colon
 * (a Japanese IME's) become ASCII, and a one-digit hour gets its zero ("9:05" → "09:05").
 * Anything else is left as typed, for the schema to name the problem.
 */
export function normaliseTime(typed: string): string {
  const ascii = typed.normalize('NFKC').trim();
  const match = /^(\d{1,2}):(\d{2})$/.exec(ascii);
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : typed;
}

/** One labelled input with its administrator badge, hint and error in words. */
export function InputField(props: InputFieldProps) {
  const { id, issues, managed = false } = props;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const managedId = managed ? `${id}-managed` : undefined;
  // A time is typed as 24-hour HH:MM text: <input type=time> draws AM/PM from the browser's own UI
  // language (English on a Chromium without the Japanese UI pack), whatever LeadLens speaks.
  const time = props.type === 'time';
  return (
    <div class="field">
      <FieldLabel for={id} managedId={managedId} by={managed}>{props.label}</FieldLabel>
      {props.hint ? <p class="hint" id={hintId}>{props.hint}</p> : null}
      <input id={id} type={time ? 'text' : props.type} value={props.value} readOnly={Boolean(managed)}
        min={props.min} max={props.max} step={props.type === 'number' ? 1 : undefined}
        inputMode={props.type === 'number' || time ? 'numeric' : undefined}
        size={time ? 6 : undefined} maxLength={time ? 5 : undefined} data-time={time ? '24h' : undefined}
        list={props.list} placeholder={props.placeholder ?? (time ? '09:00' : undefined)} autocomplete="off"
        {...errorAttrs(`${id}-error`, issues, [managedId, hintId].filter(Boolean).join(' '))}
        onInput={(event) => props.onInput(time ? normaliseTime(event.currentTarget.value) : event.currentTarget.value)}
        onChange={() => { if (!managed) props.onCommit(); }} />
      <FieldError id={`${id}-error`} issues={issues} />
    </div>
  );
}

export interface DaysFieldProps {
  idPrefix: string;
  legend: string;
  days: readonly number[];
  issues: readonly FieldIssue[];
  onChange(days: number[]): void;
  managed?: ManagedBy;
}

/** Sunday … Saturday as checkboxes in one fieldset. */
export function DaysField({ idPrefix, legend, days, issues, onChange, managed = false }: DaysFieldProps) {
  const errorId = `${idPrefix}-error`;
  const managedId = managed ? `${idPrefix}-managed` : undefined;
  return (
    <fieldset class="days" {...errorAttrs(errorId, issues, managedId)}>
      <legend>
        {legend}
        {managed ? <> <ManagedBadge id={managedId} by={managed} /></> : null}
      </legend>
      <div class="day-boxes">
        {WEEKDAY_LABELS.map((key, day) => (
          <span class="day" key={day}>
            <input id={`${idPrefix}-${day}`} type="checkbox" checked={days.includes(day)} disabled={Boolean(managed)}
              onChange={(event) => onChange(toggleDay(days, day, event.currentTarget.checked))} />
            <label for={`${idPrefix}-${day}`}>{t(key)}</label>
          </span>
        ))}
      </div>
      <FieldError id={errorId} issues={issues} />
    </fieldset>
  );
}
