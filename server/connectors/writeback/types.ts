/**
 * Write-back: what the server sends back to the tools a team already uses — each call logged in
 * the panel into the CRM's activity history, each recycle to nurture into the MA tool. One
 * target module per vendor (next to that vendor's inbound code) turns a queued item into the
 * vendor's documented request; the outbox (store.ts, worker.ts) owns retries and idempotency.
 */
import type { FetchLike } from '../retry';

/** One CRM record the lead is, as the lead's crmRefs name it. */
export type TargetRef = { crm: string; objectType: string; recordId: string; host: string };

/** A call logged in the panel, as the CRM receives it. */
export type CallItem = {
  kind: 'call';
  /** The event id (`call_…`): the marker and external key that make a retry safe. */
  activityId: string;
  outcome: string;
  lossReason?: string;
  note?: string;
  /** ISO time of the call. */
  at: string;
  actor: { name: string; email: string };
  ref: TargetRef;
};

/** A lead sent back to nurture. */
export type RecycleItem = {
  kind: 'recycle';
  activityId: string;
  leadId: string;
  email: string;
  track: string;
  frequency: string;
  at: string;
  actor: { name: string; email: string };
  /** The lead's Marketo record, when it has one. */
  ref?: TargetRef;
};

export type OutboxItem = CallItem | RecycleItem;

/** What one attempt gave. `status` is the HTTP status, or 'network' / 'timeout' when none came. */
export type SendOutcome =
  | { ok: true; status: number; answer: string; remoteId?: string }
  | { ok: false; status: number | 'network' | 'timeout'; answer: string; retryAfter?: string | null; permanent?: boolean; transient?: boolean };

export type SendDeps = {
  fetch: FetchLike;
  now: () => number;
  /** An earlier attempt may have reached the target (it timed out, or the worker stopped
   *  mid-send): a target that can look for its own earlier write (kintone's comment list) does. */
  mayHaveLanded: boolean;
};

export interface OutboxTarget {
  /** `<vendor>:<config id>`, stored on each row. */
  id: string;
  vendor: string;
  orgId: string;
  kind: OutboxItem['kind'];
  /** For calls: which of the lead's refs this target writes to (undefined: not this lead). */
  pick?(refs: readonly TargetRef[]): TargetRef | undefined;
  send(item: OutboxItem, deps: SendDeps): Promise<SendOutcome>;
}

/** Trims a vendor's answer for the admin's view and the log: enough to read the error, no more. */
export function trimAnswer(text: string): string {
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

/** Reads a fetch Response into a SendOutcome; `remoteId` picks the created record's id from a 2xx body. */
export async function outcomeOf(res: Response, remoteId: (body: unknown, res: Response) => string | undefined): Promise<SendOutcome> {
  const text = await res.text().catch(() => '');
  if (res.ok) {
    let body: unknown;
    try { body = text ? JSON.parse(text) : undefined; } catch { body = undefined; }
    const id = remoteId(body, res);
    return { ok: true, status: res.status, answer: trimAnswer(text), ...(id ? { remoteId: id } : {}) };
  }
  return { ok: false, status: res.status, answer: trimAnswer(text), retryAfter: res.headers.get('retry-after') };
}

/**
 * The one of the lead's refs a target writes to: its CRM, its tenant (a ref that names none
 * matches any, as in the extension), and the first object type of `preferred` the lead has.
 */
export function pickRef(refs: readonly TargetRef[], crm: string, tenant: string | undefined, preferred: readonly string[]): TargetRef | undefined {
  const mine = refs.filter((r) => r.crm === crm && (!tenant || r.host === '' || r.host === tenant));
  for (const type of preferred) {
    const hit = mine.find((r) => r.objectType.toLowerCase() === type.toLowerCase());
    if (hit) return hit;
  }
  return undefined;
}
