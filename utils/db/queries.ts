/**
 * The questions the background asks the cache, each an index range (see schema.ts).
 */
import Dexie from 'dexie';
import type { ActivityRequest } from '../api/contract';
import { callsOf, type CallRecord } from '../policy/outcomes';
import type { TodoInput } from '../policy/todo';
import { emailKeyOf, refKey, type LeadLensDb, type LeadRow } from './schema';

const HOT_MINE = [1, 'hot'] as const;
export const URGENT_WINDOW_MS = 30 * 60_000;

/** Hot leads, mine, with no blocking cooldown in force at `now`. */
export function hotCallable(db: LeadLensDb, now: number) {
  return db.leads
    .where('[mine+band+cooldownAt]')
    .between([...HOT_MINE, Dexie.minKey], [...HOT_MINE, now], true, true);
}

export function countHotCallable(db: LeadLensDb, now: number): Promise<number> {
  return hotCallable(db, now).count();
}

/**
 * The hot callable leads of mine with the calls made on them: the cached timeline's and the
 * rep's own from the outbox (a call just logged counts before the server has it; a refused
 * one does not). The to-do rules (utils/policy/todo.ts) decide from these.
 */
export async function todoInputs(db: LeadLensDb, now: number): Promise<TodoInput[]> {
  const rows = await hotCallable(db, now).toArray();
  const ids = rows.map((row) => row.id);
  const [details, outbox] = await Promise.all([
    db.details.bulkGet(ids),
    ids.length ? db.outbox.where('leadId').anyOf(ids).filter((row) => row.kind === 'activity' && row.status !== 'failed').toArray() : [],
  ]);
  return rows.map((row, i) => {
    const calls: CallRecord[] = callsOf(details[i]?.detail.timeline);
    for (const item of outbox) {
      if (item.leadId !== row.id) continue;
      const body = item.body as ActivityRequest;
      calls.push({ at: Date.parse(body.at), outcome: body.outcome });
    }
    return { lead: row.summary, calls };
  });
}

/** Hot callable leads of mine whose call window closes within 30 minutes. */
export function endingSoon(db: LeadLensDb, now: number, windowMs: number) {
  return db.leads
    .where('[mine+band+needAt]')
    .between([...HOT_MINE, now - windowMs], [...HOT_MINE, now - windowMs + URGENT_WINDOW_MS], false, true)
    .filter((row) => row.cooldownAt <= now);
}

/**
 * The next moment at which time alone changes the badge: a blocking cooldown ends, a call
 * window enters its last 30 minutes, or a window closes. Undefined when nothing is pending.
 */
export async function nextBadgeBoundary(db: LeadLensDb, now: number, windowMs: number): Promise<number | undefined> {
  const [cooldownEnd, urgentStart, windowClose] = await Promise.all([
    db.leads.where('[mine+band+cooldownAt]').between([...HOT_MINE, now], [...HOT_MINE, Dexie.maxKey], false, true).first(),
    db.leads.where('[mine+band+needAt]').between([...HOT_MINE, now - windowMs + URGENT_WINDOW_MS], [...HOT_MINE, Dexie.maxKey], false, true).first(),
    db.leads.where('[mine+band+needAt]').between([...HOT_MINE, now - windowMs], [...HOT_MINE, Dexie.maxKey], false, true).first(),
  ]);
  const candidates = [
    cooldownEnd?.cooldownAt,
    urgentStart && urgentStart.needAt + windowMs - URGENT_WINDOW_MS,
    windowClose && windowClose.needAt + windowMs,
  ].filter((t): t is number => typeof t === 'number' && t > now);
  return candidates.length ? Math.min(...candidates) : undefined;
}

/**
 * The lead behind a record of one tenant: a ref naming that tenant, else a ref naming none (a
 * single-tenant team's). A ref naming another tenant never matches.
 */
export async function findByRef(db: LeadLensDb, crm: string, objectType: string, recordId: string, host: string): Promise<LeadRow | undefined> {
  const own = refKey(crm, objectType, recordId, host);
  const any = refKey(crm, objectType, recordId);
  const rows = await db.leads.where('refKeys').anyOf(own, any).toArray();
  return rows.find((row) => row.refKeys.includes(own)) ?? rows[0];
}

export function findByEmail(db: LeadLensDb, email: string): Promise<LeadRow | undefined> {
  return db.leads.where('emailKey').equals(emailKeyOf(email)).first();
}

export function leadsOwnedBy(db: LeadLensDb, ownerId: string) {
  return db.leads.where('ownerId').equals(ownerId);
}

/**
 * Keep details for the `keep` most recently viewed leads plus every hot lead; evict the rest,
 * least recently viewed first. Summaries are never evicted.
 */
export async function evictDetails(db: LeadLensDb, keep: number): Promise<number> {
  return db.transaction('rw', db.details, db.leads, async () => {
    const total = await db.details.count();
    if (total <= keep) return 0;
    const byRecency = await db.details.orderBy('lastViewedAt').reverse().primaryKeys();
    const beyond = byRecency.slice(keep);
    const leads = await db.leads.bulkGet(beyond);
    const evict = beyond.filter((_id, i) => leads[i]?.band !== 'hot');
    await db.details.bulkDelete(evict);
    return evict.length;
  });
}
