// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { familyOf, instructions, plan, type Family, type Need, type Plan } from '../tools/ensure-browsers';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n';
const UBUNTU = 'NAME="Ubuntu"\nVERSION="24.04 LTS (Noble Numbat)"\nID=ubuntu\nID_LIKE=debian\n';
const MINT = 'NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n';
const RASPBIAN = 'ID=raspbian\nID_LIKE=debian\n';
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\n';
const ROCKY = 'ID="rocky"\nID_LIKE="rhel centos fedora"\n';
const ARCH = 'NAME="Arch Linux"\nID=arch\n';
const ALPINE = 'ID=alpine\n';

describe('familyOf', () => {
  it.each([
    ['linux', DEBIAN, 'debian'],
    ['linux', UBUNTU, 'ubuntu'],
    ['linux', MINT, 'ubuntu'],
    ['linux', RASPBIAN, 'debian'],
    ['linux', FEDORA, 'fedora'],
    ['linux', ROCKY, 'fedora'],
    ['linux', ARCH, 'arch'],
    ['linux', ALPINE, 'other'],
    ['linux', '', 'other'],
    ['darwin', '', 'macos'],
    ['win32', '', 'windows'],
    ['freebsd', '', 'other'],
  ] as const)('%s with %j → %s', (platform, osRelease, expected) => {
    expect(familyOf(platform, osRelease)).toBe(expected);
  });
});

describe('plan: what is missing → what to do', () => {
  const aptInstall = (...packages: string[]) => [['apt-get', 'update'], ['apt-get', 'install', '-y', ...packages]];
  // [family, root, missing, plan]
  it.each<[Family, boolean, Need[], Plan]>([
    ['debian', true, [], { kind: 'ready' }],
    ['macos', false, [], { kind: 'ready' }],
    ['debian', true, ['chromium'], { kind: 'install', packages: ['chromium'], commands: aptInstall('chromium') }],
    ['debian', true, ['japanese-font', 'chromium'], { kind: 'install', packages: ['chromium', 'fonts-ipafont-gothic'], commands: aptInstall('chromium', 'fonts-ipafont-gothic') }],
    ['debian', true, ['chromium', 'firefox', 'japanese-font'], { kind: 'install', packages: ['chromium', 'firefox-esr', 'fonts-ipafont-gothic'], commands: aptInstall('chromium', 'firefox-esr', 'fonts-ipafont-gothic') }],
    ['ubuntu', true, ['chromium', 'firefox'], { kind: 'install', packages: ['chromium-browser', 'firefox'], commands: aptInstall('chromium-browser', 'firefox') }],
    ['debian', false, ['chromium', 'japanese-font'], { kind: 'instruct', missing: ['chromium', 'japanese-font'], command: 'sudo apt-get update && sudo apt-get install -y chromium fonts-ipafont-gothic' }],
    ['ubuntu', false, ['firefox'], { kind: 'instruct', missing: ['firefox'], command: 'sudo apt-get update && sudo apt-get install -y firefox' }],
    // Root elsewhere still does not install: only apt-get is run unattended.
    ['fedora', true, ['chromium', 'japanese-font'], { kind: 'instruct', missing: ['chromium', 'japanese-font'], command: 'sudo dnf install -y chromium google-noto-sans-cjk-fonts' }],
    ['arch', false, ['firefox', 'chromium'], { kind: 'instruct', missing: ['chromium', 'firefox'], command: 'sudo pacman -S --needed chromium firefox' }],
    ['macos', false, ['chromium', 'firefox'], { kind: 'instruct', missing: ['chromium', 'firefox'], command: 'brew install --cask chromium && brew install --cask firefox' }],
    ['windows', false, ['chromium'], { kind: 'instruct', missing: ['chromium'], command: 'winget install Hibbiki.Chromium' }],
    ['other', true, ['chromium'], { kind: 'instruct', missing: ['chromium'], command: '' }],
  ])('%s, root %s, missing %j', (family, root, missing, expected) => {
    expect(plan({ family, root, missing })).toEqual(expected);
  });
});

describe('instructions', () => {
  it('names what is missing, the command, and the path variables', () => {
    const text = instructions({ kind: 'instruct', missing: ['chromium', 'japanese-font'], command: 'sudo apt-get update && sudo apt-get install -y chromium fonts-ipafont-gothic' });
    expect(text).toContain('Missing: Chromium, a Japanese font.');
    expect(text).toContain('  sudo apt-get update && sudo apt-get install -y chromium fonts-ipafont-gothic');
    expect(text).toContain('CHROMIUM_PATH');
    expect(text).not.toContain('FIREFOX_PATH');
  });

  it('says to use the package manager when it knows no command', () => {
    expect(instructions({ kind: 'instruct', missing: ['firefox'], command: '' })).toMatch(/package manager[\s\S]*FIREFOX_PATH/);
  });
});
