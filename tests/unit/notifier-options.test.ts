// What the notification API is handed: Firefox refuses any notification carrying `buttons`, so
// there the key is absent (the click alone opens the lead); Chromium gets Open / Snooze.
import { beforeEach, describe, expect, it } from 'vitest';
import { notificationOptions } from '../../utils/background/notifier';
import { useEnglishCatalogue } from './english';

beforeEach(useEnglishCatalogue);

const rendered = { title: 'Hot now: 田中 太郎', message: 'Attended a seminar', items: [] };
const listed = { ...rendered, items: [{ title: '田中 太郎', message: 'Seminar' }, { title: '鈴木 花子', message: 'Pricing page' }] };
const ICON = 'chrome-extension://id/icon/128.png';

describe('notificationOptions', () => {
  it.each([
    ['Chromium, one lead', { buttons: ['open', 'snooze'] as const, priority: 2 }, rendered, true,
      { type: 'basic', iconUrl: ICON, title: rendered.title, message: rendered.message, priority: 2, buttons: [{ title: 'Open' }, { title: 'Snooze for 1 hour' }] }],
    ['Firefox, one lead: no buttons key at all', { buttons: ['open', 'snooze'] as const, priority: 2 }, rendered, false,
      { type: 'basic', iconUrl: ICON, title: rendered.title, message: rendered.message, priority: 2 }],
    ['Firefox, a digest list', { buttons: ['open'] as const, priority: 0 }, listed, false,
      { type: 'list', iconUrl: ICON, title: rendered.title, message: rendered.message, priority: 0, items: listed.items }],
    ['Chromium, a plan without buttons', { buttons: [] as const, priority: 0 }, rendered, true,
      { type: 'basic', iconUrl: ICON, title: rendered.title, message: rendered.message, priority: 0 }],
  ])('%s', (_name, plan, text, supported, expected) => {
    expect(notificationOptions({ buttons: [...plan.buttons], priority: plan.priority as 0 | 2 }, text, ICON, supported)).toEqual(expected);
  });
});
