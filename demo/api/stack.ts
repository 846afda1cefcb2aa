/**
 * The in-memory reference API and the CRM look-alike site, started together and showing the
 * same leads. Only the e2e fault matrix (tests/e2e/faults.e2e.ts) still uses it, for the fault
 * switches built into the reference API; the demo and every other e2e run on the real server
 * (demo/stack.ts).
 */
import type { CrmRef } from '../../utils/api/contract';
import type { LeadStore } from './store';
import { startApi, type ApiHandle, type ApiOptions } from './server';
import { customerPath, INHOUSE_HOST } from '../site/inhouse';
import { createRecordSource } from '../site/sample-records';
import { startCrmSite } from '../site/server';
import type { CrmName, CrmRecordView } from '../site/types';

export const DEMO_TOKEN = 'demo-token';

const ORGANISATION_TYPES = new Set(['Account', '0-2', 'account', 'Accounts']);

/** One look-alike record page per CRM reference of every lead; featured leads first. */
function recordViewsOf(store: LeadStore): CrmRecordView[] {
  const featuredIds = new Set(Object.values(store.featured));
  const ids = [...store.ids()].sort((a, b) => Number(featuredIds.has(b)) - Number(featuredIds.has(a)));
  const views: CrmRecordView[] = [];
  for (const id of ids) {
    const profile = store.profile(id);
    if (!profile) continue;
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

export interface ReferenceStack {
  api: ApiHandle;
  site: Awaited<ReturnType<typeof startCrmSite>>;
  /** The look-alike URL of a lead's record in a CRM (its first reference there). */
  recordUrl(leadId: string, crm?: CrmRef['crm']): string;
  /** The lead's customer page on the in-house CRM look-alike (found there by email). */
  customerUrl(leadId: string): string;
  close(): Promise<void>;
}

export async function startReferenceStack(options: { api?: ApiOptions; sitePort?: number } = {}): Promise<ReferenceStack> {
  const api = await startApi({ port: 0, ...options.api });
  const records = createRecordSource(recordViewsOf(api.store));
  const site = await startCrmSite({ port: options.sitePort ?? 0, records });
  return {
    api,
    site,
    recordUrl(leadId, crm = 'salesforce') {
      const ref = api.store.profile(leadId)?.crmRefs.find((r) => r.crm === crm);
      if (!ref?.url) throw new Error(`Lead ${leadId} has no ${crm} record`);
      return ref.url;
    },
    customerUrl(leadId) {
      const email = api.store.profile(leadId)?.email;
      const path = email && customerPath(records, email);
      if (!path) throw new Error(`Lead ${leadId} has no customer page on ${INHOUSE_HOST}`);
      return `https://${INHOUSE_HOST}${path}`;
    },
    async close() {
      await Promise.all([api.close(), site.close()]);
    },
  };
}
