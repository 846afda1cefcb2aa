/**
 * The LeadLens server (the real one, server/app.ts) seeded with the story data, and the CRM
 * look-alike site showing the same leads: the site's record pages come from the story data set,
 * the server learns the same leads and their history through its ingest API. Used by
 * `npm run demo`, the end-to-end tests and the benchmarks.
 */
import type { CrmRef, LeadDetail, LeadSummary, TimelineEvent } from '../utils/api/contract';
import { createDataset, DEFAULT_SEED, DEMO_USER, type Dataset, type Featured } from './story/dataset';
import type { LeadProfile } from './story/dataset';
import { E2E_EXTENSION_DIR, extensionOrigin } from './browser';
import { ingest, leadsSeenBy, startDemoServer, type DemoServer, type DemoServerOptions } from './server';
import { customerPath, INHOUSE_HOST } from './site/inhouse';
import { createRecordSource } from './site/sample-records';
import { startCrmSite } from './site/server';
import type { CrmName, CrmRecordView } from './site/types';

/**
 * Story leads seeded by default: the featured ones and enough others (about a hundred for the
 * demo rep: own leads and the team's stock) for the popup's lists to look like a real day,
 * while the seed through the ingest API stays a matter of seconds.
 */
export const STACK_LEAD_COUNT = 600;

const ORGANISATION_TYPES = new Set(['Account', '0-2', 'account', 'Accounts']);

/** One look-alike record page per CRM reference of every lead; featured leads first. */
export function recordViewsOf(dataset: Dataset): CrmRecordView[] {
  const featuredIds = new Set(Object.values(dataset.featured));
  const leads = [...dataset.leads].sort((a, b) => Number(featuredIds.has(b.profile.id)) - Number(featuredIds.has(a.profile.id)));
  const views: CrmRecordView[] = [];
  for (const { profile } of leads) {
    for (const ref of profile.crmRefs) {
      if (ref.crm === 'custom') continue;
      const organisation = ORGANISATION_TYPES.has(ref.objectType);
      views.push({
        crm: ref.crm as CrmName,
        objectType: ref.objectType,
        recordId: ref.recordId,
        name: organisation ? profile.company ?? profile.name : profile.name,
        company: profile.company,
        email: profile.email,
        title: profile.jobTitle,
        owner: profile.owner?.name,
      });
    }
  }
  return views;
}

/** A live event for one lead, sent through the server's ingest API as a connector would. */
export interface LiveEvent {
  leadId: string;
  type: string;
  title?: string;
  detail?: string;
  channel?: string;
  meta?: Record<string, unknown>;
  /** Default: now. */
  at?: Date;
}

export interface DemoStack {
  api: DemoServer;
  site: Awaited<ReturnType<typeof startCrmSite>>;
  dataset: Dataset;
  /** The story's featured leads, by the server's lead ids. */
  featured: Featured;
  /** The demo rep's token: what the extension is connected with. */
  token: string;
  /** Server ids of the leads the demo rep sees (own leads and the team's stock), featured first. */
  ids(): string[];
  /** The story profile of a lead (by server id; `id` is the server's). */
  profile(leadId: string): LeadProfile | undefined;
  /** What the server says about a lead now, as the demo rep. */
  summary(leadId: string): Promise<LeadSummary>;
  /** The lead's detail as the server answers the demo rep (first timeline page). */
  detail(leadId: string): Promise<LeadDetail>;
  /** The calls logged on a lead (its timeline's call events, newest first). */
  calls(leadId: string): Promise<TimelineEvent[]>;
  /** Every lead the demo rep sees, as the server summarises it now. */
  leads(): Promise<LeadSummary[]>;
  /** Adds an event through POST /v1/ingest/events; resolves once the server has scored it. */
  addEvent(event: LiveEvent): Promise<void>;
  /** Adds events for any of the server's leads in one ingest batch (up to 5,000 per batch). */
  addEvents(events: LiveEvent[]): Promise<void>;
  /** The look-alike URL of a lead's record in a CRM (its first reference there). */
  recordUrl(leadId: string, crm?: CrmRef['crm']): string;
  /** The lead's customer page on the in-house CRM look-alike (found there by email). */
  customerUrl(leadId: string): string;
  close(): Promise<void>;
}

export interface DemoStackOptions {
  /** 0 (default) = a random free port. */
  apiPort?: number;
  sitePort?: number;
  leadCount?: number;
  seed?: number;
  /** Extension origins for CORS; default the built extension's (computed from its path). */
  corsOrigins?: string[];
  /** PGlite data directory; default in memory. */
  dataDir?: string;
  server?: DemoServerOptions['config'];
  /** This many more leads owned by the demo rep, without history (tests that need volume). */
  extraRepLeads?: number;
  /** More plugins on the server, e.g. the connectors (a Zoom webhook the story test signs). */
  plugins?: DemoServerOptions['plugins'];
}

