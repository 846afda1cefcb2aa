/**
 * What a user reads and writes about leads, always within their scope:
 *  - rep: the leads they own, the leads they follow, and their team's unowned "stock" leads;
 *  - manager: their team's leads, plus followed ones; admin: the whole organisation;
 *  - ingest: nothing (write-only).
 * A lead outside the scope answers exactly as a lead that does not exist.
 */
import { createHash } from 'node:crypto';
import { sql, type Expression, type RawBuilder, type Transaction, type ExpressionBuilder, type SqlBool } from 'kysely';
import type {
  ActivityRequest, LeadDetail, LeadSummary, RecycleRequest, TimelineEvent,
} from '../../utils/api/contract';
import { newId } from '../auth/tokens';
import type { Database } from '../db/schema';
import { HttpError, notFound } from '../errors';
import { scoreLead } from '../scoring/model';
import type { Locale } from '../scoring/text';
import type { Deps, FeedPosition, UserCtx } from './context';
import { toCooldown, toFactor, toSummary, toTimelineEvent, withFollowed, type SummaryRow } from './present';
import { refKey } from './refs';
import { eventFromRow, fingerprintOf, rescoreLeads, storedScore, type RefRow } from './rescore';
import { cachedRules, loadRuleBook, orgVersionSql, teamVersionSql } from './rules-store';

type LeadsEb = ExpressionBuilder<Database & { l: Database['leads'] }, 'l'>;

const DAY_MS = 86_400_000;
export const TIMELINE_PAGE_SIZE = 50;
export const IDEMPOTENCY_TTL_MS = 7 * DAY_MS;

function inScope(eb: LeadsEb, user: UserCtx): Expression<SqlBool> {
  const followed = eb.exists(eb.selectFrom('follows as f').select('f.lead_id').whereRef('f.org_id', '=', 'l.org_id').whereRef('f.lead_id', '=', 'l.id').where('f.user_id', '=', user.userId));
  switch (user.role) {
    case 'admin':
      return sql<SqlBool>`true`;
    case 'manager':
      return user.team === null ? followed : eb.or([eb('l.team', '=', user.team), followed]);
    case 'rep': {
      const parts = [eb('l.owner_id', '=', user.userId), followed];
      if (user.team !== null) parts.push(eb.and([eb('l.owner_id', 'is', null), eb('l.team', '=', user.team)]));
      return eb.or(parts);
    }
    default:
      return sql<SqlBool>`false`;
  }
}

function summaryQuery(deps: Deps, user: UserCtx) {
  return deps.db.selectFrom('leads as l')
    .leftJoin('users as u', (j) => j.onRef('u.org_id', '=', 'l.org_id').onRef('u.id', '=', 'l.owner_id'))
    .select(['l.id', 'l.name', 'l.company', 'l.email', 'l.phone', 'l.owner_id', 'u.name as owner_name', 'l.score', 'l.updated_at', 'l.seq', 'l.team'])
    .select((eb) => eb.exists(eb.selectFrom('follows as f').select('f.lead_id').whereRef('f.org_id', '=', 'l.org_id').whereRef('f.lead_id', '=', 'l.id').where('f.user_id', '=', user.userId)).as('followed'))
    .where('l.org_id', '=', user.orgId);
}

// --- change feed ---------------------------------------------------------------------------

/** The feed's position from the organisation row; the request's auth query reads these columns too (users.ts). */
export const feedPositionOf = (org: { seq: number; created_at: number }): FeedPosition => ({ epoch: org.created_at.toString(36), seq: org.seq });

async function feedPosition(deps: Deps, orgId: string): Promise<FeedPosition> {
  return feedPositionOf(await deps.db.selectFrom('orgs').select(['seq', 'created_at']).where('id', '=', orgId).executeTakeFirstOrThrow());
}

export const encodeCursor = (epoch: string, seq: number): string => Buffer.from(`v1.${epoch}.${seq}`, 'utf8').toString('base64url');

