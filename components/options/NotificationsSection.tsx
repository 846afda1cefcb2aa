/**
 * Notifications: which alerts, from what score, about whose leads, and when they are held back
 * (quiet hours, working days, in the rep's time zone); then the leads followed and muted.
 *
 * Saved on change: every switch, and every field once its value is complete (blur, Enter). The
 * section is saved whole, so what is on screen is what is stored: while one field is invalid,
 * nothing is written and the field says why in words.
 */
import { useSignal } from '@preact/signals';
import { t } from '../../utils/i18n';
import type { LeadNames } from '../../utils/messaging';
import {
  NOTIFICATION_TYPE_LABELS,
  NOTIFICATION_TYPES,
  type NotificationType,
  type Preferences,
} from '../../utils/preferences/schema';
import { savePreferences, unfollow, unmute, type SaveResult } from '../../utils/preferences/storage';
import { DaysField, errorAttrs, FieldError, InputField, SaveStatus, TIME_ZONE_LIST_ID, toNumber, useSaver } from './common';
import { LeadList } from './LeadList';

const P = 'notifications';
const SHOWN_PATHS = [
  ...NOTIFICATION_TYPES.map((type) => `${P}.types.${type}`),
  `${P}.minScore`, `${P}.scope`, `${P}.quietHours.enabled`, `${P}.quietHours.start`, `${P}.quietHours.end`,
  `${P}.workingDays`, `${P}.timeZone`, `${P}.staleAfterDays`,
];

export interface NotificationsSectionProps {
  prefs: Preferences;
  /** Names of the listed leads, where the cache knows them. */
  leadNames?: LeadNames;
}

