/**
 * Formatting for the panel: dates and times in the reader's locale (Intl only), message
 * parameters resolved (utils/policy/message.ts), and the one rule for links in API data.
 */
import { t, uiLanguage, type MessageKey } from '../../utils/i18n';
import { formatDuration } from '../../utils/policy/call-window';
import type { MessageParam } from '../../utils/policy/message';

/** The locale for dates and durations, so they read like the labels around them. */
export function uiLocale(): string {
  return uiLanguage();
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(ms: number, locale: string, options: Intl.DateTimeFormatOptions, timeZone?: string): string {
  const key = `${locale}|${timeZone ?? ''}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { ...options, ...(timeZone ? { timeZone } : {}) });
    } catch {
      f = new Intl.DateTimeFormat(undefined, options);
    }
    formats.set(key, f);
  }
  return f.format(ms);
}

const ms = (iso: string): number => Date.parse(iso);

/** "Tue, Jul 15, 10:00" / "7月15日(火) 10:00"; an unreadable date is shown as sent. */
export function formatDateTime(iso: string, locale: string, timeZone?: string): string {
  const at = ms(iso);
  return Number.isNaN(at) ? iso : format(at, locale, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }, timeZone);
}

/** "10:00". */
export function formatTime(iso: string, locale: string, timeZone?: string): string {
  const at = ms(iso);
  return Number.isNaN(at) ? iso : format(at, locale, { hour: '2-digit', minute: '2-digit' }, timeZone);
}

/** "Tue, Jul 15" / "7月15日(火)". */
export function formatDay(at: number, locale: string, timeZone?: string): string {
  return format(at, locale, { weekday: 'short', month: 'short', day: 'numeric' }, timeZone);
}

/** "2025-07-15" in the zone: the key that groups a timeline by day. */
export function dayKey(at: number, timeZone?: string): string {
  return format(at, 'en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }, timeZone);
}

/** Parameters as the strings chrome.i18n substitutes for $1..$9; `now` turns instants into "2 h" / "1 h 23 min". */
export function resolveParams(params: readonly MessageParam[], now: number, locale: string, timeZone?: string): string[] {
  return params.map((p) =>
    typeof p !== 'object' ? String(p)
    : 'since' in p ? formatDuration(now - Date.parse(p.since), locale)
    : 'until' in p ? formatDuration(Date.parse(p.until) - now, locale)
    : 'duration' in p ? formatDuration(p.duration, locale)
    : 'time' in p ? formatDateTime(p.time, locale, timeZone)
    : t(p.message));
}

export function message(key: MessageKey, params: readonly MessageParam[], now: number, locale: string, timeZone?: string): string {
  return t(key, resolveParams(params, now, locale, timeZone));
}

/** "+12", "−8", "+0.4": points keep one decimal at most. */
export function signedPoints(points: number): string {
  const p = Math.round(points * 10) / 10;
  return p > 0 ? `+${p}` : p < 0 ? `−${-p}` : '0';
}

/** A link target from API data, only when it is http(s): never javascript:, data: or relative. */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A dialable tel: link from a phone number in API data ("03-1234-5678", "+81 3 1234 5678",
 * "(206) 555-0100"): digits, one leading +, and the separators RFC 3966 allows; an extension
 * ("内線 12", "ext. 12") is left out. Undefined when no digits are left.
 */
export function telHref(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  const main = phone.normalize('NFKC').split(/内線|ext\.?|x(?=\s*\d)/i)[0] ?? '';
  const plus = main.trim().startsWith('+') ? '+' : '';
  const digits = main.replace(/[^0-9]/g, '');
  return digits.length >= 3 ? `tel:${plus}${digits}` : undefined;
}

/**
 * Actions that change data ignore synthetic events: a hostile CRM page can dispatch clicks
 * and submits into the panel (password managers that inject UI into pages defend against the same). Injectable so tests can stand in for a user.
 */
export type TrustCheck = (event: Event) => boolean;
export const isTrustedEvent: TrustCheck = (event) => event.isTrusted === true;
