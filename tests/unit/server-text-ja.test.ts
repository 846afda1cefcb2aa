// @vitest-environment node
/**
 * The server's texts in Japanese: every key the scoring model writes renders without an English
 * word (the glossary's allowed ones and the data's own values aside), times 24-hour, the zone in
 * Japanese, and the glossary's words for call outcomes.
 */
import { describe, expect, it } from 'vitest';
import { render, type Text } from '../../server/scoring/text';

const AT = Date.parse('2026-11-30T00:00:00Z'); // 09:00 in Tokyo, 19:00 the evening before in New York
const EVERY_KEY: Text[] = [
  { key: 'factor.behavior', params: { type: 'seminar_attended' } },
  { key: 'factor.behavior', params: { type: 'a_new_kind' } },
  { key: 'factor.recently_lost', params: { days: 3 } },
  { key: 'factor.calls', params: { count: 4, days: 5 } },
  { key: 'factor.company_size', params: { min: 100, max: 999 } },
  { key: 'factor.title', params: { label: 'decision_maker', title: '部長' } },
  { key: 'need.seminar_attended', params: { title: '営業DXセミナー' } },
  { key: 'need.video_watched', params: { percent: 85, title: '導入事例' } },
  { key: 'need.form_submit', params: { title: 'お問い合わせ: 料金について' } },
  { key: 'need.score', params: { type: 'web_visit', title: '料金ページ', score: 72 } },
  { key: 'need.score_penalty_expired', params: { score: 71 } },
  { key: 'cooldown.do_not_call', params: { complaintAt: AT, title: '電話が多い', tz: 'Asia/Tokyo' } },
  { key: 'cooldown.recently_lost', params: { ageMs: 5 * 86_400_000, lossReason: 'price', untilAt: AT, tz: 'Asia/Tokyo' } },
  { key: 'cooldown.recent_call', params: { ageMs: 3_600_000, untilAt: AT, tz: 'Asia/Tokyo' } },
  { key: 'cooldown.contact_cap', params: { count: 3, days: 5, untilAt: AT, tz: 'Asia/Tokyo' } },
  { key: 'cooldown.quiet_hours', params: { days: '1,2,3,4,5', start: '09:00', end: '19:00', untilAt: AT, tz: 'Asia/Tokyo' } },
  ...['connected', 'no_answer', 'busy', 'gatekeeper', 'meeting_set', 'lost', 'complaint', 'voicemail_left'].map((outcome) => ({ key: 'event.call', params: { outcome } })),
  { key: 'event.generic', params: { type: 'a_new_kind' } },
];

describe('server texts in Japanese', () => {
  it.each(EVERY_KEY.map((text) => [`${text.key} ${JSON.stringify(text.params)}`, text] as const))('%s has no English word', (_name, text) => {
    const words = render(text, 'ja').match(/\p{Script=Latin}+/gu) ?? [];
    // DX is part of the data's seminar title; Web is a word the glossary keeps.
    expect(words.filter((w) => w !== 'DX' && w !== 'Web')).toEqual([]);
  });

  it('writes times 24-hour with the zone in Japanese, and English with its short zone', () => {
    const quiet: Text = { key: 'cooldown.contact_cap', params: { count: 3, days: 5, untilAt: AT, tz: 'Asia/Tokyo' } };
    expect(render(quiet, 'ja')).toBe('直近5日間で3回架電: 2026-11-30 09:00 日本標準時まで控えてください。');
    expect(render(quiet, 'en')).toBe('3 calls in the last 5 days: avoid another until 2026-11-30 09:00 GMT+9.');
    expect(render({ ...quiet, params: { ...quiet.params, tz: 'America/New_York' } }, 'ja')).toContain('2026-11-29 19:00 米国東部標準時');
  });

  it('uses the glossary\'s words for outcomes, and quotes an inquiry\'s title once', () => {
    expect(render({ key: 'event.call', params: { outcome: 'connected' } }, 'ja')).toBe('架電: 本人と通話');
    expect(render({ key: 'event.call', params: { outcome: 'gatekeeper' } }, 'ja')).toBe('架電: 受付ブロック');
    expect(render({ key: 'need.form_submit', params: { title: 'お問い合わせ: 料金について' } }, 'ja')).toBe('「お問い合わせ: 料金について」の問い合わせフォーム送信');
  });
});
