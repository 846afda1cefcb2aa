// A throw-away certificate for all served host names, made at start. Browsers are launched
// with --ignore-certificate-errors, so it only has to be well-formed; the SANs are there so
// that tools which do check names (curl --resolve) see the right ones.
import { generate } from 'selfsigned';
import { certificateAltNames } from './hosts';

export interface SiteCertificate {
  key: string;
  cert: string;
}

let cached: Promise<SiteCertificate> | undefined;

/** Generated once per process: EC P-256 keys take milliseconds, but tests start many servers. */
export function siteCertificate(): Promise<SiteCertificate> {
  cached ??= generate([{ name: 'commonName', value: 'LeadLens CRM look-alike' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 24 * 3600 * 1000),
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...certificateAltNames().map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: '127.0.0.1' }],
      },
    ],
  })
    .then((pems) => ({ key: pems.private, cert: pems.cert }))
    .catch((err: unknown) => {
      cached = undefined; // let the next start try again instead of replaying the failure
      throw err;
    });
  return cached;
}
