/**
 * In-memory store over a Dataset: the published LeadSummary of every lead, a global change
 * sequence for the delta feed, and the lookups the API needs.
 *
 * The feed's promise (an idle poll costs one request and answers 304 or an empty delta): a lead's `seq`
 * moves only when something the client stores changes. Every event added bumps it; a rescore
 * bumps it only when the visible summary differs from the published one. Decay makes scores
 * drift continuously, so the published summary is a snapshot, refreshed by `rescore(now)` on a
 * timer and, lazily, whenever one lead is read (detail, lookup) so a detail never disagrees with
 * the summary the feed carries.
 */
import type { Crm, CrmRef, LeadDetail, LeadSummary, TimelineEvent } from '../../utils/api/contract';
import { canonicalTenant } from '../../utils/crm/tenant';
import type { Dataset, Featured } from './dataset';
import { SCORING_CONFIG, scoreLead, toTimelineEvent, type LeadEvent, type LeadProfile, type LeadScore, type ScoringConfig } from './model';

export const TIMELINE_PAGE_SIZE = 50;

interface Entry {
  profile: LeadProfile;
  /** Ascending by (at, id). */
  events: LeadEvent[];
  /** Bumped on every event change; keys the score cache. */
  version: number;
  seq: number;
  summary: LeadSummary;
  /** The summary without updatedAt, serialised: equality of what clients see. */
  fingerprint: string;
  cache?: { asOf: number; version: number; score: LeadScore };
}

export interface ChangesPage {
  leads: LeadSummary[];
  removed: string[];
  /** Seq of the last item returned (or the requested one when nothing was newer). */
  lastSeq: number;
  hasMore: boolean;
}

/** What a caller supplies to add an event; id is assigned by the store when missing. */
export type EventInput = Omit<LeadEvent, 'id'> & { id?: string };

const compareEvents = (a: LeadEvent, b: LeadEvent): number => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Summary fields from a profile and its score, in a fixed key order (the fingerprint relies on it). */
export function toSummary(profile: LeadProfile, s: LeadScore, updatedAt: string): LeadSummary {
  return {
    id: profile.id,
    name: profile.name,
    ...(profile.company !== undefined ? { company: profile.company } : {}),
    ...(profile.email !== undefined ? { email: profile.email } : {}),
    ...(profile.owner ? { owner: { id: profile.owner.id, name: profile.owner.name } } : {}),
    score: s.score,
    scoreChange24h: s.scoreChange24h,
    band: s.band,
    ...(s.needDetectedAt ? { needDetectedAt: s.needDetectedAt } : {}),
    ...(s.needReason ? { needReason: s.needReason } : {}),
    ...(s.needSignal ? { needSignal: s.needSignal } : {}),
    stage: s.stage,
    ...(s.lastActivityAt ? { lastActivityAt: s.lastActivityAt } : {}),
    ...(s.cooldownUntil ? { cooldownUntil: s.cooldownUntil } : {}),
    crmRefs: profile.crmRefs.map((r) => ({ ...r })),
    updatedAt,
    waking: s.waking,
  };
}

const fingerprintOf = (summary: LeadSummary): string => {
  const { updatedAt: _ignored, ...visible } = summary;
  return JSON.stringify(visible);
};

/**
 * Lookup key of a CRM record. Salesforce ids are matched on their 15-character case-sensitive
 * core so a 15-char id from a URL finds the 18-char one; Dynamics GUIDs ignore case and braces;
 * object types ignore case ("Lead" = "lead").
 */
export function refKey(crm: Crm | string, objectType: string, recordId: string): string {
  let id = recordId.trim();
  if (crm === 'salesforce' && (id.length === 18 || id.length === 15)) id = id.slice(0, 15);
  if (crm === 'dynamics') id = id.replace(/[{}]/g, '').toLowerCase();
  return `${crm}|${objectType.trim().toLowerCase()}|${id}`;
}

const encodeTimelineCursor = (e: LeadEvent): string => Buffer.from(`${e.at}|${e.id}`, 'utf8').toString('base64url');

function decodeTimelineCursor(cursor: string): { at: number; id: string } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const at = Number(text.slice(0, bar));
  if (bar <= 0 || !Number.isFinite(at)) return undefined;
  return { at, id: text.slice(bar + 1) };
}

export class BadCursorError extends Error {}

