// A policy file left behind by an interrupted managed-policy test would change every other
// test's extension (its API URL): remove it before and after the run.
import { rmSync } from 'node:fs';

const POLICY_FILE = '/etc/chromium/policies/managed/leadlens-e2e.json';

export default function setup(): () => void {
  rmSync(POLICY_FILE, { force: true });
  return () => rmSync(POLICY_FILE, { force: true });
}
