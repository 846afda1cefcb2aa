/**
 * The panel's built stylesheet (cssInjectionMode 'ui': a file of the build, not a typed public
 * path). The background reads it once and hands it over with the panel's settings; the content
 * script reads it itself only when the background had none.
 */
import { browser } from 'wxt/browser';

/** The stylesheet's text; rejects when it cannot be read. */
export async function readPanelCss(): Promise<string> {
  const response = await fetch((browser.runtime.getURL as (path: string) => string)('/content-scripts/crm.css'));
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}