/** undefined = start over (no cursor, or one from another database). */
export function decodeCursor(cursor: string, epoch: string): number | undefined {
  const m = /^v1\.([a-z0-9]+)\.(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new HttpError(400, 'bad_cursor', 'cursor is not valid');
  return m[1] === epoch ? Number(m[2]) : undefined;
}

export interface ChangesQuery {
  cursor?: string;
  limit: number;
  ifNoneMatch?: string;
}

/** `body`: a ChangesResponse as JSON text, sent as is. */
export type ChangesAnswer = { status: 304; etag: string } | { status: 200; etag: string; body: string };

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag.replace(/^W\//, '');
  });
}

/**
 * The rows of a change-feed page: the first `limit` leads after `after` in the reader's scope
 * (and, for a delta, those that left it: `live` false), in seq order, each with its stored
 * summary. A rep's or manager's scope is a UNION ALL of one index range per way into it, each
 * already in seq order and cut to `limit`, merged (Merge Append) and cut again. The ranges are
 * disjoint (the follows range skips what the others give; a range of leads that left keeps only
 * those now outside the scope), so nothing is deduplicated, and each reads the wide row it
 * visits anyway: joining the page's ids back to `leads` by primary key cost a second lookup per
 * row. (One OR over the whole feed walked the seq index and filtered: a rep holding a tenth of
 * the leads read ten rows per row sent.) The ranges in scope split the rule of inScope above and
 * must stay in step with it; a lead that left names its last owner and team (prev_owner_id,
 * prev_team: a rep hears of their own leads and the team's stock, a manager of the team's).
 */
function feedRows(deps: Deps, user: UserCtx, after: number, limit: number, snapshot: boolean, locale: Locale) {
  const view = locale === 'ja' ? sql<string | null>`coalesce(l.feed_view_ja, l.feed_view)` : sql<string | null>`l.feed_view`;
  const live = (now: boolean) => (now ? sql<boolean>`true` : sql<boolean>`false`).as('live');
  const columns = (now: boolean) => ['l.id', 'l.seq', 'l.feed_view_seq', view.as('view'), live(now)] as const;
  const leads = (now: boolean) => deps.db.selectFrom('leads as l').select(columns(now))
    .where('l.org_id', '=', user.orgId).where('l.seq', '>', after);
  // Driven by the reader's follows, one primary-key lookup each: as a plain join, a planner that
  // thinks few leads lie past `after` (statistics older than the newest seqs; the embedded engine
  // never analyzes by itself) walked the whole organisation's feed in seq order to meet an empty
  // follows table (9,178 rows read for a page after 20 ingest batches). The lateral subquery's
  // limit keeps it from being flattened into a join the planner could turn round.
  const followed = (notOwnScope: RawBuilder<SqlBool> | undefined) => deps.db.selectFrom('follows as f')
    .innerJoinLateral((eb) => {
      const one = eb.selectFrom('leads as l').select(columns(true))
        .whereRef('l.org_id', '=', 'f.org_id').whereRef('l.id', '=', 'f.lead_id').where('l.seq', '>', after);
      return (notOwnScope ? one.where(notOwnScope) : one).limit(1).as('l');
    }, (j) => j.onTrue())
    .select(['l.id', 'l.seq', 'l.feed_view_seq', 'l.view', 'l.live'])
    .where('f.org_id', '=', user.orgId).where('f.user_id', '=', user.userId);
  // Left, and not back in by another way (`is not true`: null, e.g. a lead of no team, is outside).
  const gone = () => leads(false).where((eb) => sql<SqlBool>`(${inScope(eb as unknown as LeadsEb, user)}) is not true`);
  const ranges = [];
  if (user.role === 'rep') {
    ranges.push(leads(true).where('l.owner_id', '=', user.userId));
    if (user.team !== null) ranges.push(leads(true).where('l.owner_id', 'is', null).where('l.team', '=', user.team));
    ranges.push(followed(user.team === null ? sql<SqlBool>`(l.owner_id = ${user.userId}) is not true`
      : sql<SqlBool>`(l.owner_id = ${user.userId} or (l.owner_id is null and l.team = ${user.team})) is not true`));
    if (!snapshot) {
      ranges.push(gone().where('l.prev_owner_id', '=', user.userId));
      if (user.team !== null) ranges.push(gone().where('l.prev_owner_id', 'is', null).where('l.prev_team', '=', user.team));
    }
  } else if (user.role === 'manager') {
    if (user.team !== null) ranges.push(leads(true).where('l.team', '=', user.team));
    ranges.push(followed(user.team === null ? undefined : sql<SqlBool>`(l.team = ${user.team}) is not true`));
    if (!snapshot && user.team !== null) ranges.push(gone().where('l.prev_team', '=', user.team));
  } else if (user.role === 'admin') {
    ranges.push(leads(true));
  } else {
    // A role without a feed (the route admits none): an empty range.
    ranges.push(leads(true).where(sql<SqlBool>`false`));
  }
  // Never empty (every role above gives a range).
  const all = ranges.map((r, i) => deps.db.selectFrom(r.orderBy('l.seq').limit(limit).as(`r${i}`)).selectAll()).reduce((u, r) => u.unionAll(r));
  return deps.db.selectFrom(all.as('u')).selectAll('u')
    .select((eb) => eb.exists(eb.selectFrom('follows as f').select('f.lead_id').where('f.org_id', '=', user.orgId).whereRef('f.lead_id', '=', 'u.id')
      .where('f.user_id', '=', user.userId)).as('followed'))
    .orderBy('u.seq').limit(limit);
}

