/**
 * Drains the outbox: claims due rows under a lease, sends each through its target with a
 * timeout, records the target's answer and decides the next step (decide.ts). Started by the
 * server, stopped on close (the send in flight finishes or times out first); a restart resumes
 * whatever is pending. Each attempt is one log line: row, target, attempt, status — no payload,
 * no credentials.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { FetchLike } from '../retry';
import { nextStep } from './decide';
import { TokenError } from './oauth';
import { claim, finish, type OutboxRow } from './store';
import { trimAnswer, type OutboxTarget, type SendOutcome } from './types';

export type WorkerOptions = {
  db: Kysely<Database>;
  targets: readonly OutboxTarget[];
  fetch: FetchLike;
  clock: () => number;
  random?: () => number;
  log?: FastifyBaseLogger;
  /** Idle poll for rows that became due (retries, other processes' rows). */
  pollMs?: number;
  leaseMs?: number;
  timeoutMs?: number;
  batch?: number;
};

export class OutboxWorker {
  readonly owner = `w_${randomBytes(6).toString('hex')}`;
  private readonly targets: Map<string, OutboxTarget>;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Every attempt finished (tests wait on this instead of sleeping). */
  private readonly listeners = new Set<(row: OutboxRow, outcome: SendOutcome) => void>();

  constructor(private readonly opts: WorkerOptions) {
    this.targets = new Map(opts.targets.map((t) => [t.id, t]));
  }

  onAttempt(fn: (row: OutboxRow, outcome: SendOutcome) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** New rows were queued in this process: look now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let sent = 0;
      try {
        sent = await this.drainOnce();
      } catch (err) {
        this.opts.log?.error({ err }, 'outbox: drain failed');
      }
      if (sent > 0 || this.stopped) continue;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, this.opts.pollMs ?? 5000);
      });
      clearTimeout(this.timer);
      this.wakeUp = undefined;
    }
  }

  /** Claims and sends one batch of due rows; answers how many were attempted. */
  async drainOnce(): Promise<number> {
    const now = this.opts.clock();
    const rows = await claim(this.opts.db, this.owner, now, this.opts.leaseMs ?? 120_000, this.opts.batch ?? 10);
    for (const row of rows) await this.attempt(row);
    return rows.length;
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const target = this.targets.get(row.target);
    let outcome: SendOutcome;
    if (!target) {
      outcome = { ok: false, status: 'network', answer: `target ${row.target} is not in this server's write-back config`, permanent: true };
    } else {
      outcome = await this.send(target, row);
    }
    const now = this.opts.clock();
    const next = nextStep(outcome, row.attempts, now, (this.opts.random ?? Math.random)());
    await finish(this.opts.db, row, this.owner, {
      status: next.status,
      nextAttemptAt: next.status === 'pending' ? next.at : row.next_attempt_at,
      lastStatus: String(outcome.status),
      lastAnswer: outcome.answer,
      ...(outcome.ok && outcome.remoteId ? { remoteId: outcome.remoteId } : {}),
    }, now);
    const line = { outbox: row.id, target: row.target, kind: row.kind, attempt: row.attempts, status: outcome.status, next: next.status };
    if (outcome.ok) this.opts.log?.info(line, 'outbox: delivered');
    else if (next.status === 'failed') this.opts.log?.warn({ ...line, answer: outcome.answer.slice(0, 300) }, 'outbox: gave up');
    else this.opts.log?.info({ ...line, retryAt: new Date((next as { at: number }).at).toISOString() }, 'outbox: will retry');
    for (const fn of this.listeners) fn(row, outcome);
  }

  private async send(target: OutboxTarget, row: OutboxRow): Promise<SendOutcome> {
    const ctrl = new AbortController();
    const timeoutMs = this.opts.timeoutMs ?? 20_000;
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    const fetchFn: FetchLike = (url, init) => this.opts.fetch(url, { ...init, signal: ctrl.signal });
    try {
      return await target.send(row.payload, { fetch: fetchFn, now: this.opts.clock, mayHaveLanded: row.attempts > 1 || row.last_status !== null });
    } catch (err) {
      if (err instanceof TokenError) return { ok: false, status: err.status, answer: trimAnswer(err.message) };
      if (ctrl.signal.aborted) return { ok: false, status: 'timeout', answer: `no answer within ${timeoutMs / 1000} s` };
      return { ok: false, status: 'network', answer: trimAnswer(err instanceof Error ? err.message : String(err)) };
    } finally {
      clearTimeout(timer);
    }
  }
}
