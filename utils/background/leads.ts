/**
 * Record lookups for the panel, stale-while-revalidate: answer at once from the cache with its
 * "as of" time, then fetch the lead's detail and push the fresher answer to the asking tab.
 * A lead not yet in the cache is looked up through the API (and then cached).
 */
import type { ScoringApiClient } from '../api/client';
import type { LeadDetail, LeadSummary } from '../api/contract';
import { evictDetails } from '../db/queries';
import { panelReads } from '../db/panel-reads';
import { refsInclude } from '../crm/tenant';
import { toLeadRow, type LeadLensDb, type LeadRow } from '../db/schema';
import type { LeadPush, LookupAnswer, PanelContext } from '../messaging';
import type { LookupKey } from '../messaging-schema';
import { timelineOnce } from './panel-context';
import type { Connection } from '../settings';

export interface LeadServiceDeps {
  db: LeadLensDb;
  loadConnection(): Promise<Connection | null>;
  createClient(connection: Connection): Pick<ScoringApiClient, 'lookup' | 'lead'>;
  followedIds(): Promise<ReadonlySet<string>>;
  push(tabId: number, message: LeadPush): Promise<void>;
  /** Resolves once the tab's page has loaded, or the tab is gone, or the wait's cap passed (tab-load.ts): a lookup's refresh waits for it. */
  pageLoaded?(tabId: number): Promise<void>;
  context(leadId: string): Promise<PanelContext>;
  /** The rep opened a record in this CRM (from a tab). */
  workedIn?(crm: string): Promise<void>;
  now(): number;
  /** Details kept for the most recently viewed leads (plus every hot lead). */
  detailsToKeep?: number;
}

export class LeadService {
  /** Which lead each tab shows, so cache changes reach the open panels. */
  readonly watchers = new Map<number, string>();
  /** Background refreshes started by lookups and not finished yet. */
  private readonly refreshing = new Set<Promise<void>>();

  constructor(private readonly deps: LeadServiceDeps) {}

  /** Resolves once every background refresh started so far has finished (its push included). */
  async idle(): Promise<void> {
    await Promise.all(this.refreshing);
  }

  async lookup(key: LookupKey, tabId?: number): Promise<LookupAnswer> {
    const { db } = this.deps;
    if (tabId !== undefined && 'crm' in key) void this.deps.workedIn?.(key.crm);
    // One read for the lead, its detail, outbox and sync state (none for a lead shown lately);
    // the context then finds the same record kept.
    const reads = panelReads(db);
    const kept = 'email' in key ? await reads.byEmail(key.email) : await reads.byRef(key.crm, key.objectType, key.recordId, key.host);
    if (kept) {
      const { row, detail: cached, state } = kept;
      if (tabId !== undefined) this.watchers.set(tabId, row.id);
      const context = await this.deps.context(row.id);
      // Answered from the cache now; the refresh waits until the page has loaded.
      const loaded = tabId !== undefined && this.deps.pageLoaded ? this.deps.pageLoaded(tabId) : Promise.resolve();
      const refresh = loaded.then(() => {
        // The tab moved on to another lead meanwhile: its own lookup refreshes that one.
        if (tabId === undefined || this.watchers.get(tabId) === row.id) return this.revalidate(row.id, tabId);
      }).catch((error: unknown) => console.warn('LeadLens: refreshing a lead failed', error))
        .finally(() => this.refreshing.delete(refresh));
      this.refreshing.add(refresh);
      const asOf = Math.max(cached?.fetchedAt ?? 0, state?.lastSuccessAt ?? 0);
      return { status: 'found', lead: row.summary, detail: timelineOnce(cached?.detail, context), asOf: new Date(asOf || this.deps.now()).toISOString(), stale: state?.status !== 'ok', context };
    }

    const connection = await this.deps.loadConnection();
    if (!connection) return { status: 'not_connected' };
    const client = this.deps.createClient(connection);
    const found = await client.lookup('email' in key ? { email: key.email } : key);
    if (!found.ok) return found.error.kind === 'not_found' ? { status: 'not_found' } : { status: 'error', message: found.error.message };
    const lead = found.value.lead;
    // Another tenant's lead for the same numbers (a server that ignores `host`) is no answer.
    if ('crm' in key && !refsInclude(lead.crmRefs, key)) return { status: 'not_found' };
    if (tabId !== undefined) this.watchers.set(tabId, lead.id);
    await this.storeSummary(lead);
    const detail = await this.fetchDetail(client, lead.id);
    const context = await this.deps.context(lead.id);
    return { status: 'found', lead: detail ? stripDetail(detail) : lead, detail: timelineOnce(detail, context), asOf: new Date(this.deps.now()).toISOString(), stale: false, context };
  }

