// A policy file left behind by an interrupted managed-policy test would change every other
// test's extension (its API URL): remove it before and after the run.
import { rmSync } from 'node:fs';
import { POLICY_FILE } from './policy-file';

export default function setup(): () => void {
  rmSync(POLICY_FILE, { force: true });
  return () => rmSync(POLICY_FILE, { force: true });
}
