// Request handling of the look-alike site, without the socket: (method, Host, URL) → response.
// server.ts wraps it in node:https; tests and save-fixtures can call it directly.
//
// Status codes, on purpose:
// - a record URL whose record doesn't exist answers 200 with the CRM's own "not found" view
//   (the real apps are SPAs that load their shell first), marked by the response header
//   `X-Lookalike-Record: not-found` and <body data-lookalike-status="not-found">;
// - a path the CRM doesn't have answers 404; a host the site doesn't serve answers 421.
import { CRM_MODULES } from './crms/index';
import { crmForHost, SITE_HOSTS } from './hosts';
import { escapeHtml } from './html';
import { wantsHostile, withHostileScript } from './hostile'; // hostile-page e2e hook, see below
import { INHOUSE_LABEL, inHousePage } from './inhouse';
import { CRM_NAMES, type CrmName, type RecordSource } from './types';

export interface SiteRequest {
  method: string;
  /** The Host header, possibly with a port. */
  host: string | undefined;
  /** Request target: path and query. */
  url: string;
}

export interface SiteResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HandlerOptions {
  /** Fresh per response; used in the CSP header and on the page's inline script. */
  nonce: string;
  /** Send a Content-Security-Policy like the real CRMs do (script-src limited). */
  csp: boolean;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function json(status: number, body: unknown): SiteResponse {
  return { status, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}

function text(status: number, body: string): SiteResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body };
}

function isCrmName(value: string | null): value is CrmName {
  return value !== null && (CRM_NAMES as readonly string[]).includes(value);
}

/** GET /__lookalike/api/record?crm=&objectType=&recordId=&ctx= — what the page scripts fetch. */
function recordApi(url: URL, records: RecordSource): SiteResponse {
  const crm = url.searchParams.get('crm');
  if (!isCrmName(crm)) return json(400, { error: { code: 'bad_request', message: 'crm must be one of ' + CRM_NAMES.join(', ') } });
  const objectType = url.searchParams.get('objectType') ?? '';
  const recordId = url.searchParams.get('recordId') ?? '';
  const ctx = url.searchParams.get('ctx') ?? undefined;
  const region = CRM_MODULES[crm].region(records, objectType, recordId, ctx);
  return json(region.found ? 200 : 404, { found: region.found, record: region.record ?? null, title: region.title, path: region.path, html: region.html.value });
}

function unknownHost(host: string | undefined): SiteResponse {
  const list = SITE_HOSTS.map((h) => `<li>${escapeHtml(h.pattern)} (${h.crm}), e.g. https://${escapeHtml(h.example)}/</li>`).join('');
  return text(421, `<!DOCTYPE html><title>Unknown host</title><h1>LeadLens CRM look-alike</h1><p>No CRM is served for host “${escapeHtml(host ?? '')}”. Served hosts:</p><ul>${list}</ul>`);
}

export function handleRequest(req: SiteRequest, records: RecordSource, opts: HandlerOptions): SiteResponse {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ...text(405, 'Method Not Allowed'), headers: { allow: 'GET, HEAD' } };
  // Only the path and query matter; a fixed base keeps odd Host headers from breaking parsing.
  let url: URL;
  try {
    url = new URL(req.url, 'https://lookalike.invalid');
  } catch {
    return text(400, 'Bad Request');
  }
  const crm = crmForHost(req.host);
  if (url.pathname === '/__lookalike/health') return json(200, { ok: true, crm: crm ?? null, hosts: SITE_HOSTS.map((h) => h.pattern) });
  if (url.pathname === '/__lookalike/api/record') return recordApi(url, records);
  // Browsers ask every host for one; an empty answer keeps their consoles free of 404 noise.
  if (url.pathname === '/favicon.ico') return { status: 204, headers: { 'cache-control': 'max-age=3600' }, body: '' };
  if (!crm) return unknownHost(req.host);

  const label = crm === 'custom' ? INHOUSE_LABEL : CRM_MODULES[crm].label;
  const page = crm === 'custom' ? inHousePage(url, records) : CRM_MODULES[crm].page(url, records, { nonce: opts.nonce });
  if (!page) {
    return text(404, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Page not found | ${escapeHtml(label)}</title></head><body data-lookalike-crm="${crm}" data-lookalike-status="no-route"><h1>Page not found</h1><p>${escapeHtml(label)} look-alike has no page at ${escapeHtml(url.pathname)}. <a href="/">Home</a></p></body></html>`);
  }
  const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
  // Real CRMs restrict scripts; styles stay open as theirs are (Lightning allows inline styles).
  if (opts.csp) headers['content-security-policy'] = `script-src 'self' 'nonce-${opts.nonce}'; object-src 'none'; base-uri 'self'`;
  if (page.recordFound !== undefined) headers['x-lookalike-record'] = page.recordFound ? 'found' : 'not-found';
  // Hostile-page e2e hook (tests/e2e/hostile-page.e2e.ts): `?hostile=<attacks>` on a Salesforce page adds misbehaving page scripts (hostile.ts).
  const body = crm === 'salesforce' && wantsHostile(url) ? withHostileScript(page.html, opts.nonce) : page.html;
  return { status: page.status, headers, body };
}
