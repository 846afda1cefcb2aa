// The e2e build's test hooks (utils/test-hooks.ts) must not ship: the production build of every
// browser carries neither their code nor their names, while the e2e build does (so this test can
// tell the two apart). Reads the bundles `npm run build:e2e` wrote.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_OPEN_PANEL_KEY } from '../../utils/test-hooks';

const OUTPUT = resolve(import.meta.dirname, '../../.output');

function scripts(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js')).map((file) => join(dir, file));
}

const containing = (dir: string, needle: string) => scripts(dir).filter((file) => readFileSync(file, 'utf8').includes(needle));

describe('test-only hooks', () => {
  it('are absent from the production build and present in the e2e build', () => {
    const production = join(OUTPUT, 'chrome-mv3');
    const e2e = join(OUTPUT, 'chrome-mv3-e2e');
    expect(existsSync(join(production, 'manifest.json')), 'npm run build:e2e builds production too').toBe(true);
    expect(containing(production, TEST_OPEN_PANEL_KEY)).toEqual([]);
    expect(containing(e2e, TEST_OPEN_PANEL_KEY)).toEqual([join(e2e, 'content-scripts/crm.js')]);
  });
});
