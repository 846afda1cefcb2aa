// @vitest-environment node
// The import boundaries of docs/architecture.md are lint errors: `npm run lint` (and so
// `npm run check`) fails on a forbidden import. Probe files are written into real folders of
// the repository, the way a contributor would, linted with the repository's own config, and
// removed again.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RULE = '@typescript-eslint/no-restricted-imports';
const probeName = `__boundary_probe_${process.pid}`;

const PROBES: Record<string, string[]> = {
  component: [`components/panel/${probeName}.tsx`,
    "import { hotCallable } from '../../utils/db/queries';",
    "import { ScoringApiClient } from '@/utils/api/client';",
    "import { t } from '../../utils/i18n';",
    'export const probe = [hotCallable, ScoringApiClient, t];'],
  policy: [`utils/policy/${probeName}.ts`,
    "import { browser } from 'wxt/browser';",
    "import { leadRows } from '../db/schema';",
    "import type { MessageKey } from '../i18n';",
    "import { callWindow } from './call-window';",
    'export const probe = [browser, leadRows, callWindow] as unknown as MessageKey;'],
  content: [`utils/content/${probeName}.ts`, "export { createApp } from '../background/app';"],
  crm: [`utils/crm/${probeName}.ts`, "export * from '../../demo/site/types';", "export * from '../../server/contract/ingest';"],
  // A folder that did not exist when the boundaries were written.
  server: [`server/${probeName}/routes.ts`,
    "import { LeadSummary } from '../../utils/api/contract';",
    "import { callWindow } from '../../utils/policy/call-window';",
    "import { openDb } from '../../utils/db/schema';",
    "import { LeadPanel } from '../../components/LeadPanel';",
    'export const probe = [LeadSummary, callWindow, openDb, LeadPanel];'],
  demo: [`demo/${probeName}.ts`, "export { openDb } from '../utils/db/schema';", "export { createApp } from '../utils/background/app';"],
};

interface LintResult { filePath: string; messages: { ruleId: string | null; message: string }[] }
let exitCode = 0;
const errorsOf = new Map<string, string[]>();

// The repository's own `eslint` command, in a process of its own, as `npm run lint` runs it.
beforeAll(async () => {
  for (const [path, ...lines] of Object.values(PROBES)) {
    mkdirSync(dirname(join(root, path!)), { recursive: true });
    writeFileSync(join(root, path!), `${lines.join('\n')}\n`);
  }
  const files = Object.values(PROBES).map(([path]) => path!);
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, ['node_modules/eslint/bin/eslint.js', '--format', 'json', ...files], { cwd: root, maxBuffer: 1 << 24 }));
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    exitCode = failed.code ?? -1;
    stdout = failed.stdout ?? '[]';
  }
  for (const result of JSON.parse(stdout) as LintResult[]) {
    const rel = result.filePath.slice(root.length + 1);
    errorsOf.set(rel, result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message));
  }
}, 120_000);

afterAll(() => {
  for (const [path] of Object.values(PROBES)) rmSync(join(root, path!), { force: true });
  rmSync(join(root, 'server', probeName), { recursive: true, force: true });
});

const errors = (probe: keyof typeof PROBES): string[] => errorsOf.get(PROBES[probe]![0]!) ?? ['(not linted)'];

describe('import boundaries', () => {
  it('make the lint command fail', () => {
    expect(exitCode).toBe(1);
  });

  it('a component may not open IndexedDB or call the API', () => {
    expect(errors('component')).toEqual([
      expect.stringMatching(/^'\.\.\/\.\.\/utils\/db\/queries' .*components\/panel may not import utils\/db: only the background opens IndexedDB/),
      expect.stringMatching(/^'@\/utils\/api\/client' .*may not import utils\/api\/client: only the background holds the token/),
    ]);
  });

  it('decisions stay pure: no browser at runtime, types are fine', () => {
    expect(errors('policy').map((e) => e.split(' may not import ')[1]?.split(':')[0])).toEqual(['wxt', 'utils/db']);
  });

  it('the content script never imports the background, and utils never the server or demo', () => {
    expect(errors('content')).toEqual([expect.stringMatching(/may not import utils\/background/)]);
    expect(errors('crm')).toEqual([expect.stringMatching(/may not import demo/), expect.stringMatching(/may not import server/)]);
  });

  it('a new server folder is covered: extension runtime is forbidden, the contract and pure policy are not', () => {
    expect(errors('server')).toEqual([
      expect.stringMatching(/^'\.\.\/\.\.\/utils\/db\/schema' .*server\/__boundary_probe_\d+ may not import utils\/db/),
      expect.stringMatching(/may not import components/),
    ]);
  });

  it('demo and tests may import anything', () => {
    expect(errors('demo')).toEqual([]);
  });
});
