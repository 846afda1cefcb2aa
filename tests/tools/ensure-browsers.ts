/**
 * What `npm run demo` and the end-to-end tests need on the machine besides Node: Chromium, a
 * Japanese font (screenshots show Japanese names and the Japanese UI) and, for the tests, Firefox.
 * `plan` decides, as a pure function, what to do about the missing ones; `ensureBrowsers` looks at
 * the machine, runs the install when it may (root on Debian/Ubuntu, apt-get with its progress on
 * screen) and otherwise prints the exact command for the platform and fails.
 *
 *   tsx tests/tools/ensure-browsers.ts chromium firefox japanese-font
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type Need = 'chromium' | 'firefox' | 'japanese-font';
export const NEEDS: readonly Need[] = ['chromium', 'firefox', 'japanese-font'];

export type Family = 'debian' | 'ubuntu' | 'fedora' | 'arch' | 'macos' | 'windows' | 'other';

export interface Machine {
  family: Family;
  /** Allowed to install system packages itself (root). */
  root: boolean;
  missing: readonly Need[];
}

export type Plan =
  | { kind: 'ready' }
  | { kind: 'install'; packages: string[]; commands: string[][] }
  | { kind: 'instruct'; missing: Need[]; command: string };

/** Package names per platform, in the order of NEEDS. Ubuntu's chromium-browser is a snap wrapper. */
const PACKAGES: Record<Family, Record<Need, string> | undefined> = {
  debian: { chromium: 'chromium', firefox: 'firefox-esr', 'japanese-font': 'fonts-ipafont-gothic' },
  ubuntu: { chromium: 'chromium-browser', firefox: 'firefox', 'japanese-font': 'fonts-ipafont-gothic' },
  fedora: { chromium: 'chromium', firefox: 'firefox', 'japanese-font': 'google-noto-sans-cjk-fonts' },
  arch: { chromium: 'chromium', firefox: 'firefox', 'japanese-font': 'noto-fonts-cjk' },
  macos: { chromium: 'chromium', firefox: 'firefox', 'japanese-font': '' },
  windows: { chromium: 'Hibbiki.Chromium', firefox: 'Mozilla.Firefox', 'japanese-font': '' },
  other: undefined,
};

function packagesFor(family: Family, missing: readonly Need[]): string[] {
  const names = PACKAGES[family];
  return names ? NEEDS.filter((need) => missing.includes(need)).map((need) => names[need]).filter((name) => name !== '') : [];
}

function commandFor(family: Family, packages: string[]): string {
  const list = packages.join(' ');
  switch (family) {
    case 'debian':
    case 'ubuntu':
      return `sudo apt-get update && sudo apt-get install -y ${list}`;
    case 'fedora':
      return `sudo dnf install -y ${list}`;
    case 'arch':
      return `sudo pacman -S --needed ${list}`;
    case 'macos':
      return packages.map((name) => `brew install --cask ${name}`).join(' && ');
    case 'windows':
      return packages.map((name) => `winget install ${name}`).join(' && ');
    case 'other':
      return '';
  }
}

export function plan(machine: Machine): Plan {
  const missing = NEEDS.filter((need) => machine.missing.includes(need));
  if (missing.length === 0) return { kind: 'ready' };
  const packages = packagesFor(machine.family, missing);
  if (machine.root && (machine.family === 'debian' || machine.family === 'ubuntu')) {
    return { kind: 'install', packages, commands: [['apt-get', 'update'], ['apt-get', 'install', '-y', ...packages]] };
  }
  return { kind: 'instruct', missing, command: commandFor(machine.family, packages) };
}

/** The platform family from Node's platform and /etc/os-release (ID, then ID_LIKE). */
export function familyOf(platform: NodeJS.Platform, osRelease: string): Family {
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  if (platform !== 'linux') return 'other';
  const field = (name: string) => osRelease.match(new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm'))?.[1]?.toLowerCase().split(/\s+/) ?? [];
  for (const id of [...field('ID'), ...field('ID_LIKE')]) {
    if (id === 'ubuntu') return 'ubuntu';
    if (id === 'debian') return 'debian';
    if (id === 'fedora' || id === 'rhel') return 'fedora';
    if (id === 'arch') return 'arch';
  }
  return 'other';
}

/** What to tell the user when the plan is not to install. */
export function instructions(result: Extract<Plan, { kind: 'instruct' }>): string {
  const what = result.missing.map((need) => ({ chromium: 'Chromium', firefox: 'Firefox', 'japanese-font': 'a Japanese font' })[need]).join(', ');
  const lines = [`Missing: ${what}.`];
  if (result.command) lines.push(`Install with:\n  ${result.command}`);
  else lines.push('Install them with your system package manager.');
  if (result.missing.includes('chromium')) lines.push('Or point CHROMIUM_PATH at a Chromium or Chrome binary.');
  if (result.missing.includes('firefox')) lines.push('Or point FIREFOX_PATH at a Firefox binary.');
  return lines.join('\n');
}

// ---- The machine as it is -------------------------------------------------------------------

/** Where Chromium or Chrome usually lives; CHROMIUM_PATH wins. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export function locateChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  return CHROMIUM_CANDIDATES.find((path) => existsSync(path));
}

export function locateFirefox(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.FIREFOX_PATH) return env.FIREFOX_PATH;
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['firefox-esr', 'firefox']) {
    const found = dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
    if (found) return found;
  }
  return ['/Applications/Firefox.app/Contents/MacOS/firefox'].find((path) => existsSync(path));
}

function hasJapaneseFont(): boolean {
  // macOS and Windows ship Japanese fonts; on Linux fontconfig knows.
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  try {
    return execFileSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
  } catch {
    return false;
  }
}

function missingOf(needs: readonly Need[]): Need[] {
  const present: Record<Need, () => boolean> = {
    chromium: () => locateChromium() !== undefined,
    firefox: () => locateFirefox() !== undefined,
    'japanese-font': hasJapaneseFont,
  };
  return needs.filter((need) => !present[need]());
}

export function currentMachine(needs: readonly Need[]): Machine {
  let osRelease = '';
  try {
    osRelease = readFileSync('/etc/os-release', 'utf8');
  } catch {
    // Not Linux, or a Linux without it: the family says 'other' and the user is told what is missing.
  }
  return { family: familyOf(process.platform, osRelease), root: process.getuid?.() === 0, missing: missingOf(needs) };
}

/** Make sure `needs` are on this machine: returns once they are, throws with instructions if not. */
export function ensureBrowsers(needs: readonly Need[]): void {
  const machine = currentMachine(needs);
  const decided = plan(machine);
  if (decided.kind === 'ready') return;
  if (decided.kind === 'instruct') throw new Error(instructions(decided));
  console.log(`Installing ${decided.packages.join(', ')} (missing on this machine)…`);
  for (const [command = '', ...args] of decided.commands) {
    console.log(`$ ${[command, ...args].join(' ')}`);
    const run = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run.status !== 0) throw new Error(`\`${[command, ...args].join(' ')}\` failed (${run.error?.message ?? `exit ${run.status}`})`);
  }
  const still = missingOf(needs);
  if (still.length > 0) throw new Error(instructions({ kind: 'instruct', missing: still, command: commandFor(machine.family, packagesFor(machine.family, still)) }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(NEEDS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    console.error(`Unknown need: ${unknown.join(', ')} (known: ${NEEDS.join(', ')})`);
    process.exit(2);
  }
  try {
    ensureBrowsers(asked.length > 0 ? (asked as Need[]) : NEEDS);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
