import { describe, expect, it } from 'vitest';
import type { LeadDetail } from '../../utils/api/contract';
import { foundState, PanelController } from '../../utils/content/panel-controller';
import type { LookupAnswer, PanelContext } from '../../utils/messaging';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/cooldowns';
import { iso, lead, MIN, NOW } from './db-helpers';

const context = (extra: Partial<PanelContext> = {}): PanelContext => ({ policy: DEFAULT_TEAM_POLICY, callWindowMinutes: 120, followed: false, muted: false, outbox: [], ...extra });
const detail = (id: string): LeadDetail => ({ ...lead(id), breakdown: [], cooldowns: [], interests: [], timeline: [{ id: 'e1', at: iso(NOW - MIN), type: 'web_visit', title: 'Pricing' }] });
const RECORD = { crm: 'salesforce', objectType: 'Lead', recordId: '00Q000000000000001', host: 'acme.my.salesforce.com' } as const;

function setup(answers: Record<string, (message: { type: string; [key: string]: unknown }) => unknown>) {
  const sent: { type: string; [key: string]: unknown }[] = [];
  const timers: { ms: number; run: () => void }[] = [];
  const transport = {
    sendMessage: async (message: unknown) => {
      const m = message as { type: string };
      sent.push(m);
      const answer = answers[m.type];
      if (!answer) throw new Error(`unexpected ${m.type}`);
      return answer(m);
    },
  };
  const controller = new PanelController(transport, {
    setTimeout: (run, ms) => timers.push({ ms, run }),
    clearTimeout: (id) => { const t = timers[id - 1]; if (t) t.run = () => undefined; },
  }, () => NOW);
  return { controller, sent, timers };
}

