// The panel's parts, rendered with the English catalogue at fixed clocks (Asia/Tokyo).
import { render, type ComponentChild } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { KNOWN_EVENT_TYPES, type ScoreFactor } from '../../utils/api/contract';
import { DEFAULT_TEAM_POLICY, evaluateCooldowns } from '../../utils/policy/cooldowns';
import { NEXT_ACTION_MESSAGES } from '../../utils/policy/next-action';
import { CallWindow } from '../../components/panel/CallWindow';
import { CooldownBanner } from '../../components/panel/CooldownBanner';
import { FollowMute } from '../../components/panel/FollowMute';
import { Header } from '../../components/panel/Header';
import { telHref } from '../../components/panel/format';
import { Interests } from '../../components/panel/Interests';
import { LogCallForm } from '../../components/panel/LogCallForm';
import { NextAction } from '../../components/panel/NextAction';
import { Score } from '../../components/panel/Score';
import { ScoreBreakdown } from '../../components/panel/ScoreBreakdown';
import { Timeline, type PanelEvent } from '../../components/panel/Timeline';
import { englishRenderRoot } from './english';

let root: HTMLDivElement;
englishRenderRoot((element) => (root = element));

const show = (node: ComponentChild) => {
  render(node, root);
  return root;
};
const text = (selector: string) => root.querySelector(selector)?.textContent ?? null;
const texts = (selector: string) => [...root.querySelectorAll(selector)].map((e) => e.textContent);

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const NOW = Date.parse('2025-07-15T10:00:00+09:00'); // Tuesday
const iso = (ms: number) => new Date(ms).toISOString();
const L = { locale: 'en-US', timeZone: 'Asia/Tokyo' };

describe('Header', () => {
  it.each([
    ['lead', false, 'Prospect', false],
    ['process', false, 'Process', false],
    ['sleep', true, 'Sleep', true],
    ['churn', false, 'Churn', false],
  ] as const)('stage %s, waking %s → chip %s', (stage, waking, chip, mark) => {
    show(<Header lead={{ name: 'Tanaka', company: 'Acme', owner: { id: 'u', name: 'Sato' }, stage, waking }} />);
    expect(text('.stage')).toBe(chip);
    expect(root.querySelector('.waking') !== null).toBe(mark);
    expect(text('.owner')).toBe('Owner: Sato');
    expect(text('[data-testid="lead-name"]')).toBe('Tanaka');
  });
});

describe('Header: the number to dial', () => {
  it.each([
    ['03-1234-5678', 'tel:0312345678'],
    ['+81 3-1234-5678', 'tel:+81312345678'],
    ['(206) 555-0100', 'tel:2065550100'],
    ['０３−１２３４−５６７８', 'tel:0312345678'],
    ['03-1234-5678 内線 12', 'tel:0312345678'],
    ['+1 206 555 0100 ext. 7', 'tel:+12065550100'],
    ['javascript:alert(1)', undefined],
    ['—', undefined],
  ] as const)('%s → %s', (phone, href) => {
    expect(telHref(phone)).toBe(href);
  });

  it('links the number while the lead may be called; shows it unlinked while a block is in force', () => {
    const lead = { name: 'Tanaka', company: 'Acme', stage: 'lead', waking: false, phone: '03-1234-5678' } as const;
    show(<Header lead={lead} />);
    expect(root.querySelector('a[data-testid="lead-phone"]')?.getAttribute('href')).toBe('tel:0312345678');
    show(<Header lead={lead} blocked />);
    expect(root.querySelector('a[data-testid="lead-phone"]')).toBeNull();
    expect(text('[data-testid="lead-phone"]')).toBe('03-1234-5678');
    show(<Header lead={{ ...lead, phone: undefined }} />);
    expect(root.querySelector('[data-testid="lead-phone"]')).toBeNull();
  });
});

describe('Score', () => {
  it.each([
    [74.4, 12.2, 'hot', '74', 'Hot', '+12 in 24 h', 'up'],
    [40, -8, 'warm', '40', 'Warm', '−8 in 24 h', 'down'],
    [10, 0.3, 'cold', '10', 'Cold', '±0 in 24 h', 'flat'],
  ] as const)('%d (%d) %s', (score, change, band, value, label, changeText, direction) => {
    show(<Score lead={{ score, scoreChange24h: change, band }} />);
    expect(text('[data-testid="lead-score"]')).toBe(value);
    expect(text('[data-testid="lead-band"]')).toBe(label);
    expect(text('.change')).toBe(changeText);
    expect(root.querySelector(`.score.band-${band} .change.${direction}`)).not.toBeNull();
  });
});

