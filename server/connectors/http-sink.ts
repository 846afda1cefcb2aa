/**
 * An IngestSink over a running server's generic ingest API (POST /v1/ingest/leads|events with
 * an ingest token): the CSV import can feed a server it does not run in. Retries 429/5xx with
 * Retry-After like every pull; a rejected token stops at once.
 */
import { IngestEventsResponse, IngestLeadsResponse } from '../contract/ingest';
import { fetchWithRetry, type FetchLike } from './retry';
import type { IngestSink } from './types';

export class HttpSink implements IngestSink {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly fetchFn: FetchLike = (u, i) => fetch(u, i),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  private async post(path: string, body: unknown): Promise<unknown> {
    const res = await fetchWithRetry(this.fetchFn, `${this.baseUrl.replace(/\/$/, '')}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }, { sleep: this.sleep, now: Date.now });
    return res.json();
  }

  async ingestLeads(_org: unknown, items: unknown[]) {
    return IngestLeadsResponse.parse(await this.post('/v1/ingest/leads', { leads: items }));
  }

  async ingestEvents(_org: unknown, items: unknown[]) {
    return IngestEventsResponse.parse(await this.post('/v1/ingest/events', { events: items }));
  }
}
