// Fetch a look-alike page from Node the way a mapped browser would: connect to the site's port,
// but send the CRM's host name as SNI and Host header. For tests and harness health checks.
import { request } from 'node:https';

export interface SiteReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function siteGet(port: number, hostname: string, path: string, ip = '127.0.0.1'): Promise<SiteReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: ip, port, path, method: 'GET', servername: hostname, headers: { host: hostname }, rejectUnauthorized: false, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
