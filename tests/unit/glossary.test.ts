// @vitest-environment node
/**
 * One word per idea: docs/glossary.md names, for each domain term, the Japanese word to use and
 * the ones to avoid. No Japanese string of the extension, the server's rendered texts or the
 * dashboard may use an avoided word.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ja as dashboardJa } from '../../server/dashboard/web/messages';
import extensionJa from '../../public/_locales/ja/messages.json';

const root = resolve(import.meta.dirname, '../..');
const glossary = readFileSync(resolve(root, 'docs/glossary.md'), 'utf8');

interface Term { en: string; ja: string; avoid: string[] }

/** The rows of the glossary's terms table: en | ja | avoid (ja) | note. */
function terms(): Term[] {
  const table = glossary.split(/^## Terms$/m)[1]?.split(/^## /m)[0] ?? '';
  return table.split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*(en|---)/.test(line))
    .map((line) => {
      const [en = '', ja = '', avoid = ''] = line.split('|').slice(1).map((cell) => cell.trim());
      return { en, ja, avoid: avoid.split(' / ').map((w) => w.trim()).filter(Boolean) };
    });
}

/** The Japanese string literals of a source file (the server's text catalogue keeps ja beside en). */
function japaneseLiterals(path: string): string[] {
  const source = readFileSync(resolve(root, path), 'utf8').replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '');
  return [...source.matchAll(/'([^'\n]*)'|`([^`]*)`/g)].map((m) => m[1] ?? m[2] ?? '').filter((s) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(s));
}

const catalogues: Record<string, [where: string, text: string][]> = {
  'public/_locales/ja/messages.json': Object.entries(extensionJa).map(([key, value]) => [key, (value as { message: string }).message]),
  'server/dashboard/web/messages.ts': Object.entries(dashboardJa),
  'server/scoring/text.ts': japaneseLiterals('server/scoring/text.ts').map((text, i) => [`literal ${i}`, text]),
};

/** Where `text` uses an avoided word of the glossary. */
function offences(entries: [string, string][], list: Term[]): string[] {
  return entries.flatMap(([where, text]) => list.flatMap((term) =>
    term.avoid.filter((word) => text.includes(word)).map((word) => `${where}: "${word}" (use ${term.ja}) in ${text}`)));
}

describe('the glossary', () => {
  const list = terms();

  it('lists the domain terms with one Japanese word each and what to avoid', () => {
    expect(list.length).toBeGreaterThan(25);
    const byEn = new Map(list.map((term) => [term.en, term]));
    expect(byEn.get('call window (deadline)')).toMatchObject({ ja: '架電期限', avoid: expect.arrayContaining(['架電ウィンドウ', 'コール枠']) });
    expect(byEn.get('gatekeeper (stopped at reception)')?.ja).toBe('受付ブロック');
    // A word cannot be both the choice and avoided.
    for (const term of list) for (const word of term.avoid) expect(list.map((t) => t.ja), word).not.toContain(word);
  });

  it('finds an avoided word (the check can fail)', () => {
    expect(offences([['sample', 'コール枠がまもなく終了'], ['fine', '架電期限まで残り 10分']], list)).toEqual([
      'sample: "コール枠" (use 架電期限) in コール枠がまもなく終了',
    ]);
  });

  it.each(Object.keys(catalogues))('%s uses no avoided Japanese word', (file) => {
    const entries = catalogues[file]!;
    expect(entries.length).toBeGreaterThan(10);
    expect(offences(entries, list)).toEqual([]);
  });
});
