/** Small UI state shared by the background and the extension pages. */
import { storage } from 'wxt/utils/storage';

/** The CRM the rep last opened a record in: the popup and notifications open records there. */
export const lastCrmItem = storage.defineItem<string | null>('local:lastCrm', { fallback: null });

/** The panel folded to its tab (one state for every CRM tab); the content script asks the background. */
export const panelCollapsedItem = storage.defineItem<boolean>('local:panelCollapsed', { fallback: false });

/** The docked panel's width per CRM (a wide panel suits one CRM's layout, not another's); the content script asks the background. */
export const panelWidthsItem = storage.defineItem<Record<string, number>>('local:panelWidths', { fallback: {} });
