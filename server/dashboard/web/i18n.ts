/** The UI language: the browser's unless the user chose one; ja and en. */
import { computed, signal } from '@preact/signals';
import { CATALOGUES, format, type Locale, type MessageKey } from './messages';

const STORAGE_KEY = 'leadlens.dashboard.locale';

export function initialLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored === 'ja' || stored === 'en') return stored;
  for (const lang of languages) {
    const base = lang.toLowerCase().split('-')[0];
    if (base === 'ja' || base === 'en') return base;
  }
  return 'ja';
}

export const locale = signal<Locale>(initialLocale(
  typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null,
  typeof navigator !== 'undefined' ? navigator.languages : [],
));

export function setLocale(next: Locale): void {
  locale.value = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
}

const catalogue = computed(() => CATALOGUES[locale.value]);

export const t = (key: MessageKey, ...values: (string | number)[]): string => format(catalogue.value[key], values);

/** A key that may not exist (event types, outcomes from a newer server): the raw value when unknown. */
export const tMaybe = (key: string, fallback: string): string =>
  key in catalogue.value ? catalogue.value[key as MessageKey] : fallback;

export const minutesText = (minutes: number): string => {
  const m = Math.round(Math.abs(minutes));
  return m >= 60 ? t('hoursMinutes', Math.floor(m / 60), m % 60) : t('minutes', m);
};

/** The team's zone (from the server): times read the same for everyone in the team, wherever the browser is. */
export const timeZone = signal('Asia/Tokyo');

export const dateTime = (iso: string | number): string =>
  new Intl.DateTimeFormat(locale.value === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: timeZone.value, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