export function NotificationsSection({ prefs, leadNames = {} }: NotificationsSectionProps) {
  const n = prefs.notifications;
  const types = useSignal(n.types);
  const minScore = useSignal(String(n.minScore));
  const scope = useSignal(n.scope);
  const quietEnabled = useSignal(n.quietHours.enabled);
  const quietStart = useSignal(n.quietHours.start);
  const quietEnd = useSignal(n.quietHours.end);
  const workingDays = useSignal<readonly number[]>(n.workingDays);
  const timeZone = useSignal(n.timeZone);
  const staleAfterDays = useSignal(String(n.staleAfterDays));
  const saver = useSaver(SHOWN_PATHS);

  const followed = useSignal<readonly string[]>(prefs.followed);
  const muted = useSignal<readonly string[]>(prefs.muted);
  const listSaver = useSaver(['followed', 'muted']);

  const save = () =>
    void saver.run(async () => {
      const result = await savePreferences({
        notifications: {
          types: types.value,
          minScore: toNumber(minScore.value),
          scope: scope.value,
          quietHours: { enabled: quietEnabled.value, start: quietStart.value, end: quietEnd.value },
          workingDays: [...workingDays.value],
          timeZone: timeZone.value.trim(),
          staleAfterDays: toNumber(staleAfterDays.value),
        },
      });
      if (!result.ok) return result.errors;
      followed.value = result.prefs.followed;
      muted.value = result.prefs.muted;
      return [];
    });

  const removeFrom = (change: (leadId: string) => Promise<SaveResult>) => (leadId: string) =>
    void listSaver.run(async () => {
      const result = await change(leadId);
      if (!result.ok) return result.errors;
      followed.value = result.prefs.followed;
      muted.value = result.prefs.muted;
      return [];
    });

  const setType = (type: NotificationType, on: boolean) => {
    types.value = { ...types.value, [type]: on };
    save();
  };

  const scopeIssues = saver.at(`${P}.scope`);
  return (
    <section class="options-section" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">{t('prefFieldNotifications')}</h2>

      <fieldset>
        <legend>{t('prefFieldTypes')}</legend>
        <ul class="switch-list">
          {NOTIFICATION_TYPES.map((type) => {
            const id = `notif-type-${type}`;
            const issues = saver.at(`${P}.types.${type}`);
            return (
              <li key={type} class="switch-row">
                <input id={id} type="checkbox" role="switch" class="switch" checked={types.value[type]}
                  {...errorAttrs(`${id}-error`, issues)}
                  onChange={(event) => setType(type, event.currentTarget.checked)} />
                <label for={id}>{t(NOTIFICATION_TYPE_LABELS[type])}</label>
                <FieldError id={`${id}-error`} issues={issues} />
              </li>
            );
          })}
        </ul>
      </fieldset>

      <InputField id="notif-min-score" label={t('prefFieldMinScore')} type="number" min={0} value={minScore.value}
        issues={saver.at(`${P}.minScore`)} onInput={(v) => { minScore.value = v; }} onCommit={save} />

      <fieldset {...errorAttrs('notif-scope-error', scopeIssues)}>
        <legend>{t('prefFieldScope')}</legend>
        {(['mine', 'team'] as const).map((value) => (
          <div class="choice" key={value}>
            <input id={`notif-scope-${value}`} type="radio" name="notif-scope" value={value} checked={scope.value === value}
              onChange={() => { scope.value = value; save(); }} />
            <label for={`notif-scope-${value}`}>{t(value === 'mine' ? 'prefScopeMine' : 'prefScopeTeam')}</label>
          </div>
        ))}
        <FieldError id="notif-scope-error" issues={scopeIssues} />
      </fieldset>

      <fieldset>
        <legend>{t('prefFieldQuietHours')}</legend>
        <div class="switch-row">
          <input id="notif-quiet-enabled" type="checkbox" role="switch" class="switch" checked={quietEnabled.value}
            onChange={(event) => { quietEnabled.value = event.currentTarget.checked; save(); }} />
          <label for="notif-quiet-enabled">{t('prefFieldQuietEnabled')}</label>
        </div>
        <FieldError id="notif-quiet-enabled-error" issues={saver.at(`${P}.quietHours.enabled`)} />
        <div class="field-pair">
          <InputField id="notif-quiet-start" label={t('prefFieldQuietStart')} type="time" value={quietStart.value}
            issues={saver.at(`${P}.quietHours.start`)} onInput={(v) => { quietStart.value = v; }} onCommit={save} />
          <InputField id="notif-quiet-end" label={t('prefFieldQuietEnd')} type="time" value={quietEnd.value}
            issues={saver.at(`${P}.quietHours.end`)} onInput={(v) => { quietEnd.value = v; }} onCommit={save} />
        </div>
      </fieldset>

      <DaysField idPrefix="notif-day" legend={t('prefFieldWorkingDays')} days={workingDays.value}
        issues={saver.at(`${P}.workingDays`)} onChange={(days) => { workingDays.value = days; save(); }} />

      <InputField id="notif-time-zone" label={t('prefFieldTimeZone')} type="text" value={timeZone.value} list={TIME_ZONE_LIST_ID}
        placeholder="Asia/Tokyo" issues={saver.at(`${P}.timeZone`)} onInput={(v) => { timeZone.value = v; }} onCommit={save} />

      <InputField id="notif-stale-days" label={t('prefFieldStaleAfterDays')} type="number" min={1} value={staleAfterDays.value}
        issues={saver.at(`${P}.staleAfterDays`)} onInput={(v) => { staleAfterDays.value = v; }} onCommit={save} />

      <SaveStatus state={saver.state.value} testId="notifications-status" />

      <LeadList id="followed" title={t('prefFieldFollowed')} hint={t('optionsFollowedHint')} leadIds={followed.value} names={leadNames}
        removeLabel={(name) => t('optionsRemoveFollowed', name)} issues={listSaver.at('followed')} onRemove={removeFrom(unfollow)} />
      <LeadList id="muted" title={t('prefFieldMuted')} hint={t('optionsMutedHint')} leadIds={muted.value} names={leadNames}
        removeLabel={(name) => t('optionsRemoveMuted', name)} issues={listSaver.at('muted')} onRemove={removeFrom(unmute)} />
      <SaveStatus state={listSaver.state.value} testId="lead-lists-status" />
    </section>
  );
}