describe('CallWindow', () => {
  it.each([
    ['open', NOW - 37 * MIN, 'Need detected 37 min ago', '1 h 23 min left'],
    ['missed', NOW - 140 * MIN, 'Need detected 2 h 20 min ago', 'Deadline passed 20 min ago'],
  ])('%s', (state, detectedAt, detected, left) => {
    show(<CallWindow needDetectedAt={iso(detectedAt)} needReason="Attended seminar: DX 入門" windowMinutes={120} now={NOW} locale="en-US" />);
    expect(root.querySelector(`.window.${state}`)).not.toBeNull();
    expect(text('.window-detected')).toBe(detected);
    expect(text('.window-left')).toBe(left);
    expect(text('.need-reason')).toBe('Attended seminar: DX 入門');
  });

  it('re-renders from the time it is given (the parent ticks)', () => {
    show(<CallWindow needDetectedAt={iso(NOW - 37 * MIN)} windowMinutes={120} now={NOW} locale="ja" />);
    expect(text('.window-left')).toBe('1時間23分 left');
    show(<CallWindow needDetectedAt={iso(NOW - 37 * MIN)} windowMinutes={120} now={NOW + MIN} locale="ja" />);
    expect(text('.window-left')).toBe('1時間22分 left');
  });

  it.each([
    ['a reason without a time: shown once, no countdown', 'Score reached 72', 'Need signal', 1],
    ['nothing at all: nothing shown', undefined, null, 0],
  ])('%s', (_name, needReason, label, count) => {
    show(<CallWindow needReason={needReason} windowMinutes={120} now={NOW} locale="en-US" />);
    expect(text('.need-label')).toBe(label);
    expect(root.querySelectorAll('.need-reason').length).toBe(count);
    expect(root.querySelector('.window-left')).toBeNull();
  });
});

describe('CooldownBanner', () => {
  it('a red block and amber warnings, reason in words, until when', () => {
    const cooldowns = evaluateCooldowns({
      timeline: [
        { id: 'a', at: iso(NOW - 5 * D), type: 'deal_lost', title: 'Lost', meta: { lossReason: 'price' } },
        { id: 'b', at: iso(NOW - 2 * H), type: 'call', title: 'Call', actor: 'Sato', meta: { outcome: 'connected' } },
      ],
    }, DEFAULT_TEAM_POLICY, NOW + 10 * H, 'Tanaka'); // Tuesday 20:00 JST: after hours too
    show(<CooldownBanner cooldowns={cooldowns} now={NOW + 10 * H} {...L} />);
    expect([...root.querySelectorAll('.cooldown')].map((e) => [e.getAttribute('data-reason'), e.className, e.getAttribute('role')])).toEqual([
      ['recently_lost', 'cooldown block', 'alert'],
      ['recent_call', 'cooldown warn', 'status'],
      ['quiet_hours', 'cooldown warn', 'status'],
    ]);
    expect(texts('.cooldown-title')).toEqual(['Do not call Recently lost', 'Caution Called recently', 'Caution Outside business hours']);
    expect(texts('.cooldown-message')).toEqual(['Lost 5 days ago (reason: Price).', 'Sato called 12 h ago. (Connected)', 'Business hours are 09:00–19:00.']);
    expect(texts('.cooldown-until')).toEqual(['Until Thu, Jul 24, 10:00 AM', 'Until Thu, Jul 17, 08:00 AM', 'Until Wed, Jul 16, 09:00 AM']);
  });

  it('a complaint has no end; an unknown reason shows the API message', () => {
    show(<CooldownBanner {...L} now={NOW} cooldowns={evaluateCooldowns({
      timeline: [{ id: 'c', at: iso(NOW - 100 * D), type: 'complaint', title: 'Complaint' }],
      cooldowns: [{ reason: 'legal_hold', severity: 'block', message: 'Legal hold until the audit ends' }],
    }, DEFAULT_TEAM_POLICY, NOW)} />);
    expect(texts('.cooldown-title')).toEqual(['Do not call Complaint on record', 'Do not call Cooldown']);
    expect(texts('.cooldown-message')).toEqual(['Complaint received Sun, Apr 6, 10:00 AM.', 'Legal hold until the audit ends']);
    expect(texts('.cooldown-until')).toEqual(['No end date', 'No end date']);
  });

  it('counts "ago" from the clock it is given', () => {
    const cooldowns = evaluateCooldowns({ timeline: [{ id: 'b', at: iso(NOW - 2 * H), type: 'call', title: 'Call' }] }, DEFAULT_TEAM_POLICY, NOW);
    show(<CooldownBanner cooldowns={cooldowns} now={NOW} {...L} />);
    expect(text('.cooldown-message')).toBe('Called 2 h ago.');
    show(<CooldownBanner cooldowns={cooldowns} now={NOW + 50 * MIN} {...L} />);
    expect(text('.cooldown-message')).toBe('Called 2 h 50 min ago.');
  });

  it('renders nothing without cooldowns', () => {
    show(<CooldownBanner cooldowns={[]} now={NOW} {...L} />);
    expect(root.innerHTML).toBe('');
  });
});