  /** Older timeline events for the panel's "older" button, appended to the cached detail. */
  async loadOlder(leadId: string): Promise<{ ok: true; detail: LeadDetail; context: PanelContext } | { ok: false; message: string }> {
    const { db } = this.deps;
    const cached = await db.details.get(leadId);
    if (!cached?.detail.timelineCursor) return { ok: false, message: 'No older events' };
    const connection = await this.deps.loadConnection();
    if (!connection) return { ok: false, message: 'Not connected' };
    const older = await this.deps.createClient(connection).lead(leadId, cached.detail.timelineCursor);
    if (!older.ok) return { ok: false, message: older.error.message };
    const seen = new Set(cached.detail.timeline.map((event) => event.id));
    const detail: LeadDetail = {
      ...cached.detail,
      timeline: [...cached.detail.timeline, ...older.value.timeline.filter((event) => !seen.has(event.id))],
      timelineCursor: older.value.timelineCursor,
    };
    await db.details.put({ ...cached, detail });
    return { ok: true, detail, context: await this.deps.context(leadId) };
  }

  /** Tabs showing any of these leads, with the lead they show. */
  watching(leadIds: Iterable<string>): [number, string][] {
    const ids = new Set(leadIds);
    return [...this.watchers].filter(([, leadId]) => ids.has(leadId));
  }

  /** Re-fetch a lead's detail and push it to the tab (after a call was logged, say). */
  async refresh(leadId: string, tabId: number | undefined): Promise<void> {
    await this.revalidate(leadId, tabId);
  }

  private async revalidate(leadId: string, tabId: number | undefined): Promise<void> {
    const connection = await this.deps.loadConnection();
    if (!connection) return;
    const detail = await this.fetchDetail(this.deps.createClient(connection), leadId);
    if (detail && tabId !== undefined && this.watchers.get(tabId) === leadId) {
      const context = await this.deps.context(leadId);
      await this.deps.push(tabId, { type: 'leadlens:lead', lead: stripDetail(detail), detail: timelineOnce(detail, context), asOf: new Date(this.deps.now()).toISOString(), stale: false, context });
    }
  }

  private async fetchDetail(client: Pick<ScoringApiClient, 'lead'>, leadId: string): Promise<LeadDetail | undefined> {
    const result = await client.lead(leadId);
    if (!result.ok) return undefined; // the cached answer stands; the sync status tells why
    const now = this.deps.now();
    const { db } = this.deps;
    const previous = await db.details.get(leadId);
    // Keep older pages already loaded when the newest page still overlaps them.
    const detail = previous && overlaps(previous.detail, result.value) ? mergeTimeline(result.value, previous.detail) : result.value;
    const row = await this.rowOf(detail);
    await db.transaction('rw', db.details, db.leads, async () => {
      await db.details.put({ id: leadId, detail, fetchedAt: now, lastViewedAt: now });
      await db.leads.put(row);
    });
    await evictDetails(db, this.deps.detailsToKeep ?? 500);
    return detail;
  }

  private async storeSummary(summary: LeadSummary): Promise<void> {
    await this.deps.db.leads.put(await this.rowOf(summary));
  }

  /** A detail is fresher than the last sync: its summary fields update the row. */
  private async rowOf(summary: LeadSummary): Promise<LeadRow> {
    const [state, followed] = await Promise.all([this.deps.db.syncState.get('main'), this.deps.followedIds()]);
    return toLeadRow(stripDetail(summary), state?.userId, followed);
  }
}

function stripDetail(lead: LeadSummary | LeadDetail): LeadSummary {
  const { breakdown: _b, timeline: _t, timelineCursor: _c, cooldowns: _d, interests: _i, ...summary } = lead as LeadDetail;
  return summary;
}

function overlaps(previous: LeadDetail, fresh: LeadDetail): boolean {
  const freshIds = new Set(fresh.timeline.map((event) => event.id));
  return previous.timeline.length > fresh.timeline.length && previous.timeline.some((event) => freshIds.has(event.id));
}

function mergeTimeline(fresh: LeadDetail, previous: LeadDetail): LeadDetail {
  const seen = new Set(fresh.timeline.map((event) => event.id));
  return { ...fresh, timeline: [...fresh.timeline, ...previous.timeline.filter((event) => !seen.has(event.id))], timelineCursor: previous.timelineCursor };
}
