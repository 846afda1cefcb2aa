import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecycleForm } from '../../components/panel/RecycleForm';

let root: HTMLElement;
beforeEach(() => { root = document.createElement('div'); document.body.append(root); });
afterEach(() => { render(null, root); root.remove(); });

const click = (selector: string) => act(() => { root.querySelector<HTMLElement>(selector)?.click(); });
const type = (selector: string, value: string) => act(() => {
  const input = root.querySelector<HTMLInputElement>(selector);
  if (input) { input.value = value; input.dispatchEvent(new Event('input', { bubbles: true })); }
});

describe('RecycleForm', () => {
  it('sends the track, frequency and address a user chose', () => {
    const onSubmit = vi.fn();
    act(() => render(<RecycleForm defaultEmail="taro@acme.example.jp" tracks={['kintone活用', '請求書']} onSubmit={onSubmit} isTrusted={() => true} />, root));
    click('button.toggle');
    act(() => {
      const select = root.querySelector('select');
      if (select) { select.value = 'biweekly'; select.dispatchEvent(new Event('change', { bubbles: true })); }
    });
    click('button[type=submit]');
    expect(onSubmit.mock.calls).toEqual([[{ track: 'kintone活用', frequency: 'biweekly', email: 'taro@acme.example.jp' }]]);
    expect(root.querySelector('[role=status]')).not.toBeNull();
  });

  it('refuses an address that is not one', () => {
    const onSubmit = vi.fn();
    act(() => render(<RecycleForm tracks={['kintone活用']} onSubmit={onSubmit} isTrusted={() => true} />, root));
    click('button.toggle');
    type('input[type=email]', 'not-an-address');
    click('button[type=submit]');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('resets when the page forges an event on any control, and will not send until the rep acts again', () => {
    const FORGED = Symbol('forged');
    const trusted = (e: Event) => !(e as Event & { [FORGED]?: boolean })[FORGED];
    const onSubmit = vi.fn();
    act(() => render(<RecycleForm defaultEmail="taro@acme.example.jp" tracks={['kintone活用', '請求書']} onSubmit={onSubmit} isTrusted={trusted} />, root));
    click('button.toggle');
    type('input[type=email]', 'rep-typed@acme.example.jp');
    // The page rewrites the address with a forged input event.
    act(() => {
      const input = root.querySelector<HTMLInputElement>('input[type=email]');
      if (input) { input.value = 'attacker@evil.example'; input.dispatchEvent(Object.assign(new Event('input', { bubbles: true }), { [FORGED]: true })); }
    });
    expect(root.querySelector('[role=alert]')).not.toBeNull();
    expect(root.querySelector<HTMLInputElement>('input[type=email]')?.value).toBe('taro@acme.example.jp');
    // A forged click on Send sends nothing.
    act(() => { root.querySelector<HTMLButtonElement>('button[type=submit]')?.dispatchEvent(Object.assign(new MouseEvent('click', { bubbles: true, cancelable: true }), { [FORGED]: true })); });
    expect(onSubmit).not.toHaveBeenCalled();
    click('button[type=submit]');
    expect(onSubmit.mock.calls).toEqual([[{ track: 'kintone活用', frequency: 'monthly', email: 'taro@acme.example.jp' }]]);
  });

  it('ignores synthetic clicks from the page', () => {
    const onSubmit = vi.fn();
    act(() => render(<RecycleForm defaultEmail="taro@acme.example.jp" tracks={['kintone活用']} onSubmit={onSubmit} />, root));
    click('button.toggle');
    expect(root.querySelector('form')).toBeNull();
  });
});
