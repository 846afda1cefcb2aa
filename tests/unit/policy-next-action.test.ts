// One next action, by precedence (see utils/policy/next-action.ts for the order).
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../utils/api/contract';
import { callWindow } from '../../utils/policy/call-window';
import { nextAction, type CooldownLike, type NextActionInput } from '../../utils/policy/next-action';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const NOW = Date.parse('2025-07-15T10:00:00+09:00');
const iso = (ms: number) => new Date(ms).toISOString();

let seq = 0;
const ev = (type: string, ago: number, extra: Partial<TimelineEvent> = {}): TimelineEvent => ({ id: `e${++seq}`, at: iso(NOW - ago), type, title: `${type} title`, ...extra });
const seminar = (ago: number) => ev('seminar_attended', ago, { title: 'IT部門向けセミナー' });
const video = (ago: number, watchedPercent: number) => ev('video_watched', ago, { title: 'kintone 入門', meta: { watchedPercent } });
const inquiry = (ago: number, form?: string) => ev('form_submit', ago, { title: 'お問い合わせ', ...(form ? { meta: { form } } : {}) });
const call = (ago: number, outcome = 'connected') => ev('call', ago, { meta: { outcome } });

const block = (reason: string): CooldownLike => ({ reason, severity: 'block' });
const warn = (reason: string, until?: number): CooldownLike => ({ reason, severity: 'warn', ...(until ? { until: iso(until) } : {}) });
const open = (agoMin: number) => callWindow(iso(NOW - agoMin * MIN), 120, NOW);
const none = callWindow(undefined, 120, NOW);

describe('nextAction', () => {
  it.each<[string, NextActionInput, CooldownLike[], ReturnType<typeof callWindow>, string, unknown[]]>([
    ['complaint on record beats everything', { timeline: [seminar(H)] }, [block('do_not_call'), block('recently_lost')], open(10), 'do_not_call', []],
    ['recently lost → recycle', { timeline: [seminar(H)] }, [block('recently_lost')], open(10), 'recycle', []],
    ['an unknown API block → recycle', {}, [block('legal_hold')], none, 'recycle', []],
    ['an expired block is ignored', {}, [{ reason: 'recently_lost', severity: 'block', until: iso(NOW - 1) }], none, 'nurture', []],
    ['seminar attended yesterday → check the survey', { timeline: [seminar(D)] }, [], none, 'check_survey', ['IT部門向けセミナー']],
    ['the newest signal wins: an inquiry after an older seminar', { timeline: [seminar(3 * H), video(2 * H, 90), inquiry(H)] }, [], open(60), 'call_back_inquiry', ['お問い合わせ']],
    ['the newest signal wins: a seminar after an older video', { timeline: [video(2 * D, 90), seminar(D)] }, [], none, 'check_survey', ['IT部門向けセミナー']],
    ['a reached call answers every older signal', { timeline: [video(2 * D, 90), seminar(D), call(H)] }, [warn('recent_call')], none, 'wait', []],
    ['seminar 8 days ago is not recent', { timeline: [seminar(8 * D)] }, [], none, 'nurture', []],
    ['seminar already answered by a call', { timeline: [seminar(D), call(H)] }, [warn('recent_call')], none, 'wait', []],
    ['a call before the seminar does not answer it', { timeline: [call(2 * D), seminar(D)] }, [warn('recent_call')], none, 'check_survey', ['IT部門向けセミナー']],
    ['video watched 85 % → call about it', { timeline: [video(H, 85)] }, [], open(60), 'call_about_video', ['kintone 入門']],
    ['video watched 80 % exactly counts', { timeline: [video(H, 80)] }, [], none, 'call_about_video', ['kintone 入門']],
    ['video watched 50 % does not', { timeline: [video(H, 50)] }, [], none, 'nurture', []],
    ['inquiry form → call back', { timeline: [inquiry(30 * MIN)] }, [], open(30), 'call_back_inquiry', ['お問い合わせ']],
    ['a newsletter form is not an inquiry', { timeline: [inquiry(30 * MIN, 'newsletter')] }, [], none, 'nurture', []],
    ['window open → call now with the time left', {}, [], open(37), 'call_now', [{ until: iso(NOW + 83 * MIN) }]],
    ['window open but already reached since', { timeline: [call(10 * MIN)] }, [warn('recent_call')], open(37), 'wait', []],
    ['no answer 10 min ago → try again 30 min after it', { timeline: [call(10 * MIN, 'no_answer')], needDetectedAt: iso(NOW - 37 * MIN) }, [], open(37), 'retry',
      [{ time: iso(NOW + 20 * MIN) }, { message: 'callOutcomeNoAnswer' }, { time: iso(NOW - 10 * MIN) }]],
    ['busy 40 min ago → the next try is due: call now', { timeline: [call(40 * MIN, 'busy')], needDetectedAt: iso(NOW - 50 * MIN) }, [], open(50), 'call_now', [{ until: iso(NOW + 70 * MIN) }]],
    ['a gatekeeper does not answer the seminar: retry, then the seminar again', { timeline: [seminar(H), call(5 * MIN, 'gatekeeper')], needDetectedAt: iso(NOW - H) }, [], open(60), 'retry',
      [{ time: iso(NOW + 25 * MIN) }, { message: 'callOutcomeGatekeeper' }, { time: iso(NOW - 5 * MIN) }]],
    ['no answer before the need does not count as a try', { timeline: [call(2 * H, 'no_answer')], needDetectedAt: iso(NOW - 30 * MIN) }, [], open(30), 'call_now', [{ until: iso(NOW + 90 * MIN) }]],
    ['window missed → not call now', {}, [], callWindow(iso(NOW - 3 * H), 120, NOW), 'nurture', []],
    ['waking sleeper → re-engagement mail', { waking: true }, [], none, 're_engage', []],
    ['window open beats waking', { waking: true }, [], open(5), 'call_now', [{ until: iso(NOW + 115 * MIN) }]],
    ['waking beats a recent-call warning', { waking: true }, [warn('recent_call')], none, 're_engage', []],
    ['recent call → wait', {}, [warn('recent_call')], none, 'wait', []],
    ['contact cap → wait, naming the cap', {}, [warn('contact_cap')], none, 'wait_contact_cap', []],
    ['a recent call and the cap → the recent call is named', {}, [warn('recent_call'), warn('contact_cap')], none, 'wait', []],
    ['quiet hours alone do not say wait', {}, [warn('quiet_hours', NOW + H)], none, 'nurture', []],
    ['nothing → keep nurturing', {}, [], none, 'nurture', []],
  ])('%s', (_name, detail, cooldowns, window, kind, params) => {
    const action = nextAction(detail, cooldowns, window, NOW);
    expect(action.kind).toBe(kind);
    expect(action.params).toEqual(params);
  });

  it.each([
    ['call now', {}, open(10), 'call_now', iso(NOW + 12 * H)],
    ['call about a video', { timeline: [video(H, 90)] }, none, 'call_about_video', iso(NOW + 12 * H)],
    ['not for checking a survey', { timeline: [seminar(H)] }, none, 'check_survey', undefined],
  ])('outside business hours, a suggested call waits for the opening (%s)', (_name, detail, window, kind, notBefore) => {
    const action = nextAction(detail, [warn('quiet_hours', NOW + 12 * H)], window, new Date(NOW));
    expect(action.kind).toBe(kind);
    expect(action.notBefore).toBe(notBefore);
  });

  it('points at the event behind a signal', () => {
    const s = seminar(H);
    expect(nextAction({ timeline: [s] }, [], none, NOW).eventId).toBe(s.id);
  });
});
