// Who may import whom (docs/architecture.md, "Boundaries"), as @typescript-eslint's
// no-restricted-imports per folder. The table below is the whole policy; the code under it only
// turns it into one lint block per directory of the repository, because a relative import
// ('../db/queries') names another folder differently from every directory.
import { readdirSync } from 'node:fs';
import { posix } from 'node:path';

/** Import targets: a folder or module of the repository, or an npm package. */
const MODULES = {
  entrypoints: 'entrypoints',
  components: 'components',
  background: 'utils/background',
  db: 'utils/db',
  apiClient: 'utils/api/client',
  sync: 'utils/sync',
  content: 'utils/content',
  settings: 'utils/settings',
  i18n: 'utils/i18n',
  messaging: 'utils/messaging',
  messagingSchema: 'utils/messaging-schema',
  uiState: 'utils/ui-state',
  preferencesStorage: 'utils/preferences/storage',
  preferencesManaged: 'utils/preferences/managed',
  customRuleStorage: 'utils/crm/custom-storage',
  server: 'server',
  demo: 'demo',
  tests: 'tests',
};
const PACKAGES = {
  wxt: '^wxt(/|$)',
  dexie: '^dexie$',
  preact: '^(preact|@preact/signals)(/|$)',
};

/** Everything that needs a browser extension's runtime (storage, i18n, messaging, IndexedDB). */
const BROWSER_RUNTIME = [
  'wxt', 'dexie', 'background', 'db', 'apiClient', 'sync', 'content', 'settings', 'i18n', 'messaging',
  'messagingSchema', 'uiState', 'preferencesStorage', 'preferencesManaged', 'customRuleStorage',
];

/**
 * `from`: folders (prefixes) the rule applies to; `except`: sub-folders or files it does not.
 * `forbid`: targets. `types`: whether `import type` of a forbidden target is still allowed
 * (types vanish at build time, so they create no runtime coupling).
 */
export const BOUNDARIES = [
  {
    from: ['utils', 'components', 'entrypoints', 'server'],
    forbid: ['demo', 'tests'],
    types: false,
    why: 'product code never depends on the demo or the tests',
  },
  {
    from: ['utils', 'components', 'server'],
    forbid: ['entrypoints'],
    types: false,
    why: 'entrypoints are the outermost layer: they import, nobody imports them',
  },
  {
    from: ['utils'],
    // The contract publisher (npm run contract, a build script) documents the server's routes too.
    except: ['utils/api/publish.ts'],
    forbid: ['server'],
    types: false,
    why: 'the extension talks to the server only through the HTTP contract (utils/api/contract)',
  },
  {
    from: ['utils'],
    except: ['utils/content'],
    forbid: ['components'],
    types: false,
    why: 'logic does not reach up into the UI; only the content-side panel controller mounts it',
  },
  {
    from: ['components', 'utils/content', 'utils/popup', 'utils/policy', 'utils/notify', 'utils/preferences',
      'utils/crm', 'utils/api', 'utils/db', 'utils/sync', 'entrypoints/'],
    forbid: ['background'],
    types: true,
    why: 'the background is reached through typed messages (utils/messaging), never imported',
  },
  {
    from: ['components', 'utils/content', 'entrypoints/crm.content', 'entrypoints/popup', 'entrypoints/options'],
    forbid: ['apiClient', 'sync'],
    types: true,
    why: 'only the background holds the token and calls the scoring API',
  },
  {
    from: ['components', 'utils/content', 'entrypoints/crm.content', 'entrypoints/popup'],
    forbid: ['db', 'dexie'],
    types: true,
    why: 'only the background opens IndexedDB; the UI gets its data through messages',
  },
  {
    from: ['utils/content', 'entrypoints/crm.content'],
    forbid: ['settings'],
    types: true,
    why: 'the content script runs next to the CRM page and never touches the connection or token',
  },
  {
    from: ['utils/policy', 'utils/notify'],
    forbid: [...BROWSER_RUNTIME, 'preact'],
    types: true,
    why: 'decisions are pure functions (no browser, no database), table-tested and shared with the server',
  },
  {
    from: ['utils/api'],
    forbid: [...BROWSER_RUNTIME, 'preact'],
    types: true,
    why: 'the contract is shared by the extension, the server and the demo',
  },
  {
    from: ['server'],
    // preact is allowed: the manager's dashboard (server/dashboard/web) is a Preact app of its own.
    forbid: [...BROWSER_RUNTIME, 'components'],
    types: false,
    why: 'the server shares only the contract (utils/api/contract) and pure code (utils/policy, utils/notify, utils/crm detectors)',
  },
];

const SKIP_DIRS = new Set(['node_modules', '.git', '.output', '.wxt', 'demo-out', 'docs', 'public', 'fixtures', 'coverage']);

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The regexes an import of `target` takes when written in a file of `dir`. */
function targetRegex(dir, target) {
  if (PACKAGES[target]) return PACKAGES[target];
  const to = MODULES[target];
  const rel = posix.relative(dir || '.', to);
  const relative = rel.startsWith('..') ? escape(rel) : `\\./${escape(rel)}`;
  return `^((@|~|@@|~~)/${escape(to)}|${relative})(/|\\.[a-z]+$|$)`;
}

function applies(rule, path) {
  const within = (prefix) => (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`));
  return rule.from.some(within) && !(rule.except ?? []).some(within);
}

/** The repository's directories, relative, '' for the root. */
function directories(root, rel = '') {
  const out = [rel];
  for (const entry of readdirSync(posix.join(root, rel) || '.', { withFileTypes: true })) {
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) out.push(...directories(root, rel ? `${rel}/${entry.name}` : entry.name));
  }
  return out;
}

function patternsFor(dir, path) {
  const byTarget = new Map();
  for (const rule of BOUNDARIES) {
    if (!applies(rule, path)) continue;
    for (const target of rule.forbid) {
      const seen = byTarget.get(target);
      byTarget.set(target, {
        types: (seen?.types ?? true) && rule.types,
        why: seen ? `${seen.why}; ${rule.why}` : rule.why,
      });
    }
  }
  return [...byTarget].map(([target, { types, why }]) => ({
    regex: targetRegex(dir, target),
    allowTypeImports: types,
    message: `${path.split('/').slice(0, 2).join('/')} may not import ${MODULES[target] ?? target}: ${why} (docs/architecture.md).`,
  }));
}

/** Flat-config blocks: one per directory (and one per excepted file), later ones win. */
export function boundaryConfigs(root = '.') {
  const blocks = [];
  const exceptedFiles = BOUNDARIES.flatMap((rule) => rule.except ?? []).filter((path) => /\.[a-z]+$/.test(path));
  for (const dir of directories(root)) {
    const patterns = patternsFor(dir, dir);
    if (patterns.length === 0) continue;
    blocks.push({
      files: [dir ? `${dir}/*.{ts,tsx,js,mjs}` : '*.{ts,tsx,js,mjs}'],
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
    });
  }
  for (const file of exceptedFiles) {
    const patterns = patternsFor(posix.dirname(file), file);
    blocks.push({
      files: [file],
      rules: { '@typescript-eslint/no-restricted-imports': patterns.length ? ['error', { patterns }] : 'off' },
    });
  }
  return blocks;
}
