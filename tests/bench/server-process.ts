/**
 * The server under `npm run bench:server`, in a process of its own (tests/bench/server.ts forks
 * it once the data is loaded): what the budget's peak RSS counts is this process only, not the
 * bulk load or the load generator. Opens the database the parent filled (LEADLENS_BENCH_DATA_DIR
 * for the embedded engine, else LEADLENS_BENCH_DATABASE_URL + LEADLENS_BENCH_SCHEMA), listens on
 * a free port and tells the parent its URL; answers {rss} with its peak resident set so far;
 * {close} closes the app and the database and exits.
 */
import { buildApp } from '../../server/app';
import { connect } from '../../server/db/connect';

const send = (message: unknown): void => {
  process.send?.(message);
};
const dataDir = process.env.LEADLENS_BENCH_DATA_DIR;
const databaseUrl = process.env.LEADLENS_BENCH_DATABASE_URL;
const schema = process.env.LEADLENS_BENCH_SCHEMA;
if (!dataDir && !(databaseUrl && schema)) throw new Error('server-process: set LEADLENS_BENCH_DATA_DIR, or LEADLENS_BENCH_DATABASE_URL and LEADLENS_BENCH_SCHEMA');
const handle = await connect(dataDir ? { dataDir } : { databaseUrl, schema });
const app = await buildApp({ db: handle.db, logger: false, config: { rescoreIntervalMs: 0, ingestRateLimitPerMinute: 1e9, rateLimitPerMinute: 1e9 } });
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.on('message', (message: { type?: string }) => {
  if (message.type === 'rss') send({ type: 'rss', peakRssBytes: process.resourceUsage().maxRSS * 1024 });
  if (message.type === 'close') {
    void app.close().then(() => handle.close()).then(() => process.exit(0));
  }
});
send({ type: 'ready', url });
