/**
 * Custom CRM rules: the administrator's (read-only) and the rep's own, each with the site it needs
 * access to; a form to add one, with a box that shows what the rule would recognise on a URL.
 *
 * "Add rule" asks the browser for access to the rule's site (an optional host permission) in the
 * click itself — Chrome only shows the prompt during a user gesture, so the request is made before
 * anything is awaited — and saves the rule only once access is granted. The background then
 * registers the content script there (utils/background/custom-scripts.ts). Removing a rule gives
 * the site back when no other rule needs it.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { detectPage, originPatternOf, type CustomRule } from '../../utils/crm/custom';
import { MAX_OWN_RULES, parseCustomRule, type RuleIssue, type RuleIssueCode } from '../../utils/crm/custom-schema';
import { originsInUse, saveOwnRules } from '../../utils/crm/custom-storage';
import { t, type MessageKey } from '../../utils/i18n';
import type { ManagedCustomRule } from '../../utils/preferences/managed';
import { text, type LocalText } from '../../utils/notify/text';
import { errorAttrs, FieldError, ManagedBadge, parseTypedUrl, SaveStatus, useSaver, type FieldIssue } from './common';

/** The browser's site access, injectable for tests. `request` must be called within a click. */
export interface SiteAccess {
  request(origin: string): Promise<boolean>;
  remove(origin: string): Promise<boolean>;
  contains(origin: string): Promise<boolean>;
}

/** A browser call that may throw at once or reject (no permissions API, Firefox quirks): `fallback`. */
async function attempt<T>(call: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await call();
  } catch {
    return fallback;
  }
}

export const browserSiteAccess: SiteAccess = {
  request: (origin) => browser.permissions.request({ origins: [origin] }),
  remove: (origin) => browser.permissions.remove({ origins: [origin] }),
  contains: (origin) => browser.permissions.contains({ origins: [origin] }),
};

const ISSUE_KEYS: Record<RuleIssueCode, MessageKey> = {
  label_required: 'optionsRuleErrLabelRequired',
  label_long: 'optionsRuleErrLabelLong',
  pattern_required: 'optionsRuleErrPatternRequired',
  pattern_long: 'optionsRuleErrPatternLong',
  pattern_syntax: 'optionsRuleErrPatternSyntax',
  pattern_origin: 'optionsRuleErrPatternOrigin',
  pattern_group: 'optionsRuleErrPatternGroup',
  object_type_long: 'optionsRuleErrObjectTypeLong',
  selector_syntax: 'optionsRuleErrSelectorSyntax',
  selector_long: 'optionsRuleErrSelectorLong',
  needs_record_or_selector: 'optionsRuleErrNeedsRecord',
  id: 'optionsRuleErrId',
};

export function issueText(issue: RuleIssue): LocalText {
  return text(ISSUE_KEYS[issue.code], issue.detail ?? '');
}

const toFieldIssues = (issues: readonly RuleIssue[]): FieldIssue[] => issues.map((issue) => ({ path: issue.path, text: issueText(issue) }));

export type RuleProbe =
  | { kind: 'invalid-url' }
  | { kind: 'invalid-rule' }
  | { kind: 'builtin'; label: string }
  | { kind: 'none' }
  | { kind: 'record'; objectType: string; recordId: string }
  | { kind: 'email'; selector: string };

/** What the rule being written would make of a URL (a built-in CRM first, as on the page). */
export function probeRule(rule: CustomRule | undefined, input: string): RuleProbe | undefined {
  const url = parseTypedUrl(input);
  if (url === undefined) return undefined;
  if (url === null) return { kind: 'invalid-url' };
  if (!rule) return { kind: 'invalid-rule' };
  const found = detectPage([rule], url);
  if (found?.kind === 'builtin') return { kind: 'builtin', label: found.detection.adapter.label };
  if (found?.kind === 'record') return { kind: 'record', objectType: found.record.objectType, recordId: found.record.recordId };
  if (found?.kind === 'email') return { kind: 'email', selector: found.selector };
  return { kind: 'none' };
}