/** Marks on a page entry (server-side only, never in JSON text: JSON.stringify escapes them). */
const ENTRY_SEP = '\x1e';
const FOLLOWED = '\x1c';
const STALE = '\x1d';
const OUT_OF_SCOPE = '\x1f';

/** Leads by id as the reader sees them, built from their columns (the feed's fallback for a stale stored summary). */
async function summariesOf(deps: Deps, user: UserCtx, ids: readonly string[], locale: Locale): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  // In scope now: a lead moved out of it since the page statement is in a later page as removed.
  const rows = summaryQuery(deps, user).where('l.id', 'in', ids).where((eb) => inScope(eb as unknown as LeadsEb, user));
  // One json_agg text (see git history: the embedded engine decodes each field of each row in JS).
  const { page: text } = await deps.db.selectFrom(rows.as('p')).select(sql<string>`coalesce(json_agg(json_build_object('id', p.id, 'name', p.name,
    'company', p.company, 'email', p.email, 'phone', p.phone, 'owner_id', p.owner_id, 'owner_name', p.owner_name, 'score', p.score,
    'updated_at', p.updated_at, 'followed', p.followed, 'refs', (
      select coalesce(json_agg(json_build_object('lead_id', r.lead_id, 'crm', r.crm, 'object_type', r.object_type, 'record_id', r.record_id, 'host', r.host, 'url', r.url)), '[]'::json)
      from lead_refs r where r.org_id = ${user.orgId} and r.lead_id = p.id))), '[]'::json)::text`.as('page')).executeTakeFirstOrThrow();
  // Our own query's output, shaped just above: read as is, not validated again.
  for (const r of JSON.parse(text) as (SummaryRow & { followed: boolean; refs: RefRow[] })[]) out.set(r.id, JSON.stringify(toSummary(r, r.refs, r.followed, locale)));
  return out;
}

