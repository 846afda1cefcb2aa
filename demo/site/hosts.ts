// Which host names the look-alike site answers for, and how a browser is pointed at it.
// Chromium is started with --host-resolver-rules mapping these patterns to our one port, so
// pages load under the CRMs' real host names and the extension's real manifest match patterns
// are what decide whether the content script runs.
import type { CrmName } from './types';

/** A built-in CRM, or the in-house CRM (inhouse.ts) that LeadLens reaches through a custom rule. */
export type SiteCrm = CrmName | 'custom';

export interface SiteHost {
  crm: SiteCrm;
  /** Host pattern as Chromium's host-resolver-rules understand it ("*" matches dots too). */
  pattern: string;
  /** A concrete host name under the pattern, the one examples and tests use. */
  example: string;
  /** Certificate subjectAltName DNS entries covering the pattern (a "*" covers one label only). */
  san: readonly string[];
}

// Dynamics orgs live one label below a regional crmN.dynamics.com zone (crm7 = Japan), so the
// certificate needs one wildcard per zone; the resolver rule's "*" needs only one.
const DYNAMICS_ZONES = ['crm', ...Array.from({ length: 21 }, (_, i) => `crm${i + 2}`)];

export const SITE_HOSTS: readonly SiteHost[] = [
  { crm: 'salesforce', pattern: '*.lightning.force.com', example: 'leadlens-demo.lightning.force.com', san: ['*.lightning.force.com'] },
  { crm: 'kintone', pattern: '*.cybozu.com', example: 'leadlens-demo.cybozu.com', san: ['*.cybozu.com'] },
  { crm: 'kintone', pattern: '*.kintone.com', example: 'leadlens-demo.kintone.com', san: ['*.kintone.com'] },
  { crm: 'hubspot', pattern: 'app.hubspot.com', example: 'app.hubspot.com', san: ['app.hubspot.com'] },
  { crm: 'hubspot', pattern: 'app-eu1.hubspot.com', example: 'app-eu1.hubspot.com', san: ['app-eu1.hubspot.com'] },
  { crm: 'dynamics', pattern: '*.dynamics.com', example: 'leadlens-demo.crm7.dynamics.com', san: DYNAMICS_ZONES.map((z) => `*.${z}.dynamics.com`) },
  { crm: 'zoho', pattern: 'crm.zoho.com', example: 'crm.zoho.com', san: ['crm.zoho.com'] },
  { crm: 'zoho', pattern: 'crm.zoho.jp', example: 'crm.zoho.jp', san: ['crm.zoho.jp'] },
  { crm: 'zoho', pattern: 'crm.zoho.eu', example: 'crm.zoho.eu', san: ['crm.zoho.eu'] },
  { crm: 'zoho', pattern: 'crm.zoho.in', example: 'crm.zoho.in', san: ['crm.zoho.in'] },
  { crm: 'zoho', pattern: 'crm.zoho.com.au', example: 'crm.zoho.com.au', san: ['crm.zoho.com.au'] },
  { crm: 'custom', pattern: 'crm.example-corp.jp', example: 'crm.example-corp.jp', san: ['crm.example-corp.jp'] },
];

/** The host name each CRM's examples, fixtures and smoke run use. */
export const EXAMPLE_HOST: Readonly<Record<CrmName, string>> = {
  salesforce: 'leadlens-demo.lightning.force.com',
  kintone: 'leadlens-demo.cybozu.com',
  hubspot: 'app.hubspot.com',
  dynamics: 'leadlens-demo.crm7.dynamics.com',
  zoho: 'crm.zoho.jp',
};

function matchesPattern(hostname: string, pattern: string): boolean {
  if (!pattern.startsWith('*.')) return hostname === pattern;
  const suffix = pattern.slice(1); // ".lightning.force.com"
  return hostname.endsWith(suffix) && hostname.length > suffix.length;
}

/** Which CRM a Host header belongs to (port and case ignored), or undefined. */
export function crmForHost(hostHeader: string | undefined): SiteCrm | undefined {
  if (!hostHeader) return undefined;
  const hostname = hostHeader.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
  return SITE_HOSTS.find((h) => matchesPattern(hostname, h.pattern))?.crm;
}

/** `MAP <pattern> <ip>:<port>,...` for Chromium's --host-resolver-rules. */
export function buildHostRules(ip: string, port: number): string {
  return SITE_HOSTS.map((h) => `MAP ${h.pattern} ${ip}:${port}`).join(',');
}

export function certificateAltNames(): string[] {
  return [...new Set(SITE_HOSTS.flatMap((h) => [...h.san, h.example]))];
}
