/**
 * The panel's host in the CRM page: a `<leadlens-panel>` element appended to <body>, its own
 * shadow root holding the content script's stylesheet and the panel, keystrokes kept from the
 * page. WXT's createShadowRootUi did this and much we never use (auto-mount with element
 * waiting, anchors, overlay positions, option merging), all of it bundled into the content script
 * whose budget is 25 KB gzipped; this is the part the panel needs.
 */

export interface ShadowHostOptions {
  /** The host element's tag: a custom element name (two words, kebab-case). */
  name: string;
  mode: ShadowRootMode;
  /** The stylesheet, `:root` rules applying to the host. */
  loadCss(): Promise<string>;
  /** Events that stop at the panel's edge (the CRM's keyboard shortcuts never see our typing). */
  isolateEvents: readonly string[];
  onMount(container: HTMLElement): void;
  onRemove(container: HTMLElement): void;
}

export interface ShadowHost {
  readonly mounted: boolean;
  readonly host: HTMLElement;
  mount(): void;
  remove(): void;
}

export async function createShadowHost(options: ShadowHostOptions): Promise<ShadowHost> {
  const css = await options.loadCss();
  const host = document.createElement(options.name);
  const shadow = host.attachShadow({ mode: options.mode });
  // A document of its own: the page's styles stop at the host ('all: initial'), ours start here.
  const html = document.createElement('html');
  const head = document.createElement('head');
  const body = document.createElement('body');
  const style = document.createElement('style');
  style.textContent = `:host{all:initial !important;}\n${css.replaceAll(':root', ':host')}`;
  head.append(style);
  html.append(head, body);
  shadow.append(html);
  for (const type of options.isolateEvents) body.addEventListener(type, (event) => event.stopPropagation());
  let mounted = false;
  return {
    host,
    get mounted() { return mounted; },
    mount() {
      document.body.append(host);
      options.onMount(body);
      mounted = true;
    },
    remove() {
      if (mounted) options.onRemove(body);
      host.remove();
      body.replaceChildren();
      mounted = false;
    },
  };
}
