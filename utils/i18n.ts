/**
 * Every string the user sees goes through public/_locales/{ja,en}. The keys are typed from the
 * English catalogue so a missing message is a type error, not a blank label.
 */
import { browser } from 'wxt/browser';
import type en from '../public/_locales/en/messages.json';

export type MessageKey = keyof typeof en;

export function t(key: MessageKey, substitutions?: string | string[]): string {
  try {
    return browser.i18n.getMessage(key, substitutions) || key;
  } catch {
    // Outside an extension (unit tests without a catalogue) the key is the most useful text.
    return key;
  }
}
