/** Small UI state the content script may read and write itself (no zod: keeps its bundle small). */
import { storage } from 'wxt/utils/storage';

/** The panel's collapsed state, remembered across records and sessions. */
export const panelCollapsedItem = storage.defineItem<boolean>('local:panelCollapsed', { fallback: false });

/** The CRM the rep last opened a record in: the popup and notifications open records there. */
export const lastCrmItem = storage.defineItem<string | null>('local:lastCrm', { fallback: null });