describe('ScoreBreakdown', () => {
  const factors: ScoreFactor[] = [
    { key: 'web', label: 'Web visits', points: 6.04, kind: 'behavior', count: 4, lastAt: iso(NOW - D) },
    { key: 'lost', label: 'Lost 5 days ago', points: -40, kind: 'timing', count: 1, lastAt: iso(NOW - 5 * D) },
    { key: 'seminar', label: 'Seminars attended', points: 20, kind: 'behavior', count: 1 },
    { key: 'size', label: 'Company size 1,000+', points: 10, kind: 'profile' },
  ];

  it('lists every factor, largest absolute points first, with direction, bar, count and last time', () => {
    show(<ScoreBreakdown factors={factors} {...L} />);
    expect(texts('.factor-label')).toEqual(['Lost 5 days ago', 'Seminars attended', 'Company size 1,000+', 'Web visits']);
    expect(texts('.factor-points')).toEqual(['−40', '+20', '+10', '+6']);
    expect([...root.querySelectorAll('.factor')].map((e) => e.className)).toEqual(['factor neg', 'factor pos', 'factor pos', 'factor pos']);
    expect([...root.querySelectorAll<HTMLElement>('.factor-bar > span')].map((e) => e.style.width)).toEqual(['50.0%', '25.0%', '12.5%', '7.5%']);
    expect(texts('.factor-meta')).toEqual(['×1last Thu, Jul 10, 10:00 AM', '×1', '×4last Mon, Jul 14, 10:00 AM']);
  });

  it('says so when there is nothing yet', () => {
    show(<ScoreBreakdown factors={[]} {...L} />);
    expect(text('.breakdown p')).toBe('No score factors yet.');
  });
});

