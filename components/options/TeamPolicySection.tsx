/**
 * Team policy: when not to call (after a loss, after a call, too many calls), business hours,
 * the call window used when the API gives none, and how often to poll. Saved on change, whole:
 * the policy goes to teamPolicyItem only when TeamPolicySchema accepts all of it, the poll
 * interval to pollSecondsItem only when it is ≥ 30 s; otherwise nothing is written and each
 * field says what is wrong. Fields the administrator set are read-only, with a badge; when the
 * LeadLens server serves the team's policy, every policy field is read-only ("set by your team on
 * the server", its version and date) and only the poll interval stays the rep's to save: a rep can
 * no longer keep a policy of their own that the server's blocks silently override.
 */
import { useSignal } from '@preact/signals';
import { t, uiLanguage } from '../../utils/i18n';
import type { TeamPolicy } from '../../utils/policy/cooldowns';
import type { ManagedPolicy } from '../../utils/preferences/managed';
import type { ServerPolicyRecord } from '../../utils/preferences/team-policy';
import { pollSecondsItem, teamPolicyItem } from '../../utils/settings';
import { DaysField, FieldError, InputField, ManagedBadge, SaveStatus, TIME_ZONE_LIST_ID, useSaver, type ManagedBy } from './common';
import {
  checkTeamPolicy, formOf, managedFields, NUMBER_LABELS, numberRange, POLL_RANGE, shownForm,
  type NumberField, type TeamPolicyForm,
} from './team-policy-form';

const SHOWN_PATHS = [
  'lostCooldownDays', 'recentCallHours', 'contactCapCalls', 'contactCapDays', 'callWindowMinutes',
  'businessHours.start', 'businessHours.end', 'businessHours.days', 'businessHours.timeZone', 'pollSeconds',
  'retryMinutes', 'closedDates',
];

const FIELD_IDS: Readonly<Record<NumberField, string>> = {
  lostCooldownDays: 'team-lost-days',
  recentCallHours: 'team-recent-call-hours',
  contactCapCalls: 'team-cap-calls',
  contactCapDays: 'team-cap-days',
  callWindowMinutes: 'team-call-window',
  retryMinutes: 'team-retry-minutes',
};

export interface TeamPolicySectionProps {
  /** The rep's own stored policy (the administrator's fields are laid over it for display). */
  policy: TeamPolicy;
  pollSeconds: number;
  managed: ManagedPolicy;
  /** The team's policy served by the LeadLens server, when there is one: it replaces the rep's own. */
  server?: ServerPolicyRecord | undefined;
}

/** "version 3, 27 Nov 2026" in the page's language; the defaults (version 0) have no date. */
function serverVersion(server: ServerPolicyRecord): string {
  const date = server.updatedAt ? new Date(server.updatedAt).toLocaleDateString(uiLanguage(), { year: 'numeric', month: 'short', day: 'numeric' }) : undefined;
  return date ? t('optionsServerPolicyVersionDated', [String(server.version), date]) : t('optionsServerPolicyVersion', String(server.version));
}

