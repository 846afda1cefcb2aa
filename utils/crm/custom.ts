/**
 * The rule adapter for in-house CRMs: a rule is data (an admin's policy or a rep's settings), not
 * code. Either its URL pattern names the record (`(?<recordId>…)`, optionally `(?<objectType>…)`),
 * or it names an element on the page whose text is the lead's email address.
 *
 * Pure and free of zod and storage: the content script bundles this file. Validation with
 * messages lives in custom-schema.ts (settings page, background); here a rule that does not
 * compile is simply skipped.
 */
import { detectRecord, type Detection } from './registry';
import type { RecordRef } from './types';

export interface CustomRule {
  /** Stable id: generated for a rep's rule, `admin-<n>` for the administrator's n-th rule. */
  id: string;
  label: string;
  /**
   * A JavaScript RegExp source matched against the whole URL, anchored at its start, which must be
   * `https://` and a literal host (`https://crm\.example-corp\.jp/customers/(?<recordId>\d+)`;
   * unescaped dots in the host are read as dots).
   */
  pattern: string;
  /** objectType when the pattern has no `objectType` group. */
  objectType?: string;
  /** CSS selector of the element holding the lead's email, for pages whose URL has no id. */
  emailSelector?: string;
}

export const DEFAULT_OBJECT_TYPE = 'record';
/** The only named groups a pattern may use. */
export const RULE_GROUPS = ['recordId', 'objectType'] as const;

export interface CompiledPattern {
  /** Lower-case host name, no port. */
  host: string;
  /** The pattern, anchored, with its host matched literally. */
  regex: RegExp;
  groups: ReadonlySet<string>;
}

export type PatternProblem =
  | { code: 'syntax'; detail: string }
  /** Does not start with https:// and a host name made of letters, digits, hyphens and dots. */
  | { code: 'origin' }
  | { code: 'group'; detail: string };

export type Compiled = { ok: true; value: CompiledPattern } | { ok: false; problem: PatternProblem };

