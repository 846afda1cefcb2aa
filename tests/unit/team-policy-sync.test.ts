/**
 * The team policy in force on the rep's side: the precedence (administrator > server > the rep's
 * own > defaults) and the background's fetch at each sync (GET /v1/policy with If-None-Match),
 * over fakeBrowser's storage and the real API client on a scripted fetch.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ScoringApiClient } from '../../utils/api/client';
import { DEFAULT_TEAM_POLICY, type TeamPolicy } from '../../utils/policy/team-policy';
import type { ManagedTeamPolicy } from '../../utils/preferences/managed';
import { loadTeamPolicy, resolveTeamPolicy } from '../../utils/preferences/team-policy';
import { serverPolicyItem, teamPolicyItem, type Connection } from '../../utils/settings';
import { syncTeamPolicy } from '../../utils/sync/policy';

const own: TeamPolicy = { ...DEFAULT_TEAM_POLICY, recentCallHours: 2, lostCooldownDays: 7 };
const served: TeamPolicy = { ...DEFAULT_TEAM_POLICY, recentCallHours: 24, retryMinutes: 15 };

describe('resolveTeamPolicy (precedence)', () => {
  it.each([
    ['nothing anywhere: the defaults', null, undefined, undefined, DEFAULT_TEAM_POLICY, 'own', []],
    ["no server: the rep's own", own, undefined, undefined, own, 'own', []],
    ["a server: its policy, the rep's own ignored", own, served, undefined, served, 'server', []],
    ["the administrator's field over the server's", own, served, { recentCallHours: 72 }, { ...served, recentCallHours: 72 }, 'server', ['recentCallHours']],
    ["the administrator's business hours over the rep's own", own, undefined, { businessHours: { start: '08:00', end: '17:00', days: [1, 2, 3, 4, 5, 6], timeZone: 'Asia/Tokyo' } },
      { ...own, businessHours: { start: '08:00', end: '17:00', days: [1, 2, 3, 4, 5, 6], timeZone: 'Asia/Tokyo' } }, 'own', ['businessHours']],
    ["an invalid stored own policy: the defaults, not the broken one", { recentCallHours: -5 }, undefined, undefined, DEFAULT_TEAM_POLICY, 'own', []],
  ] as const)('%s', (_name, stored, server, managed, expected, base, adminFields) => {
    const resolved = resolveTeamPolicy(stored, server ? { policy: server } : undefined, managed as ManagedTeamPolicy | undefined);
    expect(resolved.policy).toEqual(expected);
    expect(resolved.base).toBe(base);
    expect([...resolved.adminFields]).toEqual(adminFields);
  });

  it('loadTeamPolicy reads the three from storage', async () => {
    await teamPolicyItem.setValue(own);
    await serverPolicyItem.setValue({ policy: served, version: 2, team: 'east', apiUrl: 'https://api.test', fetchedAt: 1 });
    expect(await loadTeamPolicy(async () => ({ teamPolicy: { lostCooldownDays: 30 } }))).toEqual({ ...served, lostCooldownDays: 30 });
    // A stored server record that no longer parses is no policy at all: the rep's own applies.
    await serverPolicyItem.setValue({ policy: { recentCallHours: 'soon' }, version: 2, team: null, apiUrl: 'https://api.test', fetchedAt: 1 });
    expect(await loadTeamPolicy(async () => ({}))).toEqual(own);
  });
});

describe('syncTeamPolicy (the background, each sync)', () => {
  const connection: Connection = { apiUrl: 'https://api.test', token: 't' };
  let requests: { url: string; ifNoneMatch: string | null }[];
  let answers: (() => Response)[];

  beforeEach(() => {
    requests = [];
    answers = [];
  });

  const fetchImpl: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    requests.push({ url: String(input), ifNoneMatch: headers.get('If-None-Match') });
    const next = answers.shift();
    if (!next) throw new TypeError('offline');
    return next();
  };
  const json = (body: unknown, etag: string) => () => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json', ETag: etag } });
  const status = (code: number) => () => new Response(code === 304 ? null : JSON.stringify({ error: { code: 'x', message: 'x' } }), { status: code });
  let clock = 1000;
  const deps = (conn: Connection | null = connection) => ({
    loadConnection: async () => conn,
    createClient: (c: Connection) => new ScoringApiClient({ baseUrl: c.apiUrl, token: c.token, fetch: fetchImpl }),
    now: () => clock,
  });
  const answer = { policy: served, version: 2, updatedAt: '2026-11-27T03:00:00.000Z', team: 'east' };

  it('stores a new policy with its ETag, then sends the ETag and writes nothing on 304', async () => {
    answers.push(json(answer, '"p-a"'));
    expect(await syncTeamPolicy(deps())).toEqual({ outcome: 'updated' });
    expect(requests).toEqual([{ url: 'https://api.test/v1/policy', ifNoneMatch: null }]);
    expect(await serverPolicyItem.getValue()).toEqual({ ...answer, etag: '"p-a"', apiUrl: 'https://api.test', fetchedAt: 1000 });

    let writes = 0;
    const unwatch = serverPolicyItem.watch(() => writes++);
    answers.push(status(304));
    clock = 2000;
    expect(await syncTeamPolicy(deps())).toEqual({ outcome: 'unchanged' });
    expect(requests[1]).toEqual({ url: 'https://api.test/v1/policy', ifNoneMatch: '"p-a"' });
    unwatch();
    expect(writes).toBe(0);
    expect(await loadTeamPolicy(async () => ({}))).toEqual(served);
  });

  it("a manager's change arrives: the new version replaces the old", async () => {
    await serverPolicyItem.setValue({ ...answer, etag: '"p-a"', apiUrl: 'https://api.test', fetchedAt: 1 });
    answers.push(json({ ...answer, version: 3, policy: { ...served, recentCallHours: 12 } }, '"p-b"'));
    expect(await syncTeamPolicy(deps())).toEqual({ outcome: 'updated' });
    expect(await loadTeamPolicy(async () => ({}))).toEqual({ ...served, recentCallHours: 12 });
  });

  it('offline, a 5xx or a refused token keep the stored policy in force', async () => {
    const stored = { ...answer, etag: '"p-a"', apiUrl: 'https://api.test', fetchedAt: 1 };
    await serverPolicyItem.setValue(stored);
    expect((await syncTeamPolicy(deps())).outcome).toBe('kept'); // no answer: offline
    answers.push(status(503));
    expect(await syncTeamPolicy(deps())).toMatchObject({ outcome: 'kept', error: { kind: 'rate_limited' } });
    answers.push(status(401));
    expect(await syncTeamPolicy(deps())).toMatchObject({ outcome: 'kept', error: { kind: 'unauthorized' } });
    expect(await serverPolicyItem.getValue()).toEqual(stored);
  });

  it('a policy this build cannot read is refused with the field and the reason; the last one stays', async () => {
    const stored = { ...answer, etag: '"p-a"', apiUrl: 'https://api.test', fetchedAt: 1 };
    await serverPolicyItem.setValue(stored);
    answers.push(json({ ...answer, policy: { ...served, recentCallHours: -1 } }, '"p-c"'));
    const report = await syncTeamPolicy(deps());
    expect(report.outcome).toBe('kept');
    expect(report.error?.kind === 'bad_shape' && report.error.issues.join(' ')).toMatch(/policy\.recentCallHours/);
    expect(await serverPolicyItem.getValue()).toEqual(stored);
  });

  it("a server without the route (404) or no connection: the server's policy is dropped, the rep's own applies", async () => {
    await teamPolicyItem.setValue(own);
    await serverPolicyItem.setValue({ ...answer, apiUrl: 'https://api.test', fetchedAt: 1 });
    answers.push(status(404));
    expect(await syncTeamPolicy(deps())).toEqual({ outcome: 'cleared' });
    expect(await loadTeamPolicy(async () => ({}))).toEqual(own);

    await serverPolicyItem.setValue({ ...answer, apiUrl: 'https://api.test', fetchedAt: 1 });
    expect(await syncTeamPolicy(deps(null))).toEqual({ outcome: 'cleared' });
    expect(await serverPolicyItem.getValue()).toBeNull();
    expect(requests).toHaveLength(1);
    expect(await syncTeamPolicy(deps(null))).toEqual({ outcome: 'unchanged' });
  });

  it("the feed's LeadLens-Policy header decides: the same ETag asks nothing, another one asks, none drops the policy", async () => {
    const stored = { ...answer, etag: '"p-a"', apiUrl: 'https://api.test', fetchedAt: 1 };
    await serverPolicyItem.setValue(stored);
    expect(await syncTeamPolicy(deps(), '"p-a"')).toEqual({ outcome: 'unchanged' });
    expect(requests).toEqual([]);
    answers.push(json({ ...answer, version: 3 }, '"p-b"'));
    expect(await syncTeamPolicy(deps(), '"p-b"')).toEqual({ outcome: 'updated' });
    expect(requests).toEqual([{ url: 'https://api.test/v1/policy', ifNoneMatch: '"p-a"' }]);
    expect(await syncTeamPolicy(deps(), null)).toEqual({ outcome: 'cleared' });
    expect(requests).toHaveLength(1);
    expect(await serverPolicyItem.getValue()).toBeNull();
  });

  it("another server's ETag is not sent to this one", async () => {
    await serverPolicyItem.setValue({ ...answer, etag: '"p-a"', apiUrl: 'https://old.test', fetchedAt: 1 });
    answers.push(json(answer, '"p-z"'));
    expect(await syncTeamPolicy(deps())).toEqual({ outcome: 'updated' });
    expect(requests[0]?.ifNoneMatch).toBeNull();
    expect(await fakeBrowser.storage.local.get('serverTeamPolicy')).toMatchObject({ serverTeamPolicy: { apiUrl: 'https://api.test', etag: '"p-z"' } });
  });
});
