/**
 * Fan-out across server processes on one PostgreSQL: each process publishes the changes it
 * committed with NOTIFY and LISTENs for the others', so a rep connected to instance B hears of
 * an event ingested through instance A. The embedded engine is one process: it needs no relay.
 * A relay that lost its connection reconnects; what it missed meanwhile reaches the extension
 * through its safety-net poll.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { LeadsChanged } from '../service/notifier';

export const CHANNEL = 'leadlens_changes';
/** NOTIFY payloads stop at 8,000 bytes: a bigger change goes out as "anything in the org". */
const MAX_IDS = 100;

export interface ChangeRelay {
  publish(change: LeadsChanged): Promise<void>;
  subscribe(listener: (change: RelayedChange) => void): () => void;
  close(): Promise<void>;
}

/** A change from another process; without lead ids it may touch anyone in the organisation. */
export interface RelayedChange {
  orgId: string;
  seq: number;
  leadIds?: string[];
}

interface Payload {
  o: string;
  org: string;
  seq: number;
  ids?: string[];
}

export function encodePayload(origin: string, change: LeadsChanged): string {
  const payload: Payload = { o: origin, org: change.orgId, seq: change.seq };
  if (change.leadIds.length <= MAX_IDS) payload.ids = change.leadIds;
  return JSON.stringify(payload);
}

export function decodePayload(text: string): (RelayedChange & { origin: string }) | undefined {
  try {
    const p = JSON.parse(text) as Partial<Payload>;
    if (typeof p.o !== 'string' || typeof p.org !== 'string' || typeof p.seq !== 'number') return undefined;
    const ids = Array.isArray(p.ids) && p.ids.every((id) => typeof id === 'string') ? p.ids : undefined;
    return { origin: p.o, orgId: p.org, seq: p.seq, ...(ids ? { leadIds: ids } : {}) };
  } catch {
    return undefined;
  }
}

export class PgRelay implements ChangeRelay {
  readonly origin = randomUUID();
  private client: pg.Client | undefined;
  private listeners = new Set<(change: RelayedChange) => void>();
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  private constructor(private readonly databaseUrl: string, private readonly onError: (err: unknown) => void) {}

  static async start(databaseUrl: string, onError: (err: unknown) => void = () => undefined): Promise<PgRelay> {
    const relay = new PgRelay(databaseUrl, onError);
    await relay.connect();
    return relay;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      const change = decodePayload(message.payload);
      if (!change || change.origin === this.origin) return; // our own: already delivered locally
      const { origin: _origin, ...rest } = change;
      for (const listener of this.listeners) listener(rest);
    });
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = undefined;
      if (err) this.onError(err);
      if (!this.closed) this.retry = setTimeout(() => void this.connect().catch(lost), 1_000);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  async publish(change: LeadsChanged): Promise<void> {
    const client = this.client;
    if (!client) return;
    await client.query('select pg_notify($1, $2)', [CHANNEL, encodePayload(this.origin, change)]);
  }

  subscribe(listener: (change: RelayedChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
