/**
 * Every string the user sees goes through public/_locales/{ja,en}. The keys are typed from the
 * English catalogue so a missing message is a type error, not a blank label.
 *
 * chrome.i18n serves the catalogue Chrome picked, which is not always the browser's language: a
 * Chromium shipping only the en-US UI pack reports a Japanese UI language yet serves English.
 * applyLanguage therefore asks the served catalogue which language it is (its catalogueLanguage
 * message) and loads the wanted one when they differ: the rep's choice, else the browser's.
 */
import { browser } from 'wxt/browser';
import type en from '../public/_locales/en/messages.json';
import { errorText } from './api/errors';

export type MessageKey = keyof typeof en;
export type Language = 'auto' | 'ja' | 'en';
type Catalogue = Record<string, { message: string } | undefined>;

let override: { language: 'ja' | 'en'; messages: Catalogue } | undefined;
/** The language being loaded: the background asks the server for it before its catalogue arrives. */
let pending: 'ja' | 'en' | undefined;

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

/** The language a browser locale ('ja', 'ja-JP', 'en-US', 'fr'…) asks for: Japanese, else English. */
export function localeLanguage(locale: string): 'ja' | 'en' {
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/**
 * Which catalogue to load so the UI speaks the rep's choice (or, on 'auto', the browser's locale),
 * given the language chrome.i18n already serves (undefined when it cannot tell): none when the
 * served one is already right.
 */
export function catalogueToLoad(chosen: Language, browserLocale: string, served: 'ja' | 'en' | undefined): 'ja' | 'en' | undefined {
  const wanted = chosen === 'auto' ? localeLanguage(browserLocale) : chosen;
  return served === wanted ? undefined : wanted;
}

/** The language of the catalogue chrome.i18n serves, read from the catalogue itself. */
function servedLanguage(): 'ja' | 'en' | undefined {
  try {
    const code = browser.i18n.getMessage('catalogueLanguage');
    return code === 'ja' || code === 'en' ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The browser's language. chrome.i18n.getUILanguage() says it in pages, but in the service worker
 * of a Chromium without the Japanese UI pack it names the pack loaded (en-US) while
 * navigator.language still names the language the browser was set to (--lang ja). LeadLens
 * speaks only ja and en, so Japanese named by either means a Japanese reader.
 */
function browserLocale(): string {
  let ui = '';
  try {
    ui = browser.i18n.getUILanguage();
  } catch {
    // Outside an extension: navigator alone.
  }
  const preferred = globalThis.navigator?.language ?? '';
  return localeLanguage(ui) !== 'ja' && localeLanguage(preferred) === 'ja' ? preferred : ui;
}

/** The language the UI speaks now: the loaded catalogue's, else the one chrome.i18n serves. */
export function uiLanguage(): 'ja' | 'en' {
  return override?.language ?? pending ?? servedLanguage() ?? localeLanguage(browserLocale());
}

/** An error in the reader's words: its kind and parameters through the catalogue (errorText). */
export function errorWords(error: Parameters<typeof errorText>[0], locale: string = uiLanguage()): string {
  const { key, params } = errorText(error, (ms) => new Date(ms).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }));
  return t(key, params);
}

/** Use the rep's language choice from now on; 'auto' follows the browser. Never throws. */
export async function applyLanguage(language: Language, load: (language: 'ja' | 'en') => Promise<Catalogue> = fetchCatalogue): Promise<void> {
  override = undefined;
  const wanted = catalogueToLoad(language, browserLocale(), servedLanguage());
  pending = wanted;
  if (!wanted) return;
  try {
    override = { language: wanted, messages: await load(wanted) };
  } catch {
    // The served catalogue is still a language the rep reads; keep it rather than fail.
  } finally {
    if (pending === wanted) pending = undefined;
  }
}

async function fetchCatalogue(language: 'ja' | 'en'): Promise<Catalogue> {
  const response = await fetch(browser.runtime.getURL(`/_locales/${language}/messages.json`));
  return (await response.json()) as Catalogue;
}
