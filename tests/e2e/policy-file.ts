// Where the managed-policy test writes its Chromium policy: one file per extension id (the id
// comes from the built extension's path), so test runs from two checkouts on one machine never
// remove or override each other's policy.
import { createHash } from 'node:crypto';
import { EXTENSION_DIR } from '../../demo/browser';

/** Chromium's id for an unpacked extension: SHA-256 of its path, first 32 hex digits as a–p. */
export function unpackedExtensionId(path: string): string {
  return [...createHash('sha256').update(path).digest('hex').slice(0, 32)].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

export const POLICY_DIR = '/etc/chromium/policies/managed';
export const POLICY_FILE = `${POLICY_DIR}/leadlens-e2e-${unpackedExtensionId(EXTENSION_DIR)}.json`;
