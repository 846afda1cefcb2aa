/**
 * The content script on in-house CRMs: the manifest only knows the built-in CRMs' hosts, so for
 * each custom rule whose site the rep has granted (optional host permission, asked for by the
 * settings page) the same script file is registered at run time, as one registration
 * `leadlens-custom` whose matches follow the rules and the grants.
 * https://developer.chrome.com/docs/extensions/reference/api/scripting#method-registerContentScripts
 *
 * Re-derived from scratch on every worker start and on every change of the rules (own or the
 * administrator's) or of the granted origins, one run at a time. The same patterns let the
 * background's sender check accept messages from those pages.
 */
import type { WxtBrowser } from 'wxt/browser';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { originPatternOf, type CustomRule } from '../crm/custom';
import { loadCustomRules } from '../crm/custom-storage';
import { CONTENT_MATCHES } from '../crm/registry';

export const CUSTOM_SCRIPT_ID = 'leadlens-custom';
/** The crm.content entrypoint as WXT emits it (.output/chrome-mv3/manifest.json content_scripts). */
export const CONTENT_SCRIPT_FILE = 'content-scripts/crm.js';

type Scripting = Pick<WxtBrowser['scripting'], 'getRegisteredContentScripts' | 'registerContentScripts' | 'updateContentScripts' | 'unregisterContentScripts'>;

export interface CustomScriptsDeps {
  loadRules(): Promise<CustomRule[]>;
  /** Whether the extension holds host permission for the pattern (permissions.contains). */
  granted(origin: string): Promise<boolean>;
  scripting: Scripting;
  onError?(error: unknown): void;
}

const BUILTIN = CONTENT_MATCHES.map((pattern) => new MatchPattern(pattern));

/**
 * Pure: the origins the custom registration should cover — one per rule's host, minus the hosts
 * the manifest already runs the script on (twice on one page would show two panels).
 */
export function wantedOrigins(rules: readonly CustomRule[]): string[] {
  const origins = new Set<string>();
  for (const rule of rules) {
    const origin = originPatternOf(rule);
    if (!origin) continue;
    const probe = origin.replace(/\*$/, '');
    if (!BUILTIN.some((pattern) => pattern.includes(probe))) origins.add(origin);
  }
  return [...origins].sort();
}

export class CustomScripts {
  private current: string[] = [];
  private patterns: MatchPattern[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  /** Settles once the first sync has run (messages from custom pages wait for it). */
  readonly ready: Promise<void>;

  constructor(private readonly deps: CustomScriptsDeps) {
    this.ready = this.sync().then(() => undefined);
  }

  /** Where the registered script runs now: for the sender check. */
  matchPatterns(): readonly MatchPattern[] {
    return this.patterns;
  }

  /** Brings the registration in line with the rules and grants; answers the matches in force. */
  sync(): Promise<string[]> {
    const run = this.queue.then(() => this.reconcile()).catch((error: unknown) => {
      this.deps.onError?.(error);
      return this.current;
    });
    this.queue = run;
    return run;
  }

  private async reconcile(): Promise<string[]> {
    const { scripting } = this.deps;
    const wanted = wantedOrigins(await this.deps.loadRules());
    const grants = await Promise.all(wanted.map((origin) => this.deps.granted(origin).catch(() => false)));
    const matches = wanted.filter((_, index) => grants[index]);
    const existing = (await scripting.getRegisteredContentScripts({ ids: [CUSTOM_SCRIPT_ID] }))[0];
    if (matches.length === 0) {
      if (existing) await scripting.unregisterContentScripts({ ids: [CUSTOM_SCRIPT_ID] });
    } else {
      const script = {
        id: CUSTOM_SCRIPT_ID,
        matches,
        js: [CONTENT_SCRIPT_FILE],
        // Once the in-house CRM page has rendered (its selector rules read the page); top frame only.
        runAt: 'document_idle' as const,
        allFrames: false,
        persistAcrossSessions: true,
      };
      if (!existing) await scripting.registerContentScripts([script]);
      else if ([...(existing.matches ?? [])].sort().join() !== matches.join()) await scripting.updateContentScripts([script]);
    }
    this.current = matches;
    this.patterns = matches.map((pattern) => new MatchPattern(pattern));
    return matches;
  }
}

/** Wires the registration to the browser: rules, managed policy and permission changes. */
export function startCustomScripts(browser: WxtBrowser): CustomScripts {
  const scripts = new CustomScripts({
    loadRules: async () => (await loadCustomRules()).rules,
    granted: (origin) => browser.permissions.contains({ origins: [origin] }),
    scripting: browser.scripting,
    onError: (error) => console.warn('LeadLens: registering the content script for custom CRM rules failed', error),
  });
  const resync = () => void scripts.sync();
  browser.storage.onChanged.addListener((changes, area) => {
    if ((area === 'sync' || area === 'managed') && 'customRules' in changes) resync();
  });
  browser.permissions.onAdded.addListener(resync);
  browser.permissions.onRemoved.addListener(resync);
  return scripts;
}