describe('Timeline', () => {
  const events: PanelEvent[] = [
    { id: 'old', at: '2025-07-13T23:30:00+09:00', type: 'seminar_attended', title: 'IT部門向けセミナー' },
    { id: 'v', at: '2025-07-14T09:05:00+09:00', type: 'video_watched', title: 'kintone 入門', meta: { watchedPercent: 85.4 } },
    { id: 'x', at: '2025-07-14T00:10:00+09:00', type: 'hologram_meeting', title: 'Something new' },
    { id: 'c', at: '2025-07-15T09:30:00+09:00', type: 'call', title: 'Call', actor: 'Sato', meta: { outcome: 'no_answer' } },
    { id: 'l', at: '2025-07-15T08:00:00+09:00', type: 'deal_lost', title: 'Lost', meta: { lossReason: 'competitor' } },
    { id: 'p', at: '2025-07-15T09:59:00+09:00', type: 'call', title: 'Call', pending: true, meta: { outcome: 'connected' } },
    { id: 's', at: '2025-07-15T09:58:00+09:00', type: 'call', title: 'Call', status: 'sent', meta: { outcome: 'lost', lossReason: 'budget_freeze' } },
  ];

  it('groups by day in the zone, newest first, with today and yesterday named', () => {
    show(<Timeline events={events} now={NOW} {...L} />);
    expect([...root.querySelectorAll('.day')].map((d) => [d.getAttribute('data-day'), d.querySelector('.day-title')?.textContent, [...d.querySelectorAll('.event')].map((e) => e.getAttribute('data-type'))])).toEqual([
      ['2025-07-15', 'Today', ['call', 'call', 'call', 'deal_lost']],
      ['2025-07-14', 'Yesterday', ['video_watched', 'hologram_meeting']],
      ['2025-07-13', 'Sun, Jul 13', ['seminar_attended']],
    ]);
  });

  it('gives known types their icon and unknown types the generic one', () => {
    show(<Timeline events={events} now={NOW} {...L} />);
    expect(root.querySelectorAll('.ev-icon.ev-generic').length).toBe(1);
    expect(root.querySelector('[data-type="hologram_meeting"] .ev-icon')?.className).toBe('ev-icon ev-generic');
    expect(root.querySelector('[data-type="hologram_meeting"] .ev-type')?.textContent).toBe('Activity');
    expect(root.querySelector('[data-type="seminar_attended"] .ev-icon')?.className).toBe('ev-icon');
    expect(root.querySelector('[data-type="seminar_attended"] .ev-type')?.textContent).toBe('Seminar attended');
  });

  it('labels every known type from the catalogue', () => {
    show(<Timeline events={KNOWN_EVENT_TYPES.map((type, i) => ({ id: type, at: iso(NOW - i * MIN), type, title: type }))} now={NOW} {...L} />);
    const labels = [...root.querySelectorAll('.ev-type')].map((e) => e.textContent);
    expect(labels.every((l) => l && !l.startsWith('eventType')), labels.join()).toBe(true);
    expect(new Set(labels).size).toBe(KNOWN_EVENT_TYPES.length);
    expect(root.querySelector('.ev-generic')).toBeNull();
  });

  it('shows watch percentage, outcomes, loss reasons, actor and sending state', () => {
    show(<Timeline events={events} now={NOW} {...L} />);
    const meta = (id: number) => root.querySelectorAll('.event .ev-meta')[id]?.textContent;
    expect(texts('.ev-title')).toEqual(['Call', 'Call', 'Call', 'Lost', 'kintone 入門', 'Something new', 'IT部門向けセミナー']);
    expect(meta(0)).toBe('ConnectedSending…');
    expect(meta(1)).toBe('LostLoss reason: budget_freezeSent');
    expect(meta(2)).toBe('No answerby Sato');
    expect(meta(3)).toBe('Loss reason: Competitor');
    expect(meta(4)).toBe('Watched 85%');
    expect(texts('.event time')).toEqual(['09:59 AM', '09:58 AM', '09:30 AM', '08:00 AM', '09:05 AM', '12:10 AM', '11:30 PM']);
  });

  it('shows a write the server refused, and its reason, as text', () => {
    show(<Timeline events={[{ id: 'f', at: iso(NOW - MIN), type: 'call', title: '', status: 'failed', error: '<b>Lead archived</b>', meta: { outcome: 'connected' } }]} now={NOW} {...L} />);
    expect(text('.ev-meta')).toBe('ConnectedNot sent<b>Lead archived</b>');
    expect(root.querySelector('.ev-title, b')).toBeNull();
  });

  it.each([
    ['a cursor and a handler → the button loads older events', 'cursor-1', true, 1],
    ['no cursor → no button', undefined, false, 0],
  ])('%s', (_name, cursor, present, calls) => {
    const onLoadOlder = vi.fn();
    show(<Timeline events={events} cursor={cursor} onLoadOlder={onLoadOlder} now={NOW} {...L} />);
    const button = root.querySelector<HTMLButtonElement>('button.older');
    expect(button !== null).toBe(present);
    button?.click();
    expect(onLoadOlder).toHaveBeenCalledTimes(calls);
  });

  it('says so when empty', () => {
    show(<Timeline events={[]} now={NOW} {...L} />);
    expect(text('.timeline p')).toBe('No touchpoints yet.');
  });
});