export function TeamPolicySection({ policy, pollSeconds, managed, server }: TeamPolicySectionProps) {
  const form = useSignal<TeamPolicyForm>(formOf(server?.policy ?? policy, pollSeconds));
  const savedPoll = useSignal(pollSeconds);
  const saver = useSaver(SHOWN_PATHS);
  const pinned = managedFields(managed);
  const shown = shownForm(form.value, managed);
  // The administrator's pin wins over the server's (it wins in force too: utils/preferences/team-policy.ts).
  const by = (admin: boolean): ManagedBy => (admin ? true : server ? 'server' : false);

  const set = (patch: Partial<TeamPolicyForm>) => {
    form.value = { ...form.value, ...patch };
  };
  const save = () =>
    void saver.run(async () => {
      const checked = checkTeamPolicy(form.value, managed);
      if (!checked.ok) return checked.issues;
      if (!server) await teamPolicyItem.setValue(checked.policy);
      // The background re-arms its alarm on every write of the interval: only when it changed.
      if (checked.pollSeconds !== undefined && checked.pollSeconds !== savedPoll.value) {
        await pollSecondsItem.setValue(checked.pollSeconds);
        savedPoll.value = checked.pollSeconds;
      }
      return [];
    });

  const numberField = (field: NumberField) => {
    const [min, max] = numberRange(field);
    return (
      <InputField id={FIELD_IDS[field]} label={t(NUMBER_LABELS[field])} type="number" min={min} max={max}
        value={shown[field]} managed={by(pinned.numbers.has(field))} issues={saver.at(field)}
        onInput={(v) => set({ [field]: v })} onCommit={save} />
    );
  };

  const bh = by(pinned.businessHours);
  const holidays = by(pinned.japaneseHolidays);
  const closed = by(pinned.closedDates);
  return (
    <section class="options-section" aria-labelledby="team-heading">
      <h2 id="team-heading">{t('optionsTeamPolicy')}</h2>
      <p class="hint">{t('optionsTeamPolicyHint')}</p>
      {server ? (
        <p class="notice" id="team-policy-source" data-testid="team-policy-source">
          {t('optionsServerPolicyNotice')} <span data-testid="team-policy-version">{serverVersion(server)}</span>
        </p>
      ) : null}

      {numberField('lostCooldownDays')}
      {numberField('recentCallHours')}
      <div class="field-pair">
        {numberField('contactCapCalls')}
        {numberField('contactCapDays')}
      </div>

      <fieldset>
        <legend>{t('optionsBusinessHours')}</legend>
        <div class="field-pair">
          <InputField id="team-open" label={t('optionsBusinessStart')} type="time" value={shown.start} managed={bh}
            issues={saver.at('businessHours.start')} onInput={(v) => set({ start: v })} onCommit={save} />
          <InputField id="team-close" label={t('optionsBusinessEnd')} type="time" value={shown.end} managed={bh}
            issues={saver.at('businessHours.end')} onInput={(v) => set({ end: v })} onCommit={save} />
        </div>
        <DaysField idPrefix="team-day" legend={t('optionsBusinessDays')} days={shown.days} managed={bh}
          issues={saver.at('businessHours.days')} onChange={(days) => { set({ days }); save(); }} />
        <InputField id="team-time-zone" label={t('optionsBusinessTimeZone')} type="text" value={shown.timeZone} managed={bh}
          list={TIME_ZONE_LIST_ID} placeholder="Asia/Tokyo" issues={saver.at('businessHours.timeZone')}
          onInput={(v) => set({ timeZone: v })} onCommit={save} />
        <div class="field">
          <input type="checkbox" id="team-holidays" checked={shown.japaneseHolidays} disabled={Boolean(holidays)}
            aria-describedby={holidays ? 'team-holidays-managed' : undefined}
            onChange={(e) => { set({ japaneseHolidays: e.currentTarget.checked }); save(); }} />{' '}
          <label for="team-holidays">{t('optionsJapaneseHolidays')}</label>
          {holidays ? <> <ManagedBadge id="team-holidays-managed" by={holidays} /></> : null}
        </div>
        <div class="field">
          <div class="label-row">
            <label for="team-closed-dates">{t('optionsClosedDates')}</label>
            {closed ? <ManagedBadge id="team-closed-dates-managed" by={closed} /> : null}
          </div>
          <textarea id="team-closed-dates" rows={3} value={shown.closedDates} readOnly={Boolean(closed)} placeholder="2026-12-29"
            aria-invalid={saver.at('closedDates').length > 0 ? 'true' : undefined}
            aria-describedby={closed ? 'team-closed-dates-managed' : undefined}
            onInput={(e) => set({ closedDates: e.currentTarget.value })} onChange={() => { if (!closed) save(); }} />
          <FieldError id="team-closed-dates-error" issues={saver.at('closedDates')} />
        </div>
      </fieldset>

      {numberField('callWindowMinutes')}
      {numberField('retryMinutes')}
      <InputField id="team-poll-seconds" label={t('optionsPollSeconds')} type="number" min={POLL_RANGE[0]} max={POLL_RANGE[1]}
        value={shown.pollSeconds} managed={pinned.pollSeconds} issues={saver.at('pollSeconds')}
        onInput={(v) => set({ pollSeconds: v })} onCommit={save} />

      <SaveStatus state={saver.state.value} testId="team-status" />
    </section>
  );
}