/** `known`: the position the request already read (its auth query), else it is read here. */
export async function changes(deps: Deps, user: UserCtx, q: ChangesQuery, locale: Locale, known?: FeedPosition): Promise<ChangesAnswer> {
  const pos = known ?? (await feedPosition(deps, user.orgId));
  const after = q.cursor ? decodeCursor(q.cursor, pos.epoch) : undefined;
  const snapshot = after === undefined;
  // The answer for (user, from, limit, language) moves only when the organisation's feed does.
  const etag = `W/"${pos.epoch}.${user.userId}.${after ?? 's'}.${q.limit}.${pos.seq}.${locale}"`;
  if (etagMatches(q.ifNoneMatch, etag)) return { status: 304, etag };
  const pageRows = feedRows(deps, user, after ?? 0, q.limit + 1, snapshot, locale);
  // One text for the page: the stored summaries joined (no JSON built, parsed or printed per
  // lead), plus the seq the cursor needs (the page's last; the extra row only says hasMore).
  const { page: text, n, last, top } = await deps.db.selectFrom(pageRows.as('p')).select([
    sql<string | null>`string_agg(case
      when not p.live then ${OUT_OF_SCOPE} || p.id
      when p.view is null or p.feed_view_seq is distinct from p.seq then ${STALE} || p.id
      when p.followed then ${FOLLOWED} || p.view
      else p.view end, ${ENTRY_SEP} order by p.seq)`.as('page'),
    sql<number>`count(*)::int`.as('n'),
    sql<number | null>`(array_agg(p.seq order by p.seq))[${q.limit}]`.as('last'),
    sql<number | null>`max(p.seq)`.as('top'),
  ]).executeTakeFirstOrThrow();
  const hasMore = n > q.limit;
  const entries = text === null ? [] : text.split(ENTRY_SEP, q.limit);
  const stale = entries.filter((e) => e.startsWith(STALE)).map((e) => e.slice(1));
  const built = await summariesOf(deps, user, stale, locale);
  const leads: string[] = [];
  const removed: string[] = [];
  for (const e of entries) {
    const mark = e[0];
    if (mark === OUT_OF_SCOPE) {
      if (!snapshot) removed.push(e.slice(1));
    } else if (mark === STALE) {
      // Gone between the two statements (deleted or out of scope): it is in a later page.
      const summary = built.get(e.slice(1));
      if (summary !== undefined) leads.push(summary);
    } else {
      leads.push(mark === FOLLOWED ? withFollowed(e.slice(1)) : e);
    }
  }
  const lastSeq = (hasMore ? last : top) ?? after ?? 0;
  // A page that reached the end may skip to the position read before the query: nothing at or
  // below it can still commit (seqs are handed out under the organisation row's lock).
  const cursorSeq = hasMore ? lastSeq : Math.max(lastSeq, after ?? 0, pos.seq);
  const body = `{"leads":[${leads.join(',')}],"removed":${JSON.stringify(removed)},"cursor":${JSON.stringify(encodeCursor(pos.epoch, cursorSeq))},"hasMore":${hasMore}}`;
  return { status: 200, etag, body };
}

// --- single lead ---------------------------------------------------------------------------

/** Re-score on read: decay moved the score since the last write; publish if what clients see changed. */
async function refreshLead(deps: Deps, orgId: string, leadId: string): Promise<void> {
  const now = deps.clock();
  const r = await deps.db.transaction().execute((tx) => rescoreLeads(tx, orgId, [leadId], now, undefined, new Map()));
  if (r.seq !== undefined) deps.notifier.emit({ orgId, leadIds: r.changed, seq: r.seq });
}

async function visibleRow(deps: Deps, user: UserCtx, leadId: string) {
  return summaryQuery(deps, user).where('l.id', '=', leadId).where((eb) => inScope(eb as unknown as LeadsEb, user)).executeTakeFirst();
}

/**
 * Leads in the user's scope with all a single-lead answer needs in one statement: the summary's
 * columns, what the re-score reads (profile, fingerprint), the refs, and the versions of the
 * rules the lead is scored under (the parse is cached per version: rules-store.ts).
 */
function leadRows(deps: Deps, user: UserCtx) {
  return summaryQuery(deps, user)
    .select(['l.job_title', 'l.employees', 'l.created_at', 'l.fingerprint'])
    .select(sql<RefRow[]>`(select coalesce(json_agg(json_build_object('lead_id', r.lead_id, 'crm', r.crm, 'object_type', r.object_type,
      'record_id', r.record_id, 'host', r.host, 'url', r.url)), '[]'::json) from lead_refs r where r.org_id = l.org_id and r.lead_id = l.id)`.as('refs'))
    .select([teamVersionSql('l.org_id', 'l.team').as('team_rules'), orgVersionSql('l.org_id').as('org_rules')])
    .where((eb) => inScope(eb as unknown as LeadsEb, user));
}
type LeadRowView = Awaited<ReturnType<ReturnType<typeof leadRows>['executeTakeFirstOrThrow']>>;

/**
 * One lead as the reader should see it at `now`. Decay moves a score with time alone, so the
 * lead is scored here from its events (as the detail always was); only when that changes what
 * clients see (the stored fingerprint) does the row get re-scored, in a write transaction under
 * the organisation's lock. A lead that has not moved — most reads — costs no transaction.
 */
