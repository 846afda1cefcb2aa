/**
 * Runs the scheduled pulls: each job on its own interval, never two runs of one job at once,
 * a failed run logged and retried at the next tick (its saved position keeps what it stored).
 * stop() waits for running jobs, so a graceful close never cuts a page in half.
 */
import type { FastifyBaseLogger } from 'fastify';

export type Job = { name: string; intervalMs: number; run(): Promise<unknown> };

export class Scheduler {
  private timers: NodeJS.Timeout[] = [];
  private running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly jobs: readonly Job[], private readonly log?: FastifyBaseLogger) {}

  start(): void {
    for (const job of this.jobs) {
      void this.tick(job);
      this.timers.push(setInterval(() => void this.tick(job), job.intervalMs));
    }
  }

  /** One run now (or the one already under way). */
  tick(job: Job): Promise<void> {
    const current = this.running.get(job.name);
    if (current || this.stopped) return current ?? Promise.resolve();
    const p = job.run()
      .then((report) => { this.log?.info({ job: job.name, report }, 'connector pull done'); })
      .catch((err: unknown) => { this.log?.error({ job: job.name, err }, 'connector pull failed; retried at the next interval'); })
      .finally(() => { this.running.delete(job.name); });
    this.running.set(job.name, p);
    return p;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.all(this.running.values());
  }
}
