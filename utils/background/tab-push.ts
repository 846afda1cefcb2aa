/**
 * Pushes to the panels open in tabs: a lead, its decisions (context), or a sync's changes. One
 * place sends to a tab, so a tab that no longer answers (closed, navigated away, its content
 * script gone) is forgotten the same way whoever pushed.
 */
import type { LeadSummary } from '../api/contract';
import type { LeadLensDb } from '../db/schema';
import type { LeadPush, PanelContext } from '../messaging';
import type { LeadService } from './leads';
import { timelineOnce } from './panel-context';

/** What the push needs of the browser: one message to one tab. */
export interface TabPushBrowser {
  tabs: { sendMessage(tabId: number, message: LeadPush): Promise<unknown> };
}

export interface TabPushDeps {
  browser: TabPushBrowser;
  db: LeadLensDb;
  /** Which tab shows which lead, and the re-fetch of a lead's detail (pushed when it lands). */
  leads: Pick<LeadService, 'watchers' | 'watching' | 'refresh'>;
  context(leadId: string): Promise<PanelContext>;
  now(): number;
}

export interface TabPush {
  /** Sends one message; a tab that does not answer stops being watched. */
  send(tabId: number, message: LeadPush): Promise<void>;
  /** Fresh decisions (cooldowns, window, next action) for the lead a tab shows. */
  context(tabId: number, leadId: string): Promise<void>;
  /**
   * One truth per record: the leads a sync changed that are on screen get their summary at once,
   * with fresh decisions, then their detail is re-fetched (timeline, why, next action) and pushed
   * too, so the score, the countdown, the timeline and the next action never disagree.
   */
  changes(changed: readonly LeadSummary[]): Promise<void>;
  /**
   * Every panel on screen re-decides (the team policy changed): fresh decisions at once from the
   * cache, then a fresh detail, whose API cooldowns the server computed under the old rules.
   * Leads in `skip` were just pushed by `changes`.
   */
  redecide(skip: ReadonlySet<string>): Promise<void>;
}

export function createTabPush(deps: TabPushDeps): TabPush {
  const { browser, db, leads } = deps;
  const send = async (tabId: number, message: LeadPush): Promise<void> => {
    await browser.tabs.sendMessage(tabId, message).then(() => undefined, () => { leads.watchers.delete(tabId); });
  };
  const context = async (tabId: number, leadId: string): Promise<void> => {
    await send(tabId, { type: 'leadlens:context', leadId, context: await deps.context(leadId) });
  };
  return {
    send,
    context,
    async redecide(skip) {
      await Promise.all([...leads.watchers].filter(([, leadId]) => !skip.has(leadId)).map(async ([tabId, leadId]) => {
        await context(tabId, leadId);
        await leads.refresh(leadId, tabId);
      }));
    },
    async changes(changed) {
      const byId = new Map(changed.map((lead) => [lead.id, lead]));
      const asOf = new Date(deps.now()).toISOString();
      await Promise.all(leads.watching(byId.keys()).map(async ([tabId, leadId]) => {
        const lead = byId.get(leadId);
        if (!lead) return;
        const detail = (await db.details.get(leadId))?.detail;
        const context = await deps.context(leadId);
        await send(tabId, { type: 'leadlens:lead', lead, detail: timelineOnce(detail && { ...detail, ...lead }, context), asOf, stale: false, context });
        await leads.refresh(leadId, tabId);
      }));
    },
  };
}