async function freshLead(deps: Deps, user: UserCtx, found: LeadRowView) {
  const now = deps.clock();
  const [events, stored] = await Promise.all([
    deps.db.selectFrom('events').select(['id', 'at', 'type', 'title', 'detail', 'url', 'channel', 'actor', 'meta'])
      .where('org_id', '=', user.orgId).where('lead_id', '=', found.id).orderBy('at', 'desc').orderBy('id', 'desc').execute(),
    cachedRules(deps.db, user.orgId, found.team, { team: Number(found.team_rules), org: Number(found.org_rules) }),
  ]);
  const profile = { ...(found.job_title !== null ? { jobTitle: found.job_title } : {}), ...(found.employees !== null ? { employees: found.employees } : {}), createdAt: found.created_at };
  const model = scoreLead(profile, events.map(eventFromRow), now, stored.rules);
  let row = found;
  if (fingerprintOf(found, found.refs, storedScore(model)) !== found.fingerprint) {
    await refreshLead(deps, user.orgId, found.id);
    const again = await leadRows(deps, user).where('l.id', '=', found.id).executeTakeFirst();
    if (!again) throw notFound('no lead behind that id');
    row = again;
  }
  return { row, events, rules: stored.rules, model, now };
}

const summaryFrom = (row: LeadRowView, locale: Locale): LeadSummary => toSummary(row, row.refs, row.followed === true, locale);

export async function summaryOf(deps: Deps, user: UserCtx, leadId: string, locale: Locale): Promise<LeadSummary> {
  const found = await leadRows(deps, user).where('l.id', '=', leadId).executeTakeFirst();
  if (!found) throw notFound('no lead behind that id');
  return summaryFrom((await freshLead(deps, user, found)).row, locale);
}

export interface LookupQuery {
  crm?: string;
  objectType?: string;
  recordId?: string;
  host?: string;
  email?: string;
}

export async function lookup(deps: Deps, user: UserCtx, q: LookupQuery, locale: Locale): Promise<LeadSummary> {
  let candidates: string[] = [];
  if (q.crm && q.objectType && q.recordId) {
    const k = refKey(q.crm, q.objectType, q.recordId, q.host);
    const rows = await deps.db.selectFrom('lead_refs').select(['lead_id', 'host']).where('org_id', '=', user.orgId).where('crm', '=', k.crm)
      .where('object_type', '=', k.objectType).where('record_key', '=', k.recordKey)
      .where((eb) => (k.host === '' ? sql<SqlBool>`true` : eb.or([eb('host', '=', k.host), eb('host', '=', '')]))).execute();
    // The tenant's own record first; a ref stored without a host is the single-tenant fallback.
    candidates = [...rows.filter((r) => r.host === k.host), ...rows.filter((r) => r.host !== k.host)].map((r) => r.lead_id);
  } else if (q.email) {
    const rows = await deps.db.selectFrom('leads').select('id').where('org_id', '=', user.orgId)
      .where(sql<string>`lower(email)`, '=', q.email.trim().toLowerCase()).orderBy('created_at').orderBy('id').execute();
    candidates = rows.map((r) => r.id);
  } else {
    throw new HttpError(400, 'bad_request', 'give crm, objectType and recordId (and host), or email');
  }
  // Every candidate the user may see in one statement; the first in the order above answers.
  const visible = candidates.length > 0 ? await leadRows(deps, user).where('l.id', 'in', candidates).execute() : [];
  const byId = new Map(visible.map((r) => [r.id, r]));
  const found = candidates.map((id) => byId.get(id)).find((r) => r !== undefined);
  if (!found) throw notFound('no lead behind that record');
  return summaryFrom((await freshLead(deps, user, found)).row, locale);
}

const encodeTimelineCursor = (at: number, id: string): string => Buffer.from(`${at}|${id}`, 'utf8').toString('base64url');

function decodeTimelineCursor(cursor: string): { at: number; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const at = Number(text.slice(0, bar));
  if (bar <= 0 || !Number.isSafeInteger(at)) throw new HttpError(400, 'bad_cursor', 'timelineCursor is not valid');
  return { at, id: text.slice(bar + 1) };
}

