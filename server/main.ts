/**
 * `npm run server -- [--data-dir ./.leadlens] [--port 8787] [--host 127.0.0.1]` starts the server
 * (PostgreSQL when DATABASE_URL is set, else the embedded engine in the data directory).
 * `npm run server -- user add --name N --email E --role rep --team T` creates a user and prints
 * their token once; `user revoke --email E` revokes their tokens; `user token --email E` issues a
 * new one; `user list`. User commands open the database directly: with the embedded engine,
 * stop the server first (or use the admin API: POST /v1/admin/users).
 * `npm run server -- import --file leads.csv --kind leads|events --map mapping.json` imports a CSV
 * through the same ingest (docs/connectors/csv.md); like user commands it opens the database.
 * LEADLENS_CONNECTORS=<path to connectors.json> mounts the connectors (docs/connectors/); its
 * `writeBack` part names the CRM / MA accounts the outbox writes call logs and recycles to.
 * The manager dashboard is served under /app (`npm run server` builds its web app first);
 * LEADLENS_SMTP_URL (+ LEADLENS_MAIL_FROM) turns on its alert mail, checked every minute.
 * LEADLENS_SECURE_COOKIES=1 marks its session cookie Secure (behind https).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { buildApp, requestSerializer } from './app';
import { connectorsPlugin } from './connectors';
import { IMPORT_OPTIONS, importCommand, UsageError } from './connectors/csv-cli';
import { FileStateStore } from './connectors/state';
import { parseWriteBackConfig, writeBackTargets } from './connectors/writeback/config';
import { DEFAULT_CONFIG, EXTENSION_ORIGIN } from './config';
import { connect, type DbHandle } from './db/connect';
import { smtpConfigFromEnv } from './dashboard/mail';
import { migrateDashboard, serverDashboard, startAlertJob } from './dashboard/server-wiring';
import { PgRelay } from './stream/relay';
import { streamPlugin } from './stream/plugin';
import { bootstrapAdmin, createUser, ensureOrg, findUserByEmail, issueToken, listUsers, NewUser, revokeTokens } from './service/users';
import { vacuumEmbedded } from './service/maintenance';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string', default: './.leadlens' },
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
    name: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string', default: 'rep' },
    team: { type: 'string' },
    ...IMPORT_OPTIONS,
  },
});

const orgId = process.env.LEADLENS_ORG ?? DEFAULT_CONFIG.orgId;

async function open(): Promise<DbHandle> {
  const databaseUrl = process.env.DATABASE_URL;
  const handle = await connect(databaseUrl ? { databaseUrl } : { dataDir: values['data-dir'] });
  await ensureOrg(handle.db, orgId, Date.now());
  return handle;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function userCommand(action: string | undefined): Promise<void> {
  const handle = await open();
  try {
    const byEmail = async () => {
      if (!values.email) fail('--email is required');
      const user = await findUserByEmail(handle.db, orgId, values.email);
      if (!user) fail(`no user with email ${values.email}`);
      return user;
    };
    if (action === 'add') {
      const input = NewUser.safeParse({ name: values.name, email: values.email, role: values.role, ...(values.team ? { team: values.team } : {}) });
      if (!input.success) fail(`user add: ${input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const { user, token } = await createUser(handle.db, orgId, input.data, Date.now());
      console.log(JSON.stringify({ user }, null, 2));
      console.log(`\nToken for ${user.email} (shown once; paste it into the extension's "API token" field):\n${token}`);
    } else if (action === 'revoke') {
      const user = await byEmail();
      console.log(`revoked ${await revokeTokens(handle.db, orgId, user.id, Date.now())} token(s) of ${user.email}`);
    } else if (action === 'token') {
      const user = await byEmail();
      console.log(`New token for ${user.email} (shown once):\n${await issueToken(handle.db, orgId, user.id, Date.now())}`);
    } else if (action === 'list') {
      console.log(JSON.stringify(await listUsers(handle.db, orgId), null, 2));
    } else {
      fail('usage: user add --name N --email E --role rep|manager|admin|ingest [--team T] | user revoke --email E | user token --email E | user list');
    }
  } finally {
    await handle.close();
  }
}

async function importCsvCommand(): Promise<void> {
  const handle = await open();
  const app = await buildApp({ db: handle.db, logger: false, config: { orgId, rescoreIntervalMs: 0 } });
  try {
    const report = await importCommand(values, async () => ({ sink: app.leadlens, org: { orgId } }));
    console.log(JSON.stringify(report, null, 2));
    if (report.rejected > 0) console.error(`${report.rejected} row(s) rejected: see ${values.rejected ?? `${values.file}.rejected.csv`}`);
  } catch (err) {
    fail(err instanceof UsageError ? err.message : String(err));
  } finally {
    await app.close();
    await handle.close();
  }
}

/** The connectors config (JSON) named by LEADLENS_CONNECTORS; validated when the plugin starts. */
function connectorsConfig(): unknown {
  const path = process.env.LEADLENS_CONNECTORS;
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (err) {
    fail(`LEADLENS_CONNECTORS: ${(err as Error).message}`);
  }
}

