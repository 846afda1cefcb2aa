// The popup renders what the background answers and asks again when the background says the
// cache changed: it reads no database of its own.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { Popup } from '../../components/Popup';
import type { LeadSummary } from '../../utils/api/contract';
import { POPUP_CHANGED, type MessageTransport, type PopupLists } from '../../utils/messaging';
import { DEFAULT_PREFERENCES } from '../../utils/preferences/schema';
import { lead } from './db-helpers';
import { englishRenderRoot } from './english';

let root: HTMLDivElement;
englishRenderRoot((element) => (root = element));

const listsWith = (stock: LeadSummary[]): PopupLists => ({ hot: [], counts: { count: 0, urgent: 0, queued: 0 }, timeZone: 'Asia/Tokyo', stock, following: [], rate: '1/2', windowMinutes: 120 });

function background(first: PopupLists) {
  let lists = first;
  const asked: string[] = [];
  const listeners = new Set<(message: unknown) => void>();
  const transport: MessageTransport = {
    sendMessage: async (message) => {
      const type = (message as { type: string }).type;
      asked.push(type);
      if (type === 'popupLists') return lists;
      // A finished first sync: the counts are whole (see popup-first-sync.test.ts for the partial one).
      if (type === 'status') return { apiUrl: 'https://api.test', hasToken: true, sync: { status: 'ok', running: false, leads: 1, skippedTotal: 0, recentSkipped: [], snapshotComplete: true } };
      return { error: `unexpected ${type}` };
    },
  };
  return {
    transport, asked, listeners,
    listen: (listener: (message: unknown) => void) => { listeners.add(listener); return () => listeners.delete(listener); },
    change: (next: PopupLists, message: unknown = { type: POPUP_CHANGED }) => { lists = next; for (const l of listeners) l(message); },
  };
}

async function settleUntil(done: () => boolean) {
  for (let i = 0; i < 50 && !done(); i++) {
    await act(async () => { await new Promise((resolve) => setTimeout(resolve, 0)); });
  }
  expect(done()).toBe(true);
}

const stockTab = () => [...root.querySelectorAll<HTMLButtonElement>('[role=tab]')][1]!;
const names = () => [...root.querySelectorAll('.row-name')].map((el) => el.textContent);

describe('the popup', () => {
  it('shows the background\'s lists, and the new ones when the background says the cache changed', async () => {
    const bg = background(listsWith([lead('S1', { name: 'Stock One', band: 'warm', owner: undefined })]));
    render(<Popup transport={bg.transport} listen={bg.listen} preferences={async () => DEFAULT_PREFERENCES} preferredCrm={async () => null} openUrl={() => undefined} openOptions={() => undefined} locale="en" />, root);
    await settleUntil(() => stockTab().textContent?.includes('(1)') ?? false);
    await act(() => stockTab().click());
    expect(names()).toEqual(['Stock One']);

    // Another extension page's message is not the background's signal: nothing is asked again.
    bg.change(listsWith([]), { type: 'saveConnection' });
    expect(bg.asked.filter((type) => type === 'popupLists')).toHaveLength(1);

    bg.change(listsWith([lead('S1', { name: 'Stock One', band: 'warm', owner: undefined }), lead('S2', { name: 'Stock Two', band: 'warm', owner: undefined })]));
    await settleUntil(() => names().length === 2);
    expect(names()).toEqual(['Stock One', 'Stock Two']);
    expect(bg.asked.filter((type) => type === 'popupLists')).toHaveLength(2);
  });

  it('stops listening when it closes', async () => {
    const bg = background(listsWith([]));
    render(<Popup transport={bg.transport} listen={bg.listen} preferences={async () => DEFAULT_PREFERENCES} preferredCrm={async () => null} openUrl={() => undefined} openOptions={() => undefined} locale="en" />, root);
    await settleUntil(() => bg.listeners.size === 1);
    render(null, root);
    expect(bg.listeners.size).toBe(0);
  });
});
