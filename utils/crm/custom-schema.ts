/**
 * Validation of custom CRM rules (the rep's, from the settings page and sync storage, and the
 * administrator's, from managed storage), with one problem code per field so the settings page
 * can say what is wrong in words. The pattern checks themselves are custom.ts's compilePattern:
 * the content script skips exactly the rules this schema rejects.
 *
 * Not for the content script (zod).
 */
import { z } from 'zod';
import { compilePattern, type CustomRule } from './custom';

export const MAX_OWN_RULES = 20;

/** Problem codes: the settings page says each in words (CustomRulesSection). */
export type RuleIssueCode =
  | 'label_required' | 'label_long'
  | 'pattern_required' | 'pattern_long' | 'pattern_syntax' | 'pattern_origin' | 'pattern_group'
  | 'object_type_long'
  | 'selector_syntax' | 'selector_long'
  | 'needs_record_or_selector'
  | 'id';

export interface RuleIssue {
  path: 'id' | 'label' | 'pattern' | 'objectType' | 'emailSelector';
  code: RuleIssueCode;
  /** The regex engine's message, the offending group name... */
  detail?: string;
}

/**
 * Whether `document.querySelector` would accept the selector. Where there is no DOM (the
 * background's service worker) only emptiness and length are checked; the page checks again.
 */
export function selectorSyntaxOk(selector: string): boolean {
  if (typeof document === 'undefined') return true;
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);
const optionalTrimmed = (value: unknown) => {
  const t = trimmed(value);
  return t === '' || t === null ? undefined : t;
};

const Shape = z.object({
  id: z.string(),
  label: z.preprocess(trimmed, z.string()),
  pattern: z.preprocess(trimmed, z.string()),
  objectType: z.preprocess(optionalTrimmed, z.string().optional()),
  emailSelector: z.preprocess(optionalTrimmed, z.string().optional()),
});

/** Field by field, so every field can show its own problem at once. */
export function ruleIssues(rule: Omit<CustomRule, 'id'> & { id?: string }): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (rule.id !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(rule.id)) issues.push({ path: 'id', code: 'id' });
  const label = rule.label.trim();
  if (label === '') issues.push({ path: 'label', code: 'label_required' });
  else if (label.length > 80) issues.push({ path: 'label', code: 'label_long' });

  const pattern = rule.pattern.trim();
  let hasRecordId = false;
  if (pattern === '') issues.push({ path: 'pattern', code: 'pattern_required' });
  else if (pattern.length > 2048) issues.push({ path: 'pattern', code: 'pattern_long' });
  else {
    const compiled = compilePattern(pattern);
    if (compiled.ok) hasRecordId = compiled.value.groups.has('recordId');
    else if (compiled.problem.code === 'origin') issues.push({ path: 'pattern', code: 'pattern_origin' });
    else issues.push({ path: 'pattern', code: compiled.problem.code === 'group' ? 'pattern_group' : 'pattern_syntax', detail: compiled.problem.detail });
  }

  if ((rule.objectType?.trim().length ?? 0) > 64) issues.push({ path: 'objectType', code: 'object_type_long' });

  const selector = rule.emailSelector?.trim() ?? '';
  if (selector.length > 512) issues.push({ path: 'emailSelector', code: 'selector_long' });
  else if (selector !== '' && !selectorSyntaxOk(selector)) issues.push({ path: 'emailSelector', code: 'selector_syntax' });

  // Without an id in the URL the page must say whose it is.
  if (pattern !== '' && !issues.some((i) => i.path === 'pattern') && !hasRecordId && selector === '') {
    issues.push({ path: 'emailSelector', code: 'needs_record_or_selector' });
  }
  return issues;
}

/** A valid rule, trimmed, with empty optional fields left out. */
export const CustomRuleSchema = Shape.superRefine((rule, ctx) => {
  for (const issue of ruleIssues(rule)) {
    ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.detail ? `${issue.code}: ${issue.detail}` : issue.code, params: { code: issue.code, detail: issue.detail } });
  }
}).transform((rule): CustomRule => ({
  id: rule.id,
  label: rule.label,
  pattern: rule.pattern,
  ...(rule.objectType ? { objectType: rule.objectType } : {}),
  ...(rule.emailSelector ? { emailSelector: rule.emailSelector } : {}),
}));

export type ParsedRule = { ok: true; rule: CustomRule } | { ok: false; issues: RuleIssue[] };

/** What a field that is not even a string is reported as. */
const TYPE_CODES: Record<RuleIssue['path'], RuleIssueCode> = {
  id: 'id', label: 'label_required', pattern: 'pattern_required', objectType: 'object_type_long', emailSelector: 'selector_syntax',
};

function toRuleIssue(issue: z.core.$ZodIssue): RuleIssue {
  const key = String(issue.path[0] ?? 'pattern');
  const path: RuleIssue['path'] = key in TYPE_CODES ? (key as RuleIssue['path']) : 'pattern';
  const params = issue.code === 'custom' ? (issue.params as { code?: RuleIssueCode; detail?: string } | undefined) : undefined;
  if (params?.code) return { path, code: params.code, ...(params.detail ? { detail: params.detail } : {}) };
  return { path, code: TYPE_CODES[path] };
}

/** One rule from anywhere: the settings page's form, sync storage, the admin's policy. */
export function parseCustomRule(raw: unknown): ParsedRule {
  const parsed = CustomRuleSchema.safeParse(raw);
  return parsed.success ? { ok: true, rule: parsed.data } : { ok: false, issues: parsed.error.issues.map(toRuleIssue) };
}

export interface RuleSet {
  rules: CustomRule[];
  /** Rules that were left out, and why (for the settings page and the log). */
  dropped: { id: string; source: 'admin' | 'own'; issues: RuleIssue[] }[];
}

/**
 * The administrator's rules (ids `admin-<n>` when they carry none, labels their pattern when
 * they carry none) then the rep's, each validated on its own.
 */
export function validateRules(admin: readonly unknown[], own: readonly unknown[]): RuleSet {
  const out: RuleSet = { rules: [], dropped: [] };
  const take = (raw: unknown, source: 'admin' | 'own', index: number) => {
    const input = source === 'admin' && typeof raw === 'object' && raw !== null
      ? { id: `admin-${index}`, label: (raw as { pattern?: unknown }).pattern, ...(raw as Record<string, unknown>) }
      : raw;
    const parsed = parseCustomRule(input);
    if (parsed.ok) out.rules.push(parsed.rule);
    else out.dropped.push({ id: String((input as { id?: unknown } | null)?.id ?? `${source}-${index}`), source, issues: parsed.issues });
  };
  admin.forEach((raw, index) => take(raw, 'admin', index));
  own.forEach((raw, index) => take(raw, 'own', index));
  return out;
}
