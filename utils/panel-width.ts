/**
 * The docked panel's width rules, shared by the panel (resize handle), the content script (the
 * page's reserved margin) and the background (what it agrees to store). Pure.
 */
/** Panel widths in CSS px: narrower cuts the call log's buttons, wider leaves the CRM too little. */
export const PANEL_WIDTH = { min: 280, default: 320, max: 560 } as const;
/** The folded tab's rail: reserved too, so even the tab never covers a CRM control. */
export const RAIL_WIDTH = 44;
/** The CRM keeps at least this much of the window whatever width was stored. */
export const MIN_PAGE_WIDTH = 640;

/** The largest panel width for a window this wide. */
export function maxWidth(viewport: number): number {
  return Math.max(PANEL_WIDTH.min, Math.min(PANEL_WIDTH.max, Math.floor(viewport - MIN_PAGE_WIDTH)));
}

/** A stored or dragged width made safe for this window; anything not a number is the default. */
export function clampWidth(width: unknown, viewport: number): number {
  const wanted = typeof width === 'number' && Number.isFinite(width) ? width : PANEL_WIDTH.default;
  return Math.round(Math.min(maxWidth(viewport), Math.max(PANEL_WIDTH.min, wanted)));
}

/** A width between the narrowest and `max`, in whole pixels. */
export function withinWidth(width: number, max: number): number {
  return Math.round(Math.min(max, Math.max(PANEL_WIDTH.min, width)));
}

/** What a keyboard step on the resize handle does, up to `max`: the panel is on the right, so ← widens. */
export function keyedWidth(key: string, width: number, max: number, big: boolean): number | undefined {
  const step = big ? 64 : 16;
  const within = (w: number) => withinWidth(w, max);
  switch (key) {
    case 'ArrowLeft': return within(width + step);
    case 'ArrowRight': return within(width - step);
    case 'Home': return PANEL_WIDTH.min;
    case 'End': return within(max);
    default: return undefined;
  }
}
