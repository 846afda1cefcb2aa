/**
 * Language: automatic (the browser's), 日本語 or English, saved as soon as it is chosen
 * (preferences.language). Every part of LeadLens picks it up (utils/i18n.ts applyLanguage): this
 * page redraws itself, the panel on the next record, the popup when it opens.
 */
import { useSignal } from '@preact/signals';
import { t, type MessageKey } from '../../utils/i18n';
import type { Preferences } from '../../utils/preferences/schema';
import { savePreferences } from '../../utils/preferences/storage';
import { errorAttrs, FieldError, SaveStatus, useSaver } from './common';

type Language = Preferences['language'];
const CHOICES: readonly [Language, MessageKey][] = [
  ['auto', 'optionsLanguageAuto'],
  ['ja', 'optionsLanguageJa'],
  ['en', 'optionsLanguageEn'],
];
const isLanguage = (value: string): value is Language => CHOICES.some(([choice]) => choice === value);

export function LanguageSection({ language }: { language: Language }) {
  const value = useSignal(language);
  const saver = useSaver(['language']);
  const issues = saver.at('language');

  const choose = (next: string) => {
    if (!isLanguage(next)) return;
    value.value = next;
    void saver.run(async () => {
      const result = await savePreferences({ language: next });
      return result.ok ? [] : result.errors;
    });
  };

  return (
    <section class="options-section" aria-labelledby="language-heading">
      <h2 id="language-heading">{t('prefFieldLanguage')}</h2>
      <div class="field">
        <label for="language">{t('optionsLanguageLabel')}</label>
        <select id="language" value={value.value} {...errorAttrs('language-error', issues)}
          onChange={(event) => choose(event.currentTarget.value)}>
          {CHOICES.map(([choice, key]) => (
            // The two languages are named in their own language, as language pickers do.
            <option key={choice} value={choice} lang={choice === 'auto' ? undefined : choice}>{t(key)}</option>
          ))}
        </select>
        <FieldError id="language-error" issues={issues} />
      </div>
      <SaveStatus state={saver.state.value} testId="language-status" />
    </section>
  );
}
