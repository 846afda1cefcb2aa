/**
 * The tolerant reader: how the extension reads what a scoring API sends, so a newer server never
 * costs an older extension a lead. Unknown fields are stripped and open values (CRM, band,
 * stage, event type, cooldown reason) kept by the contract itself; here, an invalid item of a
 * list inside a lead (a CRM reference, a score factor, a timeline event, a cooldown, an
 * interest) is dropped alone and the lead is read without it. Only a lead whose own fields are
 * unusable (no id, a score that is not a number...) is rejected, by the caller, with its reason.
 */
import type { z } from 'zod';
import { Cooldown, CrmRef, Interest, LeadDetail, LeadSummary, ScoreFactor, TimelineEvent } from './contract';

/** Lists whose items stand alone: one bad item does not make the lead bad. */
const ITEM_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  crmRefs: CrmRef, breakdown: ScoreFactor, timeline: TimelineEvent, cooldowns: Cooldown, interests: Interest,
};

export interface ReadResult<T> {
  /** The lead, or the issues that make it unreadable. */
  result: z.ZodSafeParseResult<T>;
  /** Items dropped from its lists, as "crmRefs[1]" paths. */
  dropped: string[];
}

function readWith<T>(schema: z.ZodType<T>, raw: unknown): ReadResult<T> {
  const dropped: string[] = [];
  let input = raw;
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const copy: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const [key, itemSchema] of Object.entries(ITEM_SCHEMAS)) {
      const items = copy[key];
      if (!Array.isArray(items)) continue;
      copy[key] = items.filter((item, index) => {
        const keep = itemSchema.safeParse(item).success;
        if (!keep) dropped.push(`${key}[${index}]`);
        return keep;
      });
    }
    input = copy;
  }
  return { result: schema.safeParse(input), dropped };
}

export const readLeadSummary = (raw: unknown): ReadResult<LeadSummary> => readWith(LeadSummary, raw);
export const readLeadDetail = (raw: unknown): ReadResult<LeadDetail> => readWith(LeadDetail, raw);