describe('PanelController', () => {
  it('shows the answer of the lookup with its context: cooldowns, next action, timeline with calls in flight', async () => {
    const ctx = context({
      timeline: [{ id: 'outbox:k1', at: iso(NOW), type: 'call', title: '', status: 'sending' }, ...detail('1').timeline],
      decisions: { cooldowns: [], window: { state: 'none' }, progress: { state: 'none' }, nextAction: { kind: 'nurture', messageKey: 'nextActionNurture', params: [] } },
      followed: true,
    });
    const found: LookupAnswer = { status: 'found', lead: lead('1'), detail: detail('1'), asOf: iso(NOW), stale: false, context: ctx };
    const t = setup({ lookup: () => found });
    await t.controller.show(RECORD, new AbortController().signal);
    const state = t.controller.state.value;
    expect(state.kind === 'found' && state.detail?.timeline.map((e) => e.id)).toEqual(['outbox:k1', 'e1']);
    expect(state).toMatchObject({ kind: 'found', followed: true, nextAction: { kind: 'nurture' }, callWindowMinutes: 120 });
  });

  it('on focus, replaces summary, detail and decisions together without showing "loading"', async () => {
    let answer: LookupAnswer = { status: 'found', lead: lead('1'), detail: detail('1'), asOf: iso(NOW), stale: false, context: context({}) };
    const t = setup({ lookup: () => answer });
    await t.controller.show(RECORD, new AbortController().signal);
    const seminar = { id: 'e9', at: iso(NOW), type: 'seminar_attended', title: 'DX セミナー' };
    answer = {
      status: 'found', lead: { ...lead('1'), score: 96 }, detail: { ...detail('1'), score: 96, timeline: [seminar, ...detail('1').timeline] }, asOf: iso(NOW), stale: false,
      context: context({ decisions: { cooldowns: [], window: { state: 'none' }, progress: { state: 'none' }, nextAction: { kind: 'check_survey', messageKey: 'nextActionCheckSurvey', params: ['DX セミナー'] } } }),
    };
    const states: string[] = [];
    const stop = t.controller.state.subscribe((s) => states.push(s.kind));
    await t.controller.revalidate(RECORD, new AbortController().signal);
    stop();
    const state = t.controller.state.value;
    expect(states).not.toContain('loading');
    expect(state).toMatchObject({ kind: 'found', lead: { score: 96 }, nextAction: { kind: 'check_survey' } });
    expect(state.kind === 'found' && state.detail?.timeline[0]?.id).toBe('e9');
  });

  it('drops the answer of a record the user already navigated away from', async () => {
    const t = setup({ lookup: () => ({ status: 'found', lead: lead('1'), asOf: iso(NOW), stale: false }) });
    const navigation = new AbortController();
    const pending = t.controller.show(RECORD, navigation.signal);
    navigation.abort();
    await pending;
    expect(t.controller.state.value).toEqual({ kind: 'loading' });
  });

  it.each([
    ['not found', { status: 'not_found' }, { kind: 'not_found' }],
    ['not connected', { status: 'not_connected' }, { kind: 'not_connected' }],
    ['an error', { status: 'error', message: 'Cannot reach https://api.test' }, { kind: 'error', message: 'Cannot reach https://api.test' }],
  ] as const)('shows %s', async (_name, reply, expected) => {
    const t = setup({ lookup: () => reply });
    await t.controller.show(RECORD, new AbortController().signal);
    expect(t.controller.state.value).toEqual(expected);
  });

  it('applies pushes for the lead on screen only', async () => {
    const t = setup({ lookup: () => ({ status: 'found', lead: lead('1'), asOf: iso(NOW - MIN), stale: true }) });
    await t.controller.show(RECORD, new AbortController().signal);
    t.controller.apply({ type: 'leadlens:lead', lead: lead('2', { score: 99 }), asOf: iso(NOW), stale: false });
    expect(t.controller.state.value).toMatchObject({ lead: { id: '1' }, stale: true });
    t.controller.apply({ type: 'leadlens:lead', lead: lead('1', { score: 99 }), detail: detail('1'), asOf: iso(NOW), stale: false });
    expect(t.controller.state.value).toMatchObject({ lead: { score: 99 }, stale: false, detail: { id: '1' } });
    t.controller.apply({ type: 'leadlens:context', leadId: '1', context: context({ muted: true }) });
    expect(t.controller.state.value).toMatchObject({ muted: true, detail: { id: '1' } });
  });

  it('sends a call log for the lead on screen and shows the context that comes back', async () => {
    const t = setup({
      lookup: () => ({ status: 'found', lead: lead('1'), detail: detail('1'), asOf: iso(NOW), stale: false }),
      logCall: () => ({ ok: true, context: context({ timeline: [{ id: 'outbox:k9', at: iso(NOW), type: 'call', title: '', status: 'sending' }] }) }),
    });
    await t.controller.show(RECORD, new AbortController().signal);
    await t.controller.logCall({ outcome: 'lost', lossReason: 'price', note: '予算' });
    expect(t.sent.at(-1)).toEqual({ type: 'logCall', leadId: '1', outcome: 'lost', lossReason: 'price', note: '予算' });
    const state = t.controller.state.value;
    expect(state.kind === 'found' && state.detail?.timeline[0]?.status).toBe('sending');
  });

  it('asks for fresh decisions when they expire (a cooldown ends, a window closes)', async () => {
    let calls = 0;
    const t = setup({
      lookup: () => ({ status: 'found', lead: lead('1'), asOf: iso(NOW), stale: false, context: context({ decisions: { cooldowns: [], window: { state: 'none' }, progress: { state: 'none' }, nextChange: NOW + 10 * MIN } }) }),
      panelContext: () => { calls++; return context({ muted: true }); },
    });
    await t.controller.show(RECORD, new AbortController().signal);
    expect(t.timers.at(-1)?.ms).toBe(10 * MIN + 500);
    t.timers.at(-1)?.run();
    await expect.poll(() => t.controller.state.value).toMatchObject({ muted: true });
    expect(calls).toBe(1);
  });
});

describe('foundState', () => {
  it('carries "sign in again" from the context, and only from it', () => {
    expect(foundState(lead('L1'), undefined, '2026-11-24T01:00:00.000Z', true, context({ signIn: true })).signIn).toBe(true);
    expect(foundState(lead('L1'), undefined, '2026-11-24T01:00:00.000Z', true, context()).signIn).toBeUndefined();
  });
});

describe('PanelController recycle', () => {
  it('sends the lead to nurture with the track, frequency and address the rep chose', async () => {
    const t = setup({
      lookup: () => ({ status: 'found', lead: lead('1'), asOf: iso(NOW), stale: false }),
      recycle: () => ({ ok: true, context: context() }),
    });
    await t.controller.show(RECORD, new AbortController().signal);
    await t.controller.recycle({ track: 'kintone活用', frequency: 'biweekly', email: 'taro@acme.example.jp' });
    expect(t.sent.at(-1)).toEqual({ type: 'recycle', leadId: '1', track: 'kintone活用', frequency: 'biweekly', email: 'taro@acme.example.jp' });
  });
});