/** A rule as the list shows it: valid (and the site it needs) or the problems that keep it unused. */
type Listed = { key: string; raw: unknown; label: string; pattern: string; rule?: CustomRule; origin?: string; issues: RuleIssue[] };

function listed(raw: unknown, key: string, fallback: { id: string; label?: string }): Listed {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const pattern = typeof r.pattern === 'string' ? r.pattern : '';
  const parsed = parseCustomRule({ id: fallback.id, label: fallback.label ?? pattern, ...r });
  const label = typeof r.label === 'string' && r.label.trim() ? r.label : pattern;
  return parsed.ok
    ? { key, raw, label, pattern, rule: parsed.rule, origin: originPatternOf(parsed.rule), issues: [] }
    : { key, raw, label, pattern, issues: parsed.issues };
}

export interface CustomRulesSectionProps {
  /** The administrator's rules as the managed policy has them (validated here, one by one). */
  managedRules?: readonly ManagedCustomRule[] | undefined;
  /** The rep's stored rules (sync:customRules), as stored. */
  ownRules: readonly unknown[];
  access?: SiteAccess;
  newId?: () => string;
}

const EMPTY_DRAFT = { label: '', pattern: '', objectType: '', emailSelector: '' };

export function CustomRulesSection({ managedRules = [], ownRules, access = browserSiteAccess, newId = () => crypto.randomUUID() }: CustomRulesSectionProps) {
  const own = useSignal<readonly unknown[]>(ownRules);
  const draft = useSignal(EMPTY_DRAFT);
  const testUrl = useSignal('');
  const probe = useSignal<RuleProbe | undefined>(undefined);
  /** origin → granted; absent while unknown (or where the browser cannot say). */
  const granted = useSignal<ReadonlyMap<string, boolean>>(new Map());
  const saver = useSaver(['label', 'pattern', 'objectType', 'emailSelector']);

  const admin = managedRules.map((raw, index) => listed(raw, `admin-${index}`, { id: `admin-${index}` }));
  const mine = own.value.map((raw, index) => listed(raw, `own-${index}`, { id: `own-${index}` }));
  const origins = [...new Set([...admin, ...mine].map((rule) => rule.origin).filter((o): o is string => o !== undefined))];

  useEffect(() => {
    let live = true;
    void Promise.all(origins.map(async (origin) => [origin, await attempt<boolean | undefined>(() => access.contains(origin), undefined)] as const)).then((answers) => {
      if (!live) return;
      const next = new Map<string, boolean>();
      for (const [origin, has] of answers) if (has !== undefined) next.set(origin, has);
      granted.value = next;
    });
    return () => { live = false; };
  }, [origins.join(' ')]);

  const setGranted = (origin: string, has: boolean) => {
    granted.value = new Map([...granted.value, [origin, has]]);
  };

  const candidate = () => ({ id: newId(), ...draft.value });
  const parsedDraft = () => parseCustomRule(candidate());

  const add = () => {
    const parsed = parsedDraft();
    if (!parsed.ok) {
      void saver.run(async () => toFieldIssues(parsed.issues));
      return;
    }
    if (own.value.length >= MAX_OWN_RULES) {
      void saver.run(async () => { throw new Error(t('optionsCustomRuleTooMany', String(MAX_OWN_RULES))); });
      return;
    }
    const rule = parsed.rule;
    const origin = originPatternOf(rule) ?? '';
    // Asked now, inside the click: after an await the gesture would be gone.
    const request = attempt(() => access.request(origin), false);
    void saver.run(async () => {
      const allowed = await request;
      setGranted(origin, allowed);
      // Problems no field shows are thrown: the status line then reads "Could not save: …".
      if (!allowed) throw new Error(t('optionsCustomRuleDenied', origin));
      const next = [...own.value, rule];
      const saved = await saveOwnRules(next as CustomRule[]);
      if (!saved.ok) throw new Error(saved.reason === 'too_many' ? t('optionsCustomRuleTooMany', String(MAX_OWN_RULES)) : saved.message ?? '');
      own.value = next;
      draft.value = EMPTY_DRAFT;
      probe.value = undefined;
      return [];
    });
  };

  const remove = (removed: Listed) => {
    void saver.run(async () => {
      const next = own.value.filter((raw) => raw !== removed.raw);
      const saved = await saveOwnRules(next as CustomRule[]);
      if (!saved.ok) throw new Error(saved.message ?? '');
      own.value = next;
      const left = [...admin, ...next.map((raw, i) => listed(raw, `own-${i}`, { id: `own-${i}` }))];
      const stillNeeded = originsInUse(left.flatMap((item) => (item.rule ? [item.rule] : [])));
      if (removed.origin && !stillNeeded.has(removed.origin)) {
        // Given back: the background unregisters the script there when the grant goes.
        if (await attempt(() => access.remove(removed.origin as string), false)) setGranted(removed.origin, false);
      }
      return [];
    });
  };

  const allow = (origin: string) => {
    void attempt(() => access.request(origin), false).then((has) => setGranted(origin, has));
  };

  const field = (key: keyof typeof EMPTY_DRAFT) => ({
    value: draft.value[key],
    onInput: (event: { currentTarget: HTMLInputElement }) => {
      draft.value = { ...draft.value, [key]: event.currentTarget.value };
      probe.value = undefined;
    },
  });

  const renderRule = (item: Listed, removable: boolean) => {
    const has = item.origin === undefined ? undefined : granted.value.get(item.origin);
    return (
      <li key={item.key} class="custom-rule" data-testid="custom-rule">
        <strong>{item.label}</strong> <code>{item.pattern}</code>
        {item.rule ? (
          <>
            {item.rule.objectType ? <span class="rule-field"> {t('optionsCrmObjectType')}: <code>{item.rule.objectType}</code></span> : null}
            {item.rule.emailSelector ? <span class="rule-field"> {t('optionsCustomRuleByEmail', item.rule.emailSelector)}</span> : null}
            <span class="hint"> {t('optionsCustomRuleSite', item.origin ?? '')}</span>
            {has === false && item.origin ? (
              <p class="hint bad">
                {t('optionsCustomRuleAccessMissing')}{' '}
                <button type="button" class="small" aria-label={t('optionsCustomRuleAllowSite', item.origin)} onClick={() => allow(item.origin as string)}>
                  {t('optionsCustomRuleAllow')}
                </button>
              </p>
            ) : null}
          </>
        ) : (
          <p class="hint bad">{t('optionsCustomRuleInvalid', item.issues.map((issue) => t(ISSUE_KEYS[issue.code], issue.detail ?? '')).join(' '))}</p>
        )}
        {removable ? (
          <button type="button" class="small" aria-label={t('optionsCustomRuleRemove', item.label)} onClick={() => remove(item)}>
            {t('optionsRemove')}
          </button>
        ) : null}
      </li>
    );
  };

  const result = probe.value;
  const at = (path: string) => saver.at(path);
  return (
    <section class="options-section" aria-labelledby="custom-rules-title">
      <h2 id="custom-rules-title">{t('optionsCustomRulesTitle')}</h2>
      <p class="hint">{t('optionsCustomRulesHint')}</p>

      {admin.length > 0 ? (
        <div class="custom-rules">
          <div class="label-row">
            <h3 id="custom-rules-admin">{t('optionsCustomRulesAdminHeading')}</h3>
            <ManagedBadge />
          </div>
          <ul aria-labelledby="custom-rules-admin">{admin.map((item) => renderRule(item, false))}</ul>
        </div>
      ) : null}

      <div class="custom-rules own-rules">
        <h3 id="custom-rules-own">{t('optionsCustomRulesOwnHeading')}</h3>
        {mine.length === 0 ? <p class="hint">{t('optionsCustomRulesNone')}</p> : (
          <ul aria-labelledby="custom-rules-own">{mine.map((item) => renderRule(item, true))}</ul>
        )}
      </div>

      <h3 id="custom-rules-add">{t('optionsCustomRulesAddHeading')}</h3>
      <div class="field">
        <label for="custom-rule-label">{t('optionsCustomRuleLabel')}</label>
        <input id="custom-rule-label" type="text" autocomplete="off" {...field('label')} {...errorAttrs('custom-rule-label-error', at('label'))} />
        <FieldError id="custom-rule-label-error" issues={at('label')} />
      </div>
      <div class="field">
        <label for="custom-rule-pattern">{t('optionsCustomRulePattern')}</label>
        <p class="hint" id="custom-rule-pattern-hint">{t('optionsCustomRulePatternHint')}</p>
        <input id="custom-rule-pattern" type="text" autocomplete="off" spellcheck={false} placeholder="https://crm.example-corp.jp/customers/(?<recordId>\d+)"
          {...field('pattern')} {...errorAttrs('custom-rule-pattern-error', at('pattern'), 'custom-rule-pattern-hint')} />
        <FieldError id="custom-rule-pattern-error" issues={at('pattern')} />
      </div>
      <div class="field">
        <label for="custom-rule-object-type">{t('optionsCustomRuleObjectType')}</label>
        <p class="hint" id="custom-rule-object-type-hint">{t('optionsCustomRuleObjectTypeHint')}</p>
        <input id="custom-rule-object-type" type="text" autocomplete="off" placeholder="record"
          {...field('objectType')} {...errorAttrs('custom-rule-object-type-error', at('objectType'), 'custom-rule-object-type-hint')} />
        <FieldError id="custom-rule-object-type-error" issues={at('objectType')} />
      </div>
      <div class="field">
        <label for="custom-rule-selector">{t('optionsCustomRuleSelector')}</label>
        <p class="hint" id="custom-rule-selector-hint">{t('optionsCustomRuleSelectorHint')}</p>
        <input id="custom-rule-selector" type="text" autocomplete="off" spellcheck={false} placeholder="#customer-email"
          {...field('emailSelector')} {...errorAttrs('custom-rule-selector-error', at('emailSelector'), 'custom-rule-selector-hint')} />
        <FieldError id="custom-rule-selector-error" issues={at('emailSelector')} />
      </div>

      <form class="url-test" onSubmit={(event) => {
        event.preventDefault();
        const parsed = parsedDraft();
        probe.value = probeRule(parsed.ok ? parsed.rule : undefined, testUrl.value);
      }}>
        <label for="custom-rule-test-url">{t('optionsCustomRuleTestUrl')}</label>
        <div class="inline">
          <input id="custom-rule-test-url" type="text" inputMode="url" autocomplete="off" spellcheck={false}
            placeholder="https://crm.example-corp.jp/customers/10001" value={testUrl.value}
            onInput={(event) => { testUrl.value = event.currentTarget.value; probe.value = undefined; }} />
          <button type="submit">{t('optionsCrmTestButton')}</button>
        </div>
      </form>
      <div class="url-test-result" role="status" data-testid="custom-rule-test-result">
        {result?.kind === 'invalid-url' ? <p class="bad">{t('optionsCrmInvalidUrl')}</p> : null}
        {result?.kind === 'invalid-rule' ? <p class="bad">{t('optionsCustomRuleFixFirst')}</p> : null}
        {result?.kind === 'none' ? <p class="bad">{t('optionsCustomRuleNoMatch')}</p> : null}
        {result?.kind === 'builtin' ? <p class="bad">{t('optionsCustomRuleBuiltinWins', result.label)}</p> : null}
        {result?.kind === 'record' ? (
          <>
            <p class="ok">{t('optionsCrmRecognised')}</p>
            <dl class="facts">
              <dt>{t('optionsCrmObjectType')}</dt>
              <dd>{result.objectType}</dd>
              <dt>{t('optionsCrmRecordId')}</dt>
              <dd><code>{result.recordId}</code></dd>
            </dl>
          </>
        ) : null}
        {result?.kind === 'email' ? <p class="ok">{t('optionsCustomRuleByEmail', result.selector)}</p> : null}
      </div>

      <div class="buttons">
        <button type="button" class="primary" onClick={add}>{t('optionsCustomRuleAdd')}</button>
      </div>
      <SaveStatus state={saver.state.value} testId="custom-rules-status" />
    </section>
  );
}

