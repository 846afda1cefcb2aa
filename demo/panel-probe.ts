/**
 * The panel's closed shadow root seen through the DevTools protocol, as a screen reader or the
 * DevTools inspector see it: the page's own scripts cannot do this. Used where the extension runs
 * as shipped (the demo's screenshots, the hostile-page test); Chromium only.
 */
import type { CDPSession, Page } from 'playwright-core';

interface DomNode {
  nodeId: number;
  backendNodeId: number;
  nodeName: string;
  children?: DomNode[];
  shadowRoots?: (DomNode & { shadowRootType?: string })[];
}

export interface PanelProbe {
  /** 'closed' or 'open'; undefined while the panel is not in the page. */
  rootMode(): Promise<string | undefined>;
  /** innerText of the first element matching `selector` inside the panel, or undefined. */
  text(selector: string): Promise<string | undefined>;
  /** Runs `functionSource` (a `function () {}` whose `this` is the element) and returns its JSON value. */
  evaluate<T>(selector: string, functionSource: string): Promise<T | undefined>;
  /** Polls until an element matching `selector` is in the panel (and `text`, when given, is its text). */
  waitFor(selector: string, text?: string, timeoutMs?: number): Promise<void>;
  /** A real (trusted) mouse click at the centre of the element. */
  click(selector: string): Promise<void>;
  scrollIntoView(selector: string): Promise<void>;
  detach(): Promise<void>;
}

const HOST = 'LEADLENS-PANEL';

function findHost(node: DomNode): DomNode | undefined {
  if (node.nodeName === HOST) return node;
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const found = findHost(child);
    if (found) return found;
  }
  return undefined;
}

export async function probePanel(page: Page): Promise<PanelProbe> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');

  async function root(): Promise<(DomNode & { shadowRootType?: string }) | undefined> {
    const { root: doc } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    return findHost(doc)?.shadowRoots?.[0];
  }

  async function find(selector: string): Promise<number | undefined> {
    const shadow = await root();
    if (!shadow) return undefined;
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: shadow.nodeId, selector });
    return nodeId || undefined;
  }

  async function call<T>(selector: string, fn: string): Promise<T | undefined> {
    const nodeId = await find(selector);
    if (!nodeId) return undefined;
    const { object } = await cdp.send('DOM.resolveNode', { nodeId });
    if (!object.objectId) return undefined;
    const { result } = await cdp.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: fn, returnByValue: true });
    await cdp.send('Runtime.releaseObject', { objectId: object.objectId });
    return result.value as T;
  }

  const probe: PanelProbe = {
    async rootMode() {
      return (await root())?.shadowRootType;
    },
    text: (selector) => call<string>(selector, 'function () { return this.innerText; }'),
    evaluate: (selector, functionSource) => call(selector, functionSource),
    async waitFor(selector, text, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const seen = await probe.text(selector).catch(() => undefined);
        if (seen !== undefined && (text === undefined || seen === text)) return;
        if (Date.now() > until) throw new Error(`The panel never showed ${selector}${text === undefined ? '' : ` = ${text}`} (last: ${seen})`);
        // A DOM query a frame: the next check when the page has drawn again.
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      }
    },
    async click(selector) {
      const nodeId = await find(selector);
      if (!nodeId) throw new Error(`No ${selector} in the panel`);
      await cdp.send('DOM.scrollIntoViewIfNeeded', { nodeId });
      const { model } = await cdp.send('DOM.getBoxModel', { nodeId });
      const [x1, y1, , , x3, y3] = model.content;
      await page.mouse.click(((x1 ?? 0) + (x3 ?? 0)) / 2, ((y1 ?? 0) + (y3 ?? 0)) / 2);
    },
    async scrollIntoView(selector) {
      const nodeId = await find(selector);
      if (nodeId) await cdp.send('DOM.scrollIntoViewIfNeeded', { nodeId });
    },
    detach: () => cdp.detach(),
  };
  return probe;
}
