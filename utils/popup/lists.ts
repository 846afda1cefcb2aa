/**
 * The popup's lists, as pure functions over cached rows: "Hot now" in call-window order, the
 * "Stock" of unworked warm leads, and which CRM record a row opens.
 */
import type { CrmRef, LeadSummary } from '../api/contract';
import { callWindow, type CallWindowState } from '../policy/call-window';

export interface HotRow {
  lead: LeadSummary;
  window: CallWindowState;
}

/** Least time left in an open window first, then missed or no window; each by score. */
export function orderHotNow(leads: readonly LeadSummary[], windowMinutes: number, now: number): HotRow[] {
  const rank = (w: CallWindowState) => (w.state === 'open' ? 0 : w.state === 'missed' ? 1 : 2);
  return leads
    .map((lead) => ({ lead, window: callWindow(lead.needDetectedAt, windowMinutes, now) }))
    .sort((a, b) =>
      rank(a.window) - rank(b.window)
      || (a.window.state === 'open' && b.window.state === 'open' ? a.window.remainingMs - b.window.remainingMs : 0)
      || b.lead.score - a.lead.score
      || a.lead.name.localeCompare(b.lead.name));
}

/** Warm leads nobody owns, best first: spare capacity. */
export function stockOf(leads: readonly LeadSummary[], limit = 20): LeadSummary[] {
  return leads.filter((lead) => lead.band === 'warm' && !lead.owner).sort((a, b) => b.score - a.score).slice(0, limit);
}

/**
 * The record to open: in the CRM the rep last worked in when the lead has one there, else the
 * first reference; always in a CRM the rep has switched on, and only through an https link.
 */
export function recordUrl(lead: Pick<LeadSummary, 'crmRefs'>, enabled: (crm: CrmRef['crm']) => boolean, preferred?: CrmRef['crm']): string | undefined {
  const openable = lead.crmRefs.filter((ref) => ref.url !== undefined && /^https:\/\//.test(ref.url) && enabled(ref.crm));
  return (openable.find((ref) => ref.crm === preferred) ?? openable[0])?.url;
}
