// Calls this user logged, merged into the timeline by their outbox state.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../utils/api/contract';
import type { OutboxItemView } from '../../utils/messaging';
import { DEFAULT_TEAM_POLICY, evaluateCooldowns } from '../../utils/policy/cooldowns';
import { timelineWithOutbox } from '../../utils/policy/timeline';

const NOW = Date.parse('2025-07-15T10:00:00+09:00');
const iso = (ms: number) => new Date(ms).toISOString();
const served: TimelineEvent = { id: 'srv-1', at: iso(NOW - 60_000), type: 'call', title: 'Call: connected', actor: 'Tanaka', meta: { outcome: 'connected' } };
const older: TimelineEvent = { id: 'old', at: iso(NOW - 86_400_000), type: 'web_visit', title: 'Pricing' };
const item = (key: string, status: OutboxItemView['status'], extra: Partial<OutboxItemView> = {}): OutboxItemView => ({
  key, leadId: 'L', kind: 'activity', status, createdAt: NOW - 60_000,
  call: { outcome: 'lost', lossReason: 'price', note: '他社に決定', at: iso(NOW - 60_000) }, ...extra,
});

describe('timelineWithOutbox', () => {
  it.each<[string, OutboxItemView[], unknown[]]>([
    ['nothing in the outbox', [], [{ id: 'old' }]],
    ['queued → a pending call on top, sending', [item('k1', 'pending')], [
      { id: 'outbox:k1', type: 'call', title: '', detail: '他社に決定', actor: 'Tanaka', meta: { outcome: 'lost', lossReason: 'price' }, pending: true, status: 'sending' }, { id: 'old' }]],
    ['refused for good → failed, with the reason', [item('k1', 'failed', { lastError: 'Lead is archived' })], [
      { id: 'outbox:k1', status: 'failed', error: 'Lead is archived' }, { id: 'old' }]],
    ['sent, not yet in the timeline → the stored event, sent', [item('k1', 'sent', { event: served })], [{ id: 'srv-1', status: 'sent', title: 'Call: connected' }, { id: 'old' }]],
    ['a recycle is not a timeline event', [item('k1', 'pending', { kind: 'recycle' })], [{ id: 'old' }]],
  ])('%s', (_name, outbox, expected) => {
    const result = timelineWithOutbox([older], outbox, 'Tanaka');
    expect(result).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(result[i]).toMatchObject(e as object));
  });

  it('marks an event the refreshed timeline already has as sent, without a duplicate', () => {
    expect(timelineWithOutbox([served, older], [item('k1', 'sent', { event: served })])).toEqual([{ ...served, status: 'sent' }, older]);
  });

  it('a call still sending counts for "called recently"', () => {
    const timeline = timelineWithOutbox([older], [item('k1', 'pending')], 'Tanaka');
    expect(evaluateCooldowns({ timeline }, DEFAULT_TEAM_POLICY, NOW, 'Tanaka').map((c) => [c.reason, c.messageKey])).toEqual([
      ['recently_lost', 'cooldownRecentlyLostReasonMsg'], ['recent_call', 'cooldownRecentCallMineMsg'],
    ]);
  });
});
