/**
 * Per-token rate limit: a token bucket refilled continuously. In process memory: with several
 * processes behind a load balancer each enforces its own share, which bounds abuse without a
 * round trip to the database on every request.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly clock: () => number) {}

  /** 0 when allowed (and counted), else the seconds to wait. */
  take(key: string, perMinute: number): number {
    const now = this.clock();
    const rate = perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > 100_000) this.prune(now, rate, perMinute);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  private prune(now: number, rate: number, perMinute: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= perMinute) this.buckets.delete(k);
  }
}
