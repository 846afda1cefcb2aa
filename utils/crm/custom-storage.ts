/**
 * Where custom CRM rules live: the rep's own in `sync:customRules` (they follow the rep to their
 * other browsers; the host permission each needs is granted per browser), the administrator's in
 * the managed policy's `customRules` (read-only). Background and settings page only: the content
 * script asks the background (utils/crm/custom.ts customPage).
 */
import { storage } from 'wxt/utils/storage';
import { loadManagedPolicy, type ManagedPolicy } from '../preferences/managed';
import { originPatternOf, type CustomRule } from './custom';
import { MAX_OWN_RULES, validateRules, type RuleSet } from './custom-schema';

export const CUSTOM_RULES_KEY = 'customRules';

/** Stored as given; every reader validates (a rule saved by a newer version may not parse). */
export const customRulesItem = storage.defineItem<CustomRule[]>(`sync:${CUSTOM_RULES_KEY}`, {
  fallback: [],
  version: 1,
});

/** The administrator's rules, then the rep's; invalid ones are reported in `dropped`. */
export async function loadCustomRules(managed: () => Promise<ManagedPolicy> = () => loadManagedPolicy()): Promise<RuleSet> {
  const [own, policy] = await Promise.all([customRulesItem.getValue().catch(() => []), managed()]);
  return validateRules(policy.customRules ?? [], Array.isArray(own) ? own : []);
}

export type SaveRulesResult = { ok: true } | { ok: false; reason: 'too_many' | 'storage'; message?: string };

/** Replaces the rep's rules (already validated by the caller). Sync storage has small quotas. */
export async function saveOwnRules(rules: readonly CustomRule[]): Promise<SaveRulesResult> {
  if (rules.length > MAX_OWN_RULES) return { ok: false, reason: 'too_many' };
  try {
    await customRulesItem.setValue([...rules]);
    return { ok: true };
  } catch (error) {
    // QUOTA_BYTES_PER_ITEM (8 KB) or the write-rate limits of storage.sync.
    return { ok: false, reason: 'storage', message: error instanceof Error ? error.message : String(error) };
  }
}

/** The origins some rule needs: a removed rule's origin is given back only when none is left. */
export function originsInUse(rules: readonly CustomRule[]): Set<string> {
  return new Set(rules.map(originPatternOf).filter((origin): origin is string => origin !== undefined));
}