export class LeadStore {
  readonly config: ScoringConfig;
  readonly featured: Featured;
  private counter = 0;
  private liveEvents = 0;
  private readonly entries = new Map<string, Entry>();
  private readonly tombstones = new Map<string, number>();
  /** Append-only (seq, id) log, ascending; entries whose seq moved on are skipped and compacted. */
  private log: { seq: number; id: string }[] = [];
  /** Record key → the leads with a ref to it, and the tenant each ref names (none: any tenant). */
  private readonly byRef = new Map<string, { id: string; host?: string }[]>();
  private readonly byEmail = new Map<string, string>();

  constructor(dataset: Dataset, now: number, config: ScoringConfig = SCORING_CONFIG) {
    this.config = config;
    this.featured = { ...dataset.featured };
    for (const lead of dataset.leads) {
      const events = [...lead.events].sort(compareEvents);
      const score = scoreLead(lead.profile, events, now, config);
      const summary = toSummary(lead.profile, score, new Date(now).toISOString());
      const entry: Entry = {
        profile: lead.profile, events, version: 0, seq: this.nextSeq(lead.profile.id), summary,
        fingerprint: fingerprintOf(summary), cache: { asOf: now, version: 0, score },
      };
      this.entries.set(lead.profile.id, entry);
      this.indexRefs(lead.profile.id, lead.profile.crmRefs);
      if (lead.profile.email) this.byEmail.set(lead.profile.email.toLowerCase(), lead.profile.id);
    }
  }

  /** The latest seq handed out: the feed position of "everything so far". */
  get seq(): number {
    return this.counter;
  }

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  profile(id: string): LeadProfile | undefined {
    return this.entries.get(id)?.profile;
  }

  events(id: string): readonly LeadEvent[] {
    return this.entries.get(id)?.events ?? [];
  }

  /** The seq of a live lead or a tombstone. */
  seqOf(id: string): number | undefined {
    return this.entries.get(id)?.seq ?? this.tombstones.get(id);
  }

  // --- reading -----------------------------------------------------------------------------

