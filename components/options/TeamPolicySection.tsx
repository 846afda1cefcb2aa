/**
 * Team policy: when not to call (after a loss, after a call, too many calls), business hours,
 * the call window used when the API gives none, and how often to poll. Saved on change, whole:
 * the policy goes to teamPolicyItem only when TeamPolicySchema accepts all of it, the poll
 * interval to pollSecondsItem only when it is ≥ 30 s; otherwise nothing is written and each
 * field says what is wrong. Fields the administrator set are read-only, with a badge.
 */
import { useSignal } from '@preact/signals';
import { t } from '../../utils/i18n';
import type { TeamPolicy } from '../../utils/policy/cooldowns';
import type { ManagedPolicy } from '../../utils/preferences/managed';
import { pollSecondsItem, teamPolicyItem } from '../../utils/settings';
import { DaysField, FieldError, InputField, SaveStatus, TIME_ZONE_LIST_ID, useSaver } from './common';
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
}

export function TeamPolicySection({ policy, pollSeconds, managed }: TeamPolicySectionProps) {
  const form = useSignal<TeamPolicyForm>(formOf(policy, pollSeconds));
  const savedPoll = useSignal(pollSeconds);
  const saver = useSaver(SHOWN_PATHS);
  const pinned = managedFields(managed);
  const shown = shownForm(form.value, managed);

  const set = (patch: Partial<TeamPolicyForm>) => {
    form.value = { ...form.value, ...patch };
  };
  const save = () =>
    void saver.run(async () => {
      const checked = checkTeamPolicy(form.value, managed);
      if (!checked.ok) return checked.issues;
      await teamPolicyItem.setValue(checked.policy);
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
        value={shown[field]} managed={pinned.numbers.has(field)} issues={saver.at(field)}
        onInput={(v) => set({ [field]: v })} onCommit={save} />
    );
  };

  const bh = pinned.businessHours;
  return (
    <section class="options-section" aria-labelledby="team-heading">
      <h2 id="team-heading">{t('optionsTeamPolicy')}</h2>
      <p class="hint">{t('optionsTeamPolicyHint')}</p>

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
          <input type="checkbox" id="team-holidays" checked={shown.japaneseHolidays} disabled={pinned.japaneseHolidays}
            onChange={(e) => { set({ japaneseHolidays: e.currentTarget.checked }); save(); }} />{' '}
          <label for="team-holidays">{t('optionsJapaneseHolidays')}</label>
        </div>
        <div class="field">
          <label for="team-closed-dates">{t('optionsClosedDates')}</label>
          <textarea id="team-closed-dates" rows={3} value={shown.closedDates} readOnly={pinned.closedDates} placeholder="2026-12-29"
            aria-invalid={saver.at('closedDates').length > 0 ? 'true' : undefined}
            onInput={(e) => set({ closedDates: e.currentTarget.value })} onChange={() => { if (!pinned.closedDates) save(); }} />
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
