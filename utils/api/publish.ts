// `npm run contract` (Node only, never bundled): publish the zod contract, with the server's
// ingest and admin routes, as docs/openapi.json.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderServerOpenApi } from '../../server/openapi';

const target = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
writeFileSync(target, renderServerOpenApi());
console.log(`wrote ${target}`);
