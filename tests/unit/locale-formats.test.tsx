// Times in settings are typed 24-hour whatever the browser's UI language: the field is text, not
// the browser's time picker (whose AM/PM follows the browser, not LeadLens), and what a Japanese
// IME types (full-width digits and colon) reads as the HH:MM the preferences schema expects.
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { InputField, normaliseTime } from '../../components/options/common';

describe('normaliseTime', () => {
  it.each([
    ['09:05', '09:05'],
    ['9:05', '09:05'],
    ['０９：３０', '09:30'],
    ['９：３０', '09:30'],
    [' 18:00 ', '18:00'],
    ['23:59', '23:59'],
    // Not a time: left as typed for the schema to name the problem.
    ['9', '9'],
    ['8:00 PM', '8:00 PM'],
    ['', ''],
  ])('%j → %j', (typed, stored) => expect(normaliseTime(typed)).toBe(stored));
});

describe('a time field', () => {
  const root = document.createElement('div');
  afterEach(() => render(null, root));

  it('is a 24-hour text field, and hands on the normalised time', () => {
    const typed: string[] = [];
    render(<InputField id="t" label="Opening time" type="time" value="08:30" issues={[]} onInput={(v) => typed.push(v)} onCommit={() => undefined} />, root);
    const input = root.querySelector('input')!;
    expect(input.type).toBe('text');
    expect(input.dataset.time).toBe('24h');
    expect(input.inputMode).toBe('numeric');
    expect(input.value).toBe('08:30');
    input.value = '２０：００';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    expect(typed).toEqual(['20:00']);
  });
});