describe('Interests and NextAction', () => {
  it('lists topics heaviest first, as shares', () => {
    show(<Interests interests={[{ topic: '料金', weight: 0.2 }, { topic: 'セキュリティ', weight: 0.5 }, { topic: '導入事例', weight: 0.3 }]} />);
    expect(texts('.topic-name')).toEqual(['セキュリティ', '導入事例', '料金']);
    expect(texts('.topic-weight')).toEqual(['50%', '30%', '20%']);
  });

  it.each([
    [{ kind: 'call_now', params: [{ until: iso(NOW + 83 * MIN) }] }, 'Call now — 1 h 23 min left', null],
    [{ kind: 'check_survey', params: ['IT部門向けセミナー'] }, 'Check the post-seminar survey: IT部門向けセミナー', null],
    [{ kind: 'call_about_video', params: ['kintone 入門'], notBefore: '2025-07-16T00:00:00.000Z' }, 'Call about “kintone 入門”', 'Not before Wed, Jul 16, 09:00 AM (outside business hours now)'],
    [{ kind: 'do_not_call', params: [] }, 'Do not call (complaint on record)', null],
    [{ kind: 'nurture', params: [] }, 'Keep nurturing', null],
  ] as const)('%j', (action, expected, when) => {
    show(<NextAction action={{ ...action, messageKey: NEXT_ACTION_MESSAGES[action.kind], params: [...action.params] }} now={NOW} {...L} />);
    expect(text('.next-text')).toBe(expected);
    expect(text('.next-when')).toBe(when);
  });
});

describe('FollowMute', () => {
  it.each([
    [false, false, ['Follow', 'Mute alerts'], ['false', 'false']],
    [true, true, ['Following', 'Alerts muted'], ['true', 'true']],
  ])('followed %s, muted %s', (followed, muted, labels, pressed) => {
    const onFollowChange = vi.fn();
    const onMuteChange = vi.fn();
    show(<FollowMute followed={followed} muted={muted} onFollowChange={onFollowChange} onMuteChange={onMuteChange} isTrusted={() => true} />);
    expect(texts('button')).toEqual(labels);
    expect([...root.querySelectorAll('button')].map((b) => b.getAttribute('aria-pressed'))).toEqual(pressed);
    for (const b of root.querySelectorAll('button')) b.click();
    expect(onFollowChange).toHaveBeenCalledWith(!followed);
    expect(onMuteChange).toHaveBeenCalledWith(!muted);
  });
});