  /** Published summary after a lazy refresh at `now` (may bump the lead). */
  summary(id: string, now: number): LeadSummary | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.refresh(entry, now);
    return entry.summary;
  }

  /** LeadDetail with one timeline page (newest first); throws BadCursorError on a bad cursor. */
  detail(id: string, now: number, timelineCursor?: string): LeadDetail | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const score = this.refresh(entry, now);
    const page = this.timelinePage(entry, now, timelineCursor);
    return {
      ...entry.summary,
      breakdown: score.breakdown,
      timeline: page.events,
      ...(page.cursor ? { timelineCursor: page.cursor } : {}),
      cooldowns: score.cooldowns,
      interests: score.interests,
    };
  }

  /**
   * The lead behind a record. With a tenant: a ref naming that tenant, else one naming none; a
   * ref naming another tenant never matches. Without one (admin events): any ref.
   */
  lookupRef(crm: string, objectType: string, recordId: string, host?: string): string | undefined {
    const refs = this.byRef.get(refKey(crm, objectType, recordId)) ?? [];
    if (host === undefined) return refs[0]?.id;
    const tenant = canonicalTenant(crm, host);
    return (refs.find((r) => r.host !== undefined && canonicalTenant(crm, r.host) === tenant) ?? refs.find((r) => r.host === undefined))?.id;
  }

  private indexRefs(id: string, refs: readonly CrmRef[]): void {
    for (const ref of refs) {
      const key = refKey(ref.crm, ref.objectType, ref.recordId);
      this.byRef.set(key, [...(this.byRef.get(key) ?? []).filter((r) => r.id !== id || r.host !== ref.host), { id, ...(ref.host ? { host: ref.host } : {}) }]);
    }
  }

  lookupEmail(email: string): string | undefined {
    return this.byEmail.get(email.trim().toLowerCase());
  }

  /** Changes after `afterSeq`, oldest first. A snapshot (`snapshot`) omits tombstones. */
  changes(afterSeq: number, limit: number, snapshot = false): ChangesPage {
    const leads: LeadSummary[] = [];
    const removed: string[] = [];
    let lastSeq = afterSeq;
    let hasMore = false;
    for (let i = this.firstLogIndexAfter(afterSeq); i < this.log.length; i++) {
      const item = this.log[i];
      if (!item) break;
      const entry = this.entries.get(item.id);
      const live = entry?.seq === item.seq;
      const dead = !live && this.tombstones.get(item.id) === item.seq;
      if (!live && !dead) continue; // superseded by a later bump
      if (leads.length + removed.length >= limit) {
        hasMore = true;
        break;
      }
      if (live && entry) leads.push(entry.summary);
      else if (!snapshot) removed.push(item.id);
      lastSeq = item.seq;
    }
    return { leads, removed, lastSeq, hasMore };
  }

  // --- writing -----------------------------------------------------------------------------

  /** Adds an event, rescoring the lead and bumping its seq (always: the timeline changed). */
  addEvent(id: string, input: EventInput, now: number): { event: TimelineEvent; summary: LeadSummary } | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.liveEvents += 1;
    const event: LeadEvent = { ...input, id: input.id ?? `${id}-live${String(this.liveEvents).padStart(4, '0')}` };
    entry.events.push(event);
    entry.events.sort(compareEvents);
    entry.version += 1;
    this.publish(entry, this.compute(entry, now), now);
    return { event: toTimelineEvent(event, this.config), summary: entry.summary };
  }

  /** Removes a lead; its id stays in the feed as a tombstone so clients delete it too. */
  removeLead(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    for (const ref of entry.profile.crmRefs) {
      const key = refKey(ref.crm, ref.objectType, ref.recordId);
      const rest = (this.byRef.get(key) ?? []).filter((r) => r.id !== id);
      if (rest.length) this.byRef.set(key, rest);
      else this.byRef.delete(key);
    }
    if (entry.profile.email) this.byEmail.delete(entry.profile.email.toLowerCase());
    const seq = this.nextSeq(id);
    this.tombstones.set(id, seq);
    return true;
  }

  /** Recomputes every lead at `now`; returns how many visible summaries changed (and were bumped). */
  rescore(now: number): number {
    let bumped = 0;
    for (const entry of this.entries.values()) {
      const before = entry.seq;
      this.refresh(entry, now);
      if (entry.seq !== before) bumped += 1;
    }
    return bumped;
  }

  // --- internals ---------------------------------------------------------------------------

  /** Score at `now`, from the cache when neither the clock nor the events moved. */
  private compute(entry: Entry, now: number): LeadScore {
    const c = entry.cache;
    if (c && c.asOf === now && c.version === entry.version) return c.score;
    const score = scoreLead(entry.profile, entry.events, now, this.config);
    entry.cache = { asOf: now, version: entry.version, score };
    return score;
  }

  /** Recompute and publish when what clients see changed. */
  private refresh(entry: Entry, now: number): LeadScore {
    const score = this.compute(entry, now);
    const next = toSummary(entry.profile, score, entry.summary.updatedAt);
    if (fingerprintOf(next) !== entry.fingerprint) this.publish(entry, score, now);
    return score;
  }

  private publish(entry: Entry, score: LeadScore, now: number): void {
    entry.summary = toSummary(entry.profile, score, new Date(now).toISOString());
    entry.fingerprint = fingerprintOf(entry.summary);
    entry.seq = this.nextSeq(entry.profile.id);
  }

  private nextSeq(id: string): number {
    this.counter += 1;
    this.log.push({ seq: this.counter, id });
    this.compactLog();
    return this.counter;
  }

  /** Drops superseded log items once they outnumber the live ones, keeping scans short. */
  private compactLog(): void {
    const liveCount = this.entries.size + this.tombstones.size;
    if (this.log.length < 2 * liveCount + 1024) return;
    this.log = this.log.filter((item) => this.entries.get(item.id)?.seq === item.seq || this.tombstones.get(item.id) === item.seq || item.seq === this.counter);
  }

  private firstLogIndexAfter(seq: number): number {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.log[mid]?.seq ?? Infinity) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private timelinePage(entry: Entry, now: number, cursor?: string): { events: TimelineEvent[]; cursor?: string } {
    // Newest first; events dated after `now` are not shown yet (the model ignores them too).
    let end = entry.events.length; // exclusive index into the ascending array
    while (end > 0 && (entry.events[end - 1]?.at ?? 0) > now) end -= 1;
    if (cursor !== undefined) {
      const pos = decodeTimelineCursor(cursor);
      if (!pos) throw new BadCursorError('timelineCursor is not valid');
      while (end > 0) {
        const e = entry.events[end - 1];
        if (!e || e.at < pos.at || (e.at === pos.at && e.id < pos.id)) break;
        end -= 1;
      }
    }
    const start = Math.max(0, end - TIMELINE_PAGE_SIZE);
    const slice = entry.events.slice(start, end).reverse();
    const oldest = slice[slice.length - 1];
    return {
      events: slice.map((e) => toTimelineEvent(e, this.config)),
      ...(start > 0 && oldest ? { cursor: encodeTimelineCursor(oldest) } : {}),
    };
  }
}
