// `npm run contract` (Node only, never bundled): publish the zod contract as docs/openapi.json.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderOpenApi } from './openapi';

const target = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
writeFileSync(target, renderOpenApi());
console.log(`wrote ${target}`);
