/**
 * Command line for the reference scoring API.
 *
 *   npx tsx demo/api/cli.ts serve [--port 8787] [--host 127.0.0.1] [--seed N] [--leads N] [--rescore-ms N]
 *   npx tsx demo/api/cli.ts event --api http://127.0.0.1:8787 --lead <id> --type seminar_attended --title "..." [--meta '{"watchedPercent":85}'] [--at ISO]
 *   npx tsx demo/api/cli.ts event --api ... --crm salesforce --object Lead --record <id> --type ...
 *   npx tsx demo/api/cli.ts event --api ... --email someone@example.jp --type ...
 */
import { parseArgs } from 'node:util';
import { LeadSummary } from '../../utils/api/contract';
import { startApi } from './server';

const USAGE = `usage:
  serve [--port 8787] [--host 127.0.0.1] [--seed N] [--leads N] [--rescore-ms N]
  event --api URL (--lead ID | --crm CRM --object TYPE --record ID | --email EMAIL) --type TYPE [--title T] [--meta JSON] [--at ISO]`;

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      leads: { type: 'string' },
      'rescore-ms': { type: 'string' },
    },
  });
  const seed = intOption(values.seed, 'seed');
  const leadCount = intOption(values.leads, 'leads');
  const rescoreMs = intOption(values['rescore-ms'], 'rescore-ms');
  const started = performance.now();
  const api = await startApi({
    port: intOption(values.port, 'port') ?? 8787,
    host: values.host,
    ...(seed !== undefined ? { seed } : {}),
    ...(leadCount !== undefined ? { leadCount } : {}),
    ...(rescoreMs !== undefined ? { rescoreMs } : {}),
  });
  console.log(`LeadLens demo scoring API on ${api.url}  (${api.store.size} leads, ready in ${Math.round(performance.now() - started)} ms)`);
  console.log(`token: demo-token (user u-sato)`);
  console.log('featured leads:');
  for (const [key, id] of Object.entries(api.featured)) {
    const p = api.store.profile(id);
    const s = api.store.summary(id, Date.now());
    const ref = p?.crmRefs[0];
    console.log(`  ${key.padEnd(14)} ${id}  ${p?.name ?? ''}  score ${s?.score ?? '?'} (${s?.band ?? '?'})  ${ref ? `${ref.crm}:${ref.objectType}:${ref.recordId}` : ''}`);
  }
  const stop = (): void => {
    void api.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function event(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      api: { type: 'string', default: 'http://127.0.0.1:8787' },
      lead: { type: 'string' },
      crm: { type: 'string' },
      object: { type: 'string' },
      record: { type: 'string' },
      email: { type: 'string' },
      type: { type: 'string' },
      title: { type: 'string' },
      meta: { type: 'string' },
      at: { type: 'string' },
    },
  });
  if (!values.type) throw new Error('--type is required');
  let meta: unknown;
  if (values.meta !== undefined) {
    try {
      meta = JSON.parse(values.meta) as unknown;
    } catch {
      throw new Error('--meta must be JSON, e.g. \'{"watchedPercent":85}\'');
    }
  }
  const body = {
    type: values.type,
    ...(values.lead ? { leadId: values.lead } : {}),
    ...(values.crm ? { crm: values.crm } : {}),
    ...(values.object ? { objectType: values.object } : {}),
    ...(values.record ? { recordId: values.record } : {}),
    ...(values.email ? { email: values.email } : {}),
    ...(values.title ? { title: values.title } : {}),
    ...(meta !== undefined ? { meta } : {}),
    ...(values.at ? { at: values.at } : {}),
  };
  const res = await fetch(new URL('/v1/admin/events', values.api), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${JSON.stringify(json)}`);
  const lead = LeadSummary.parse((json as { lead?: unknown }).lead);
  console.log(`${lead.id} ${lead.name}: score ${lead.score} (${lead.band}), ${lead.scoreChange24h >= 0 ? '+' : ''}${lead.scoreChange24h} in 24 h`);
  if (lead.needDetectedAt) console.log(`  need detected ${lead.needDetectedAt}: ${lead.needReason ?? ''}`);
  if (lead.cooldownUntil) console.log(`  cooldown until ${lead.cooldownUntil}`);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'serve') await serve(rest);
  else if (command === 'event') await event(rest);
  else {
    console.error(USAGE);
    process.exitCode = 2;
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
