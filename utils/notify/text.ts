/**
 * Text that is decided in pure code but rendered later, in the user's language: an i18n key and
 * its substitutions, where a substitution may itself be such a text ("Tanaka (ACME)" inside
 * "Hot now: $1"). Deciding code never bakes English; the background, popup and options page
 * render with `t` from utils/i18n.ts, tests render with the real catalogue.
 */
import type { MessageKey } from '../i18n';

export interface LocalText {
  key: MessageKey;
  params: readonly LocalParam[];
}
export type LocalParam = string | LocalText;

/** chrome.i18n.getMessage's shape; `t` from utils/i18n.ts fits. */
export type Translate = (key: MessageKey, substitutions?: string[]) => string;

export function text(key: MessageKey, ...params: LocalParam[]): LocalText {
  return { key, params };
}

export function renderText(value: LocalParam, translate: Translate): string {
  if (typeof value === 'string') return value;
  return translate(value.key, value.params.map((p) => renderText(p, translate)));
}

/** "a, b, c" in the catalogue's own separator (pairwise, so no whitespace lives in a message). */
export function listText(items: readonly LocalParam[]): LocalParam {
  const [first, ...rest] = items;
  if (first === undefined) return '';
  return rest.reduce<LocalParam>((acc, item) => text('notifyListPair', acc, item), first);
}