async function serve(): Promise<void> {
  const logger = pino({
    level: process.env.LOG_LEVEL ?? 'info',
    // Tokens never reach the log; request lines carry the path without its query.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.token', 'token'], censor: '[redacted]' },
    serializers: { req: requestSerializer },
  });
  const corsOrigins = (process.env.LEADLENS_EXTENSION_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = corsOrigins.filter((o) => !EXTENSION_ORIGIN.test(o));
  if (bad.length > 0) fail(`LEADLENS_EXTENSION_ORIGINS: not an extension origin: ${bad.join(', ')}`);
  const handle = await open();
  const first = await bootstrapAdmin(handle.db, orgId, Date.now(), process.env.LEADLENS_ADMIN_TOKEN);
  if (first?.generated) {
    // Printed once, to the terminal only (not the log stream).
    process.stdout.write(`\nFirst admin token (shown once, keep it safe):\n${first.token}\n\n`);
  } else if (first) {
    logger.info('first admin created with LEADLENS_ADMIN_TOKEN');
  }
  const connectors = connectorsConfig();
  // Write-back (calls into the CRM, recycles into the MA tool) lives in the same file, under writeBack.
  let writeBack: ReturnType<typeof writeBackTargets> = [];
  try {
    const raw = connectors && typeof connectors === 'object' ? (connectors as { writeBack?: unknown }).writeBack : undefined;
    if (raw !== undefined) writeBack = writeBackTargets(parseWriteBackConfig(raw));
  } catch (err) {
    fail(`LEADLENS_CONNECTORS: ${(err as Error).message}`);
  }
  let smtp;
  try {
    smtp = smtpConfigFromEnv(process.env);
  } catch (err) {
    fail(`LEADLENS_SMTP_URL / LEADLENS_MAIL_FROM: ${(err as Error).message}`);
  }
  // The dashboard's tables read the server's, so its migrations run after the server's (in open()).
  await migrateDashboard(handle.db);
  const dashboard = serverDashboard(handle.db, { secureCookies: process.env.LEADLENS_SECURE_COOKIES === '1' });
  // Several processes on one PostgreSQL hear each other's changes; the embedded engine is one process.
  const relay = process.env.DATABASE_URL
    ? await PgRelay.start(process.env.DATABASE_URL, (err) => logger.warn({ err }, 'change relay lost its connection; reconnecting'))
    : undefined;
  const app = await buildApp({
    db: handle.db, logger, config: { corsOrigins, orgId },
    // PostgreSQL vacuums and analyzes by itself; the embedded engine has no autovacuum.
    ...(handle.engine === 'pglite' ? { maintenance: () => vacuumEmbedded(handle.db) } : {}),
    onTokenUsed: dashboard.tokenUsed,
    writeBack: { targets: writeBack },
    plugins: [
      streamPlugin({ relay }),
      dashboard.plugin,
      ...(connectors === undefined ? [] : [async (root: Parameters<ReturnType<typeof streamPlugin>>[0]) => {
        // Pull positions live beside the data (PostgreSQL deployments: a path on a shared volume).
        const state = new FileStateStore(join(process.env.LEADLENS_STATE_DIR ?? values['data-dir'], 'connector-state.json'));
        await root.register(connectorsPlugin, { sink: root.leadlens, config: connectors, state });
      }]),
    ],
  });
  if (!dashboard.staticDir) logger.warn('dashboard web app not built (npm run build:app): /app serves its API only');
  const alerts = smtp ? startAlertJob(dashboard.repo, smtp, logger) : undefined;
  const port = Number(values.port);
  await app.listen({ port, host: values.host });
  logger.info({ engine: handle.engine, dataDir: handle.engine === 'pglite' ? values['data-dir'] : undefined, alertMail: Boolean(smtp), writeBack: writeBack.map((t) => t.id) }, 'LeadLens server ready');
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    void Promise.resolve(alerts?.stop()).then(() => app.close()).then(() => relay?.close()).then(() => handle.close()).then(() => process.exit(0), (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (positionals[0] === 'user') await userCommand(positionals[1]);
else if (positionals[0] === 'import') await importCsvCommand();
else if (positionals.length === 0) await serve();
else fail(`unknown command ${positionals.join(' ')}`);
