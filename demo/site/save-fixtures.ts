// Regenerates tests/fixtures/<crm>/record.html and meta.json from sample-records.ts.
// Run from the repo root: npx tsx demo/site/save-fixtures.ts
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderFixtures } from './fixtures';

const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'fixtures');

for (const [relative, content] of renderFixtures()) {
  const file = join(FIXTURES_DIR, relative);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
  console.log(`wrote ${join('tests', 'fixtures', relative)} (${content.length} chars)`);
}
