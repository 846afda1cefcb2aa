// The run-time registration of the content script for custom CRM rules: which origins it covers
// (granted ones, never a built-in CRM's host twice), and that it is registered, updated and
// unregistered as rules and grants change — one reconciliation at a time.
import { describe, expect, it } from 'vitest';
import { CONTENT_SCRIPT_FILE, CUSTOM_SCRIPT_ID, CustomScripts, wantedOrigins, type CustomScriptsDeps } from '../../utils/background/custom-scripts';
import { classifySender } from '../../utils/background/sender';
import type { CustomRule } from '../../utils/crm/custom';

const rule = (id: string, pattern: string): CustomRule => ({ id, label: id, pattern, emailSelector: '#email' });
const A = rule('a', 'https://crm.example-corp.jp/customers/');
const A2 = rule('a2', String.raw`https://crm.example-corp.jp/deals/(?<recordId>\d+)`);
const B = rule('b', 'https://sfa.intra.example.com/lead');
const SF = rule('sf', 'https://acme.lightning.force.com/lightning/r/Case/');
const BROKEN = rule('broken', 'https://*.example.com/');

describe('wantedOrigins', () => {
  it.each([
    ['no rules', [], []],
    ['one origin per host, sorted', [B, A, A2], ['https://crm.example-corp.jp/*', 'https://sfa.intra.example.com/*']],
    ['not a built-in CRM host (the manifest already runs there)', [SF, A], ['https://crm.example-corp.jp/*']],
    ['not an invalid rule', [BROKEN], []],
  ] as const)('%s', (_name, rules, expected) => {
    expect(wantedOrigins(rules)).toEqual(expected);
  });
});

type Registered = { id: string; matches?: string[]; js?: string[]; runAt?: string; allFrames?: boolean; persistAcrossSessions?: boolean };

function fakeBrowser(rules: CustomRule[], granted: Set<string>) {
  const state = { rules, granted, registered: undefined as Registered | undefined, calls: [] as string[] };
  const deps: CustomScriptsDeps = {
    loadRules: async () => state.rules,
    granted: async (origin) => state.granted.has(origin),
    scripting: {
      getRegisteredContentScripts: async () => (state.registered ? [state.registered] : []),
      registerContentScripts: async (scripts: Registered[]) => {
        if (state.registered) throw new Error(`Duplicate script ID '${CUSTOM_SCRIPT_ID}'`);
        state.calls.push('register');
        state.registered = scripts[0];
      },
      updateContentScripts: async (scripts: Registered[]) => {
        state.calls.push('update');
        state.registered = { ...state.registered, ...scripts[0] } as Registered;
      },
      unregisterContentScripts: async () => {
        state.calls.push('unregister');
        state.registered = undefined;
      },
    } as unknown as CustomScriptsDeps['scripting'],
  };
  return { state, deps };
}

describe('CustomScripts', () => {
  it('registers the content script file on the granted origins only', async () => {
    const { state, deps } = fakeBrowser([A, B], new Set(['https://crm.example-corp.jp/*']));
    const scripts = new CustomScripts(deps);
    await scripts.ready;
    expect(state.registered).toEqual({
      id: CUSTOM_SCRIPT_ID, matches: ['https://crm.example-corp.jp/*'], js: [CONTENT_SCRIPT_FILE],
      runAt: 'document_idle', allFrames: false, persistAcrossSessions: true,
    });
    expect(scripts.matchPatterns().map((p) => p.includes('https://crm.example-corp.jp/customers/1'))).toEqual([true]);
  });

  it('follows grants and rules: update, nothing when unchanged, unregister when none is left', async () => {
    const { state, deps } = fakeBrowser([A, B], new Set(['https://crm.example-corp.jp/*']));
    const scripts = new CustomScripts(deps);
    await scripts.ready;
    state.granted.add('https://sfa.intra.example.com/*');
    expect(await scripts.sync()).toEqual(['https://crm.example-corp.jp/*', 'https://sfa.intra.example.com/*']);
    expect(await scripts.sync()).toHaveLength(2);
    state.rules = [B];
    expect(await scripts.sync()).toEqual(['https://sfa.intra.example.com/*']);
    state.granted.clear();
    expect(await scripts.sync()).toEqual([]);
    expect(await scripts.sync()).toEqual([]);
    expect(state.calls).toEqual(['register', 'update', 'update', 'unregister']);
    expect(state.registered).toBeUndefined();
    expect(scripts.matchPatterns()).toEqual([]);
  });

  it('runs one reconciliation at a time (no duplicate registration when changes arrive together)', async () => {
    const { state, deps } = fakeBrowser([A], new Set(['https://crm.example-corp.jp/*']));
    const scripts = new CustomScripts(deps);
    await Promise.all([scripts.sync(), scripts.sync(), scripts.sync()]);
    expect(state.calls).toEqual(['register']);
  });

  it('keeps going after a failure and reports it', async () => {
    const { state, deps } = fakeBrowser([A], new Set(['https://crm.example-corp.jp/*']));
    const errors: unknown[] = [];
    let fail = true;
    const scripts = new CustomScripts({ ...deps, loadRules: async () => { if (fail) throw new Error('storage gone'); return state.rules; }, onError: (e) => errors.push(e) });
    await scripts.ready;
    expect(errors).toHaveLength(1);
    fail = false;
    expect(await scripts.sync()).toEqual(['https://crm.example-corp.jp/*']);
  });

  it('lets the sender check accept content scripts on the registered origins', async () => {
    const { deps } = fakeBrowser([A], new Set(['https://crm.example-corp.jp/*']));
    const scripts = new CustomScripts(deps);
    await scripts.ready;
    const ID = 'abcdefghijklmnopabcdefghijklmnop';
    const url = 'https://crm.example-corp.jp/customers/10001';
    expect(classifySender({ id: ID, url, tab: { id: 1 } }, ID, `chrome-extension://${ID}/`, scripts.matchPatterns())).toBe('content');
    expect(classifySender({ id: ID, url, tab: { id: 1 } }, ID, `chrome-extension://${ID}/`)).toBeUndefined();
  });
});