export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const dataset = createDataset({ seed: options.seed ?? DEFAULT_SEED, leadCount: options.leadCount ?? STACK_LEAD_COUNT, now: new Date() });
  const records = createRecordSource(recordViewsOf(dataset));
  const site = await startCrmSite({ port: options.sitePort ?? 0, records });
  let api: DemoServer;
  try {
    api = await startDemoServer({
      dataset, rep: DEMO_USER, corsOrigins: options.corsOrigins ?? [extensionOrigin(), extensionOrigin(E2E_EXTENSION_DIR)], port: options.apiPort ?? 0,
      ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.server ? { config: options.server } : {}),
      ...(options.extraRepLeads ? { extraRepLeads: options.extraRepLeads } : {}),
      ...(options.plugins ? { plugins: options.plugins } : {}),
    });
  } catch (error) {
    await site.close();
    throw error;
  }
  const serverIdOf = (storyId: string): string => {
    const id = api.serverIds.get(storyId);
    if (!id) throw new Error(`the server has no lead for story lead ${storyId}`);
    return id;
  };
  const profiles = new Map<string, LeadProfile>();
  for (const { profile } of dataset.leads) {
    const id = serverIdOf(profile.id);
    profiles.set(id, { ...profile, id });
  }
  const featured = Object.fromEntries(Object.entries(dataset.featured).map(([k, v]) => [k, serverIdOf(v)])) as unknown as Featured;
  const featuredIds = new Set(Object.values(featured));
  // The rep's scope as the server defines it: own leads and the team's unowned stock.
  const visible = [...profiles.values()].filter((p) => !p.owner || p.owner.id === DEMO_USER.id).map((p) => p.id)
    .sort((a, b) => Number(featuredIds.has(b)) - Number(featuredIds.has(a)));
  let live = 0;
  const detail = async (leadId: string): Promise<LeadDetail> => {
    const res = await fetch(`${api.url}/v1/leads/${encodeURIComponent(leadId)}`, { headers: { Authorization: `Bearer ${api.repToken}` } });
    if (!res.ok) throw new Error(`GET /v1/leads/${leadId} → ${res.status}`);
    return (await res.json()) as LeadDetail;
  };

  const externalIds = new Map([...api.serverIds].map(([external, id]) => [id, external]));
  /** Events in one ingest batch (one transaction on the server: a poll sees all or none). */
  async function addEvents(events: LiveEvent[]): Promise<void> {
    const batch = events.map((event) => {
      const externalId = externalIds.get(event.leadId);
      if (!externalId) throw new Error(`the server has no lead ${event.leadId}`);
      live += 1;
      return {
        id: `${externalId}-live-${Date.now().toString(36)}-${live}`,
        lead: { externalId },
        type: event.type,
        at: (event.at ?? new Date()).toISOString(),
        title: event.title ?? event.type,
        ...(event.detail ? { detail: event.detail } : {}),
        ...(event.channel ? { channel: event.channel } : {}),
        ...(event.meta ? { meta: event.meta } : {}),
      };
    });
    for (let i = 0; i < batch.length; i += 5000) await ingest(api.url, api.ingestToken, 'events', batch.slice(i, i + 5000));
  }

  return {
    api,
    site,
    dataset,
    featured,
    token: api.repToken,
    ids: () => [...visible],
    profile: (leadId) => profiles.get(leadId),
    async summary(leadId) {
      const { breakdown: _b, timeline: _t, timelineCursor: _c, cooldowns: _d, interests: _i, ...summary } = await detail(leadId);
      return summary;
    },
    detail,
    calls: async (leadId) => (await detail(leadId)).timeline.filter((e) => e.type === 'call'),
    leads: () => leadsSeenBy(api.url, api.repToken),
    addEvent: (event) => addEvents([event]),
    addEvents,
    recordUrl(leadId, crm = 'salesforce') {
      const ref = profiles.get(leadId)?.crmRefs.find((r) => r.crm === crm);
      if (!ref?.url) throw new Error(`Lead ${leadId} has no ${crm} record`);
      return ref.url;
    },
    customerUrl(leadId) {
      const email = profiles.get(leadId)?.email;
      const path = email && customerPath(records, email);
      if (!path) throw new Error(`Lead ${leadId} has no customer page on ${INHOUSE_HOST}`);
      return `https://${INHOUSE_HOST}${path}`;
    },
    async close() {
      await Promise.all([api.close(), site.close()]);
    },
  };
}
