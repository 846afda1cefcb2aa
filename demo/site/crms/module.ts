// The contract every CRM look-alike module fulfils, and helpers they share. A module owns its
// URL grammar (which paths are record / list / home pages) and its markup; app.ts only routes
// by host and serves what the module returns.
import type { SafeHtml } from '../html';
import type { CrmName, CrmRecordView, RecordSource } from '../types';

export interface PageOptions {
  /** CSP nonce for the page's inline script (absent in saved fixtures). */
  nonce?: string;
}

export interface RenderedPage {
  status: number;
  html: string;
  /** false when the URL is a record page whose record the RecordSource doesn't have. */
  recordFound?: boolean;
}

/**
 * The part of a record page that client-side navigation swaps (pushState / hashchange).
 * The JSON endpoint returns exactly this, so server and client render one markup.
 */
export interface RecordRegion {
  found: boolean;
  record?: CrmRecordView;
  title: string;
  /** Path (and query/hash) of the canonical record URL on this CRM. */
  path: string;
  html: SafeHtml;
}

export interface CrmSiteModule {
  readonly crm: CrmName;
  readonly label: string;
  /** Object types listed on `/` when the RecordSource can't say which hold records. */
  readonly defaultObjectTypes: readonly string[];
  /** Renders the page for a request URL, or undefined for a path this CRM doesn't have (404). */
  page(url: URL, records: RecordSource, opts: PageOptions): RenderedPage | undefined;
  /**
   * The swappable record region. `ctx` is the page's own context string (kintone path prefix,
   * HubSpot portal, Dynamics appid, Zoho org), echoed by the page script, so links keep it.
   */
  region(records: RecordSource, objectType: string, recordId: string, ctx: string | undefined): RecordRegion;
  /** Path of a record's page, as a real app would link it. */
  recordPath(record: Pick<CrmRecordView, 'objectType' | 'recordId'>, ctx?: string): string;
  /** The full record page as saved in tests/fixtures (what a user's browser holds once rendered). */
  fixturePage(records: RecordSource, record: CrmRecordView): { url: string; html: string };
}

/** Attributes that make a link navigate client-side (see client-scripts.ts). */
export function navAttrs(record: Pick<CrmRecordView, 'objectType' | 'recordId'>): Record<string, string> {
  return { 'data-lookalike-nav': '', 'data-lookalike-object-type': record.objectType, 'data-lookalike-record-id': record.recordId };
}

/**
 * Other records to link from a record page: same company first, then the rest, across the
 * CRM's object types. Only for navigation in the look-alike; real apps have richer related lists.
 */
export function relatedRecords(
  records: RecordSource,
  crm: CrmName,
  objectTypes: readonly string[],
  current: CrmRecordView | undefined,
  limit: number,
): CrmRecordView[] {
  const all = objectTypes.flatMap((t) => records.list(crm, t, 50));
  const others = all.filter((r) => !current || r.objectType !== current.objectType || r.recordId !== current.recordId);
  const company = current?.company ?? current?.name;
  const sameCompany = (r: CrmRecordView): boolean => company !== undefined && (r.company === company || r.name === company);
  return [...others.filter(sameCompany), ...others.filter((r) => !sameCompany(r))].slice(0, limit);
}

/** Object types the index page lists for a CRM. */
export function indexObjectTypes(records: RecordSource, module: CrmSiteModule): readonly string[] {
  const fromSource = records.objectTypes?.(module.crm);
  return fromSource && fromSource.length > 0 ? fromSource : module.defaultObjectTypes;
}

/** Up to `perType` records of each object type, for index pages. */
export function indexRecords(records: RecordSource, module: CrmSiteModule, perType: number): CrmRecordView[] {
  return indexObjectTypes(records, module).flatMap((t) => records.list(module.crm, t, perType));
}

/** "田中 太郎" → "田", "Emily Carter" → "EC": the avatar bubble most CRMs draw. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => w.length > 0);
  const first = words[0] ?? '?';
  if (/^[A-Za-z]/.test(first)) {
    return words
      .slice(0, 2)
      .map((w) => w.charAt(0).toUpperCase())
      .join('');
  }
  return Array.from(first)[0] ?? '?';
}

/** decodeURIComponent that returns the input for malformed escapes instead of throwing. */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
