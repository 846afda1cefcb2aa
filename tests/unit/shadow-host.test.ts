// The panel's host in the CRM page: where it goes, what the page can reach, what it styles, and
// that removing it leaves nothing behind.
import { afterEach, describe, expect, it } from 'vitest';
import { createShadowHost } from '../../utils/content/shadow-host';

afterEach(() => document.body.replaceChildren());

function host(mode: ShadowRootMode = 'closed') {
  const log: string[] = [];
  let container: HTMLElement | undefined;
  const made = createShadowHost({
    name: 'leadlens-panel',
    mode,
    loadCss: async () => ':root{--ll-accent:#c00}.panel{color:var(--ll-accent)}',
    isolateEvents: ['keydown'],
    onMount: (element) => {
      container = element;
      element.innerHTML = '<input id="note">';
      log.push('mount');
    },
    onRemove: () => { log.push('remove'); },
  });
  return { made, log, container: () => container };
}

describe('the panel\'s shadow host', () => {
  it('is appended to <body> only when mounted, closed to the page', async () => {
    const { made } = host();
    const ui = await made;
    expect(document.querySelector('leadlens-panel')).toBeNull();
    ui.mount();
    expect(ui.mounted).toBe(true);
    expect(document.body.lastElementChild).toBe(ui.host);
    expect(ui.host.shadowRoot).toBeNull();
  });

  it('carries the stylesheet inside, its :root rules applying to the host, the page\'s styles reset', async () => {
    const { made, container } = host('open');
    const ui = await made;
    ui.mount();
    const css = ui.host.shadowRoot?.querySelector('style')?.textContent ?? '';
    expect(css).toContain(':host{all:initial !important;}');
    expect(css).toContain(':host{--ll-accent:#c00}');
    expect(css).not.toContain(':root');
    expect(container()?.querySelector('#note')).not.toBeNull();
  });

  it('keeps keystrokes typed in the panel from the page, and lets other events through', async () => {
    const { made, container } = host();
    const ui = await made;
    ui.mount();
    const seen: string[] = [];
    document.addEventListener('keydown', () => seen.push('keydown'));
    document.addEventListener('click', () => seen.push('click'));
    const input = container()?.querySelector('#note') as HTMLInputElement;
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', bubbles: true, composed: true }));
    input.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    expect(seen).toEqual(['click']);
  });

  it('removes the host and empties the panel, and can mount again', async () => {
    const { made, log, container } = host();
    const ui = await made;
    ui.mount();
    ui.remove();
    expect(document.querySelector('leadlens-panel')).toBeNull();
    expect(ui.mounted).toBe(false);
    expect(container()?.childNodes.length).toBe(0);
    ui.remove(); // twice: the panel's own teardown runs once
    expect(log).toEqual(['mount', 'remove']);
    ui.mount();
    expect(document.body.lastElementChild).toBe(ui.host);
  });
});
