/**
 * Opens a lead's record in a new tab (a notification's click, its button): in the CRM the rep
 * last worked in when the lead has a record there, else its first one, only in CRMs the rep has
 * switched on. The choice is recordUrl's (utils/popup/lists.ts); this module reads what it needs.
 */
import type { CrmRef } from '../api/contract';
import type { LeadLensDb } from '../db/schema';
import { recordUrl } from '../popup/lists';
import { adapterEnabled, type Preferences } from '../preferences/schema';

export interface OpenRecordDeps {
  browser: { tabs: { create(details: { url: string }): Promise<unknown> } };
  db: LeadLensDb;
  preferences(): Promise<Preferences>;
  /** The CRM the rep last opened a record in (null: none yet). */
  lastCrm(): Promise<string | null>;
}

/** Opens the record and returns its URL; undefined when the lead is not cached or has no openable record. */
export async function openRecord(deps: OpenRecordDeps, leadId: string): Promise<string | undefined> {
  const [row, prefs, preferred] = await Promise.all([deps.db.leads.get(leadId), deps.preferences(), deps.lastCrm()]);
  const url = row && recordUrl(row.summary, (crm) => adapterEnabled(prefs.adapters, crm), (preferred as CrmRef['crm'] | null) ?? undefined);
  if (url) await deps.browser.tabs.create({ url });
  return url;
}