// `https://` (slashes escaped or not), then a host of at least two labels; dots may be escaped.
// What follows the host must start the path (`/`), or end the pattern: no port, no wildcard, no
// character class or group can widen the host.
const HEAD = /^\^?https:(?:\\?\/){2}((?:[a-z0-9-]+(?:\\?\.))+[a-z0-9-]+)(?=\\?\/|\$?$)/i;
// Named groups, skipping escaped characters; lookbehinds (?<= and (?<! are not names.
const NAMED_GROUP = /\\.|\(\?<([^=!>][^>]*)>/g;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function compilePattern(pattern: string): Compiled {
  const head = HEAD.exec(pattern.trim());
  if (!head) return { ok: false, problem: { code: 'origin' } };
  const host = (head[1] ?? '').replace(/\\\./g, '.').toLowerCase();
  if (host.split('.').some((label) => label === '' || label.startsWith('-') || label.endsWith('-'))) {
    return { ok: false, problem: { code: 'origin' } };
  }
  const rest = pattern.trim().slice(head[0].length);
  const groups = new Set<string>();
  for (const match of rest.matchAll(NAMED_GROUP)) {
    const name = match[1];
    if (name === undefined) continue;
    if (!(RULE_GROUPS as readonly string[]).includes(name)) return { ok: false, problem: { code: 'group', detail: name } };
    groups.add(name);
  }
  let regex: RegExp;
  try {
    // The rest is grouped so that an alternation (`a|b`) cannot escape the host.
    regex = new RegExp(`^https://${escapeRegex(host)}(?:${rest})`);
  } catch (error) {
    return { ok: false, problem: { code: 'syntax', detail: error instanceof Error ? error.message : String(error) } };
  }
  return { ok: true, value: { host, regex, groups } };
}

const cache = new Map<string, Compiled>();

/** compilePattern, remembered: the content script evaluates the same rules on every navigation. */
function compiled(pattern: string): Compiled {
  let found = cache.get(pattern);
  if (!found) {
    if (cache.size > 500) cache.clear();
    found = compilePattern(pattern);
    cache.set(pattern, found);
  }
  return found;
}

/** The origin match pattern a rule needs host permission for (`https://<host>/*`), or undefined. */
export function originPatternOf(rule: Pick<CustomRule, 'pattern'>): string | undefined {
  const result = compiled(rule.pattern);
  return result.ok ? `https://${result.value.host}/*` : undefined;
}

/** A rule says what a page is either by its URL or by an element on the page. */
export function ruleKind(rule: Pick<CustomRule, 'pattern' | 'emailSelector'>): 'url' | 'selector' | undefined {
  const result = compiled(rule.pattern);
  if (!result.ok) return undefined;
  if (result.value.groups.has('recordId')) return 'url';
  return rule.emailSelector?.trim() ? 'selector' : undefined;
}

export type CustomDetection =
  | { kind: 'record'; rule: CustomRule; record: RecordRef }
  /** The page is the rule's, the lead is whoever's email the element at `selector` shows. */
  | { kind: 'email'; rule: CustomRule; selector: string };

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Pure: the first rule that recognises the URL, and what it recognises. Invalid rules are skipped. */
export function detectCustom(rules: readonly CustomRule[], href: string | URL): CustomDetection | undefined {
  let url: URL;
  try {
    url = typeof href === 'string' ? new URL(href) : href;
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:') return undefined;
  for (const rule of rules) {
    const result = compiled(rule.pattern);
    if (!result.ok || result.value.host !== url.host) continue;
    const match = result.value.regex.exec(url.href);
    if (!match) continue;
    const recordId = decode(match.groups?.recordId ?? '').trim();
    if (recordId !== '' && recordId.length <= 128) {
      const objectType = decode(match.groups?.objectType ?? '').trim() || rule.objectType?.trim() || DEFAULT_OBJECT_TYPE;
      // The rule's host is the tenant: two in-house CRMs may both have a customer 123.
      if (objectType.length <= 64) return { kind: 'record', rule, record: { crm: 'custom', objectType, recordId, host: result.value.host } };
    }
    const selector = rule.emailSelector?.trim();
    if (selector) return { kind: 'email', rule, selector };
  }
  return undefined;
}

export type PageDetection = { kind: 'builtin'; detection: Detection } | CustomDetection;

/** What the content script acts on: a built-in adapter always wins over a custom rule. */
export function detectPage(rules: readonly CustomRule[], href: string | URL): PageDetection | undefined {
  const detection = detectRecord(href);
  return detection ? { kind: 'builtin', detection } : detectCustom(rules, href);
}

/** What the background tells a content script about a page no built-in CRM knows. */
export type CustomPage =
  | { kind: 'record'; record: RecordRef }
  /** The lead is whoever's email the element at `selector` shows; `label` names the rule in the page's console. */
  | { kind: 'email'; selector: string; label: string }
  | { kind: 'none' };

/**
 * The custom rules applied for a content script (they stay in the background: the script's
 * size is budgeted). Only about the asking page's own site: a script may ask about the URL its
 * page is moving to, never about another site's.
 */
export function customPage(rules: readonly CustomRule[], href: string, pageUrl: string | undefined): CustomPage {
  let same = false;
  try {
    same = pageUrl !== undefined && new URL(href).origin === new URL(pageUrl).origin;
  } catch {
    // An unreadable URL is no page of ours.
  }
  const found = same ? detectCustom(rules, href) : undefined;
  if (!found) return { kind: 'none' };
  return found.kind === 'record' ? { kind: 'record', record: found.record } : { kind: 'email', selector: found.selector, label: found.rule.label };
}

/** Loose, on purpose: what an email read off a page must look like before we ask about it. */
export function looksLikeEmail(text: string): boolean {
  return text.length >= 3 && text.length <= 320 && /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;.]+$/.test(text);
}
