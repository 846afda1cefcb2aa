/** Small UI state the content script may read and write itself (no zod: keeps its bundle small). */
import { storage } from 'wxt/utils/storage';

/** The panel's collapsed state, remembered across records and sessions. */
export const panelCollapsedItem = storage.defineItem<boolean>('local:panelCollapsed', { fallback: false });
