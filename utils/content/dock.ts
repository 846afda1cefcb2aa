/**
 * Docking: the panel sits beside the CRM instead of over it. The page's root element gets a
 * right margin as wide as the panel (or the folded rail), so the CRM lays itself out in what is
 * left and none of its own controls end up under the panel. Fixed headers still span the whole
 * window, so the panel starts below them. Pure parts (clamp, header measure) are unit-tested;
 * the one side effect is a single <style> element this module owns. Widths: utils/panel-width.ts.
 */

/** A fixed bar taller than this is not a header (a modal, a full-height side nav). */
const MAX_HEADER = 200;

/**
 * How far down the page's own fixed or sticky top bars reach at column `x` (Salesforce's global
 * header and app bar, kintone's header and breadcrumb...), so the panel starts below them and
 * the CRM's search, notifications and profile menu stay reachable. Stacked bars are followed.
 */
export function headerBottom(doc: Document, x: number, skip: Element | undefined): number {
  const view = doc.defaultView;
  if (!view) return 0;
  let bottom = 0;
  for (let round = 0; round < 4; round++) {
    const y = bottom + 1;
    let next = bottom;
    for (const hit of doc.elementsFromPoint(x, y)) {
      if (skip && (hit === skip || skip.contains(hit))) continue;
      for (let el: Element | null = hit; el && el !== doc.documentElement && el !== doc.body; el = el.parentElement) {
        const position = view.getComputedStyle(el).position;
        if (position !== 'fixed' && position !== 'sticky') continue;
        const rect = el.getBoundingClientRect();
        if (rect.top <= y && rect.bottom > y && rect.height <= MAX_HEADER) next = Math.max(next, rect.bottom);
      }
    }
    if (next <= bottom || next > MAX_HEADER) break;
    bottom = next;
  }
  return Math.round(Math.min(bottom, MAX_HEADER));
}

const STYLE_ID = 'leadlens-dock';

/**
 * Reserves `width` px on the right of the page (0 gives the space back). The margin is on the
 * root element: the CRM's flex and grid layouts shrink with it, its own scroll stays its own.
 */
export function reserve(doc: Document, width: number): void {
  let style = doc.getElementById(STYLE_ID);
  if (width <= 0) {
    style?.remove();
    return;
  }
  if (!style) {
    style = doc.createElement('style');
    style.id = STYLE_ID;
    // On <html>, not <head>: SPA routers that rewrite <head> leave it alone.
    doc.documentElement.append(style);
  }
  const css = `html{margin-right:${Math.round(width)}px !important;}`;
  if (style.textContent !== css) style.textContent = css;
}

/** Folded or open: the rep's own choice, except that a record with no lead folds by itself (auto) until the rep opens it there. */
export function isFolded(chosen: boolean, kind: string, openedHere: boolean): boolean {
  return !openedHere && (chosen || kind === 'not_found');
}

export interface FoldChoice {
  chosen: boolean;
  openedHere: boolean;
  /** The rep changed their standing choice: the background stores it for every CRM tab. */
  persist: boolean;
}

/**
 * A click on the tab or the fold button. Opening a panel that folded only because no lead is
 * behind the record opens it for this record (and folding it again goes back to that) while the
 * rep's standing choice stays; any other click flips that choice.
 */
export function toggleFold(chosen: boolean, kind: string, openedHere: boolean): FoldChoice {
  if (isFolded(chosen, kind, openedHere) && !chosen) return { chosen, openedHere: true, persist: false };
  // Folding again a no-lead record the rep had opened: back to auto, the standing choice untouched.
  if (openedHere && !chosen && kind === 'not_found') return { chosen, openedHere: false, persist: false };
  return { chosen: !isFolded(chosen, kind, openedHere), openedHere: false, persist: true };
}