describe('LogCallForm', () => {
  /** A stand-in for the browser's isTrusted: events the test marks as forged are the page's. */
  const FORGED = Symbol('forged');
  const trusted = (e: Event) => !(e as Event & { [FORGED]?: boolean })[FORGED];
  const forge = <E extends Event>(e: E): E => Object.assign(e, { [FORGED]: true });
  const choose = (outcome: string) => act(() => root.querySelector<HTMLInputElement>(`input[value="${outcome}"]`)?.click());
  const save = () => act(() => root.querySelector<HTMLButtonElement>('button[type="submit"]')?.click());
  const pickReason = (value: string) => act(() => {
    const select = root.querySelector('select');
    if (select) { select.value = value; select.dispatchEvent(new Event('change', { bubbles: true })); }
  });
  const typeNote = (value: string) => act(() => {
    const area = root.querySelector('textarea');
    if (area) { area.value = value; area.dispatchEvent(new Event('input', { bubbles: true })); }
  });
  const button = (label: string) => [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === label);
  const form = (props: Partial<Parameters<typeof LogCallForm>[0]> = {}) =>
    <LogCallForm onSubmit={() => {}} leadLabel="Tanaka (ACME)" lostCooldownDays={14} isTrusted={trusted} {...props} />;

  it('lists every outcome and asks for the loss reason only for a lost call', () => {
    show(form());
    expect(root.querySelector<HTMLButtonElement>('button[type="submit"]')?.disabled).toBe(true);
    expect(texts('.outcome')).toEqual(['Connected', 'Meeting set', 'No answer', 'Busy', 'Gatekeeper', 'Lost', 'Complaint']);
    choose('connected');
    expect(root.querySelector('select')).toBeNull();
    choose('lost');
    expect([...root.querySelectorAll('option')].map((o) => o.getAttribute('value'))).toEqual(['', 'price', 'timing', 'competitor', 'no_need', 'other']);
  });

  it.each([
    ['connected, no note', 'connected', '  ', { outcome: 'connected' }],
    ['no answer, with a note', 'no_answer', ' 不在。明日10時 ', { outcome: 'no_answer', note: '不在。明日10時' }],
    ['busy', 'busy', '', { outcome: 'busy' }],
    ['a gatekeeper', 'gatekeeper', '', { outcome: 'gatekeeper' }],
    ['meeting set', 'meeting_set', '', { outcome: 'meeting_set' }],
  ])('saves %s at once, and clears the form', async (_name, outcome, note, expected) => {
    const onSubmit = vi.fn();
    show(form({ onSubmit }));
    choose(outcome);
    typeNote(note);
    save();
    expect(onSubmit.mock.calls).toEqual([[expected]]);
    expect(root.querySelector<HTMLButtonElement>('button[type="submit"]')?.disabled).toBe(true);
    expect(root.querySelector('textarea')?.value).toBe('');
  });

  it('will not save Lost without a reason', () => {
    const onSubmit = vi.fn();
    show(form({ onSubmit }));
    choose('lost');
    expect(root.querySelector<HTMLButtonElement>('button[type="submit"]')?.disabled).toBe(true);
    expect(text('.field .hint')).toBe('Choose a loss reason to save a lost call.');
    act(() => { root.querySelector('form')?.dispatchEvent(new Event('submit', { cancelable: true })); });
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('asks before a loss blocks the lead team-wide, naming the lead, the reason and the days', () => {
    const onSubmit = vi.fn();
    show(form({ onSubmit }));
    choose('lost');
    pickReason('price');
    typeNote(' 他社に決定 ');
    save();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(text('.confirm-text')).toBe('Log Tanaka (ACME) as lost (Price)? Calls to this lead stop team-wide for 14 days.');
    act(() => button('Yes, save')?.click());
    expect(onSubmit.mock.calls).toEqual([[{ outcome: 'lost', lossReason: 'price', note: '他社に決定' }]]);
  });

  it('asks before a complaint makes the lead do-not-call; Back saves nothing', () => {
    const onSubmit = vi.fn();
    show(form({ onSubmit }));
    choose('complaint');
    save();
    expect(text('.confirm-text')).toBe('Mark Tanaka (ACME) as do not call? Nobody on the team will be able to call this lead.');
    act(() => button('Back')?.click());
    expect(root.querySelector('.confirm')).toBeNull();
    expect(onSubmit).not.toHaveBeenCalled();
    save();
    act(() => button('Yes, save')?.click());
    expect(onSubmit.mock.calls).toEqual([[{ outcome: 'complaint' }]]);
  });

  it('a submit without a click on Save (requestSubmit) is not the user', () => {
    const onSubmit = vi.fn();
    show(form({ onSubmit }));
    choose('connected');
    act(() => root.querySelector('form')?.requestSubmit());
    expect(onSubmit).not.toHaveBeenCalled();
    save();
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a click on an outcome', () => root.querySelector('input[value="complaint"]')?.dispatchEvent(forge(new MouseEvent('click', { bubbles: true, cancelable: true })))],
    ['typing into the note', () => root.querySelector('textarea')?.dispatchEvent(forge(new Event('input', { bubbles: true })))],
    ['a change of the loss reason', () => root.querySelector('select')?.dispatchEvent(forge(new Event('change', { bubbles: true })))],
    ['a click on Save', () => root.querySelector('button[type="submit"]')?.dispatchEvent(forge(new MouseEvent('click', { bubbles: true, cancelable: true })))],
  ])('%s from the page clears the form and says so', (_name, attack) => {
    const onSubmit = vi.fn();
    show(form({ onSubmit }));
    choose('lost');
    pickReason('timing');
    typeNote('half written');
    act(() => { void attack(); });
    expect(root.querySelector('input:checked')).toBeNull();
    expect(root.querySelector('textarea')?.value).toBe('');
    expect(text('[role="alert"]')).toBe('The form was cleared: an action on it did not come from you.');
    save();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('offers Undo for a few seconds after Save, and withdraws the log through onUndo', async () => {
    vi.useFakeTimers();
    try {
      const onUndo = vi.fn(async () => true);
      show(form({ onSubmit: async () => 'outbox-1', onUndo, undoMs: 5000 }));
      choose('no_answer');
      save();
      await act(async () => { await Promise.resolve(); });
      expect(text('.saved')).toBe('Saved: No answer Undo');
      await act(async () => { button('Undo')?.click(); await Promise.resolve(); });
      expect(onUndo).toHaveBeenCalledWith('outbox-1');
      expect(text('[role="status"]')).toBe('The call log was withdrawn before it was sent.');

      choose('busy');
      save();
      await act(async () => { await Promise.resolve(); });
      expect(button('Undo')).toBeDefined();
      await act(async () => { vi.advanceTimersByTime(5000); });
      expect(button('Undo')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
