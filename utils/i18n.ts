/**
 * Every string the user sees goes through public/_locales/{ja,en}. The keys are typed from the
 * English catalogue so a missing message is a type error, not a blank label.
 *
 * chrome.i18n always speaks the browser's language; a rep who chose 日本語 or English in the
 * settings gets that catalogue loaded once (applyLanguage) and used instead.
 */
import { browser } from 'wxt/browser';
import type en from '../public/_locales/en/messages.json';

export type MessageKey = keyof typeof en;
export type Language = 'auto' | 'ja' | 'en';
type Catalogue = Record<string, { message: string } | undefined>;

let override: { language: 'ja' | 'en'; messages: Catalogue } | undefined;

/** Chrome's own substitution rules: $1…$9 from the list, "$$" is a dollar sign. */
export function substitute(message: string, substitutions?: string | string[]): string {
  const list = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
  return message.replace(/\$(\$|[1-9])/g, (_match, which: string) => (which === '$' ? '$' : list[Number(which) - 1] ?? ''));
}

export function t(key: MessageKey, substitutions?: string | string[]): string {
  const chosen = override?.messages[key];
  if (chosen) return substitute(chosen.message, substitutions);
  try {
    return browser.i18n.getMessage(key, substitutions) || key;
  } catch {
    // Outside an extension (unit tests without a catalogue) the key is the most useful text.
    return key;
  }
}

/** The language the UI speaks now: the rep's choice, else the browser's. */
export function uiLanguage(): 'ja' | 'en' {
  if (override) return override.language;
  try {
    return browser.i18n.getUILanguage().toLowerCase().startsWith('ja') ? 'ja' : 'en';
  } catch {
    return 'en';
  }
}

/** Use the rep's language choice from now on; 'auto' follows the browser. Never throws. */
export async function applyLanguage(language: Language, load: (language: 'ja' | 'en') => Promise<Catalogue> = fetchCatalogue): Promise<void> {
  override = undefined;
  if (language === 'auto' || uiLanguage() === language) return;
  try {
    override = { language, messages: await load(language) };
  } catch {
    // The browser's language is still a language the rep reads; keep it rather than fail.
  }
}

async function fetchCatalogue(language: 'ja' | 'en'): Promise<Catalogue> {
  const response = await fetch(browser.runtime.getURL(`/_locales/${language}/messages.json`));
  return (await response.json()) as Catalogue;
}
