import { defineConfig } from 'vitest/config';

// End-to-end: the built extension in Debian Chromium (playwright-core), the LeadLens server
// (seeded through its ingest API) and the CRM look-alike site on real host names. One file at a
// time: two cores, one browser each. Setup starts a real database, hence its larger budget.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
