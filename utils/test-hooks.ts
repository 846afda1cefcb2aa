/**
 * Test-only switches, read only by code inside `import.meta.env.MODE === 'e2e'` branches, so a
 * production build carries neither the code nor these names (tests/e2e/build-hooks.e2e.ts).
 */

/** storage.local key: true opens the panel's shadow root, for Playwright's locators. */
export const TEST_OPEN_PANEL_KEY = 'leadlensTestOpenPanel';