export async function detail(deps: Deps, user: UserCtx, leadId: string, timelineCursor: string | undefined, locale: Locale): Promise<LeadDetail> {
  const position = timelineCursor !== undefined ? decodeTimelineCursor(timelineCursor) : undefined;
  const found = await leadRows(deps, user).where('l.id', '=', leadId).executeTakeFirst();
  if (!found) throw notFound('no lead behind that id');
  const { row, events, rules, model, now } = await freshLead(deps, user, found);
  // Newest first; events dated after now are not shown yet (the model ignores them too).
  const shown = events.filter((e) => e.at <= now && (!position || e.at < position.at || (e.at === position.at && e.id < position.id)));
  const page = shown.slice(0, TIMELINE_PAGE_SIZE);
  const oldest = page[page.length - 1];
  return {
    ...summaryFrom(row, locale),
    breakdown: model.breakdown.map((f) => toFactor(f, locale)),
    timeline: page.map((e) => toTimelineEvent(e, rules, locale)),
    ...(shown.length > page.length && oldest ? { timelineCursor: encodeTimelineCursor(oldest.at, oldest.id) } : {}),
    cooldowns: model.cooldowns.map((c) => toCooldown(c, locale)),
    interests: model.interests,
  };
}

// --- writes --------------------------------------------------------------------------------

const bodyHash = (body: unknown): string => createHash('sha256').update(JSON.stringify(body)).digest('hex');

export interface Written<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * Runs `work` once per (user, route, lead, key): the key is reserved by the table's primary key
 * inside the write's own transaction, so concurrent requests with one key wait for the first
 * and then get its answer; the same key with another body is 422. Keys older than 7 days are
 * forgotten.
 */
async function once<T>(
  deps: Deps, user: UserCtx, route: string, leadId: string, key: string | undefined, body: unknown,
  work: (tx: Transaction<Database>, now: number) => Promise<{ status: number; body: T; changed: string[]; seq: number | undefined }>,
): Promise<Written<T>> {
  const now = deps.clock();
  const hash = bodyHash(body);
  const result = await deps.db.transaction().execute(async (tx) => {
    if (key !== undefined) {
      await tx.deleteFrom('idempotency_keys').where('org_id', '=', user.orgId).where('user_id', '=', user.userId).where('route', '=', route)
        .where('lead_id', '=', leadId).where('key', '=', key).where('created_at', '<', now - IDEMPOTENCY_TTL_MS).execute();
      const reserved = await tx.insertInto('idempotency_keys').values({
        org_id: user.orgId, user_id: user.userId, route, lead_id: leadId, key, body_hash: hash, status: 0, response: null, created_at: now,
      }).onConflict((oc) => oc.columns(['org_id', 'user_id', 'route', 'lead_id', 'key']).doNothing()).returning('key').executeTakeFirst();
      if (!reserved) {
        const first = await tx.selectFrom('idempotency_keys').select(['body_hash', 'status', 'response']).where('org_id', '=', user.orgId)
          .where('user_id', '=', user.userId).where('route', '=', route).where('lead_id', '=', leadId).where('key', '=', key).executeTakeFirstOrThrow();
        if (first.body_hash !== hash) throw new HttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was used with a different body');
        return { status: first.status, body: first.response as T, changed: [], seq: undefined, replayed: true };
      }
    }
    const done = await work(tx, now);
    if (key !== undefined) {
      await tx.updateTable('idempotency_keys').set({ status: done.status, response: JSON.stringify(done.body) })
        .where('org_id', '=', user.orgId).where('user_id', '=', user.userId).where('route', '=', route).where('lead_id', '=', leadId).where('key', '=', key).execute();
    }
    return { ...done, replayed: false };
  });
  if (result.seq !== undefined) deps.notifier.emit({ orgId: user.orgId, leadIds: result.changed, seq: result.seq });
  if (!result.replayed) deps.outbox?.queued();
  return { status: result.status, body: result.body, replayed: result.replayed };
}

