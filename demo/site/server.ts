// The CRM look-alike site: one HTTPS server on one port answering for every CRM host name,
// routing by the Host header. Point Chromium at it with
//   --host-resolver-rules="${site.hostRules}" --ignore-certificate-errors
// and open e.g. https://leadlens-demo.lightning.force.com/lightning/r/Lead/<id>/view.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleRequest, type SiteResponse } from './app';
import { siteCertificate } from './cert';
import { buildHostRules } from './hosts';
import type { RecordSource } from './types';

export { SITE_HOSTS, EXAMPLE_HOST, buildHostRules, crmForHost } from './hosts';
export type { SiteHost } from './hosts';

export interface CrmSiteOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  records: RecordSource;
  /** Interface to listen on; default 127.0.0.1 (also what hostRules point at). */
  host?: string;
  /** Send a script-src Content-Security-Policy like the real apps; default true. */
  csp?: boolean;
}

export interface CrmSite {
  port: number;
  /** "https://<hostname>": the URL a browser mapped by hostRules uses (port 443 implied). */
  origin(hostname: string): string;
  close(): Promise<void>;
  /** Value for Chromium's --host-resolver-rules. */
  hostRules: string;
}

export async function startCrmSite(opts: CrmSiteOptions): Promise<CrmSite> {
  const { key, cert } = await siteCertificate();
  const listenHost = opts.host ?? '127.0.0.1';
  const csp = opts.csp ?? true;
  const server = createServer({ key, cert }, (req, res) => {
    const nonce = randomBytes(16).toString('base64');
    let out: SiteResponse;
    try {
      out = handleRequest({ method: req.method ?? 'GET', host: req.headers.host, url: req.url ?? '/' }, opts.records, { nonce, csp });
    } catch (err) {
      // A broken RecordSource must not take the server down mid-test; say what broke.
      out = { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `look-alike error: ${err instanceof Error ? err.message : String(err)}` };
    }
    res.writeHead(out.status, { ...out.headers, 'content-length': Buffer.byteLength(out.body) });
    res.end(req.method === 'HEAD' ? undefined : out.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // A wildcard listen address isn't something Chromium can connect to: map to loopback then.
  const ruleIp = listenHost === '0.0.0.0' || listenHost === '::' ? '127.0.0.1' : listenHost;
  return {
    port,
    origin: (hostname) => `https://${hostname}`,
    hostRules: buildHostRules(ruleIp.includes(':') ? `[${ruleIp}]` : ruleIp, port),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Browsers keep idle keep-alive sockets open; don't wait for them.
        server.closeAllConnections();
      }),
  };
}