async function assertVisible(deps: Deps, user: UserCtx, leadId: string): Promise<void> {
  if (!(await visibleRow(deps, user, leadId))) throw notFound('no lead behind that id');
}

export async function logActivity(deps: Deps, user: UserCtx, leadId: string, req: ActivityRequest, key: string, locale: Locale): Promise<Written<{ event: TimelineEvent }>> {
  await assertVisible(deps, user, leadId);
  return once(deps, user, 'activities', leadId, key, req, async (tx, now) => {
    const at = Math.min(Date.parse(req.at), now);
    const meta: Record<string, unknown> = { outcome: req.outcome, ...(req.lossReason ? { lossReason: req.lossReason } : {}) };
    const row = {
      org_id: user.orgId, id: newId('call_'), lead_id: leadId, at, type: 'call', title: '', detail: req.note ?? null, url: null,
      channel: 'phone', actor: user.name, meta: JSON.stringify(meta), received_at: now,
    };
    await tx.insertInto('events').values(row).execute();
    // In the same transaction: a call is written back exactly when it is stored.
    await deps.outbox?.queueCall(tx, user.orgId, leadId, {
      activityId: row.id, outcome: req.outcome, ...(req.lossReason ? { lossReason: req.lossReason } : {}), ...(req.note ? { note: req.note } : {}),
      at: new Date(at).toISOString(), actor: { name: user.name, email: user.email },
    }, now);
    const book = await loadRuleBook(tx, user.orgId);
    const team = (await tx.selectFrom('leads').select('team').where('org_id', '=', user.orgId).where('id', '=', leadId).executeTakeFirstOrThrow()).team;
    const { changed, seq } = await rescoreLeads(tx, user.orgId, [leadId], now, book);
    const event = toTimelineEvent({ ...row, meta }, book.forTeam(team), locale);
    return { status: 201, body: { event }, changed, seq };
  });
}

export async function recycle(deps: Deps, user: UserCtx, leadId: string, req: RecycleRequest, key: string | undefined): Promise<Written<{ accepted: true }>> {
  await assertVisible(deps, user, leadId);
  return once(deps, user, 'recycle', leadId, key, req, async (tx, now) => {
    const id = newId('rc_');
    await tx.insertInto('recycles').values({
      org_id: user.orgId, id, lead_id: leadId, user_id: user.userId, track: req.track, frequency: req.frequency, email: req.email, created_at: now,
    }).execute();
    await deps.outbox?.queueRecycle(tx, user.orgId, leadId, {
      activityId: id, leadId, email: req.email, track: req.track, frequency: req.frequency, at: new Date(now).toISOString(), actor: { name: user.name, email: user.email },
    }, now);
    return { status: 202, body: { accepted: true }, changed: [], seq: undefined };
  });
}

/** Follow or unfollow a lead the user can see; the lead moves in the feed so the flag syncs. */
export async function setFollow(deps: Deps, user: UserCtx, leadId: string, follow: boolean): Promise<void> {
  await assertVisible(deps, user, leadId);
  const now = deps.clock();
  const seq = await deps.db.transaction().execute(async (tx) => {
    if (follow) {
      await tx.insertInto('follows').values({ org_id: user.orgId, user_id: user.userId, lead_id: leadId, created_at: now })
        .onConflict((oc) => oc.columns(['org_id', 'user_id', 'lead_id']).doNothing()).execute();
    } else {
      await tx.deleteFrom('follows').where('org_id', '=', user.orgId).where('user_id', '=', user.userId).where('lead_id', '=', leadId).execute();
    }
    const top = await tx.updateTable('orgs').set((eb) => ({ seq: eb('seq', '+', 1) })).where('id', '=', user.orgId).returning('seq').executeTakeFirstOrThrow();
    // Following changes no stored summary (followed is the reader's): a valid one stays valid at the new seq.
    await tx.updateTable('leads').set({ seq: top.seq, feed_view_seq: sql<number | null>`case when feed_view_seq = seq then ${top.seq} else feed_view_seq end` })
      .where('org_id', '=', user.orgId).where('id', '=', leadId).execute();
    return top.seq;
  });
  deps.notifier.emit({ orgId: user.orgId, leadIds: [leadId], seq });
}
