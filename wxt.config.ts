import { defineConfig } from 'wxt';

// https://wxt.dev/api/config.html — content-script matches come from the CRM registry
// (utils/crm/registry.ts) through entrypoints/crm.content/index.tsx.
export default defineConfig({
  srcDir: '.',
  outDir: '.output',
  manifestVersion: 3,
  // Explicit imports everywhere: a reader sees where every name comes from.
  imports: false,
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    short_name: 'LeadLens',
    description: '__MSG_extDescription__',
    default_locale: 'ja',
    permissions: ['storage', 'alarms', 'notifications'],
    // The badge lives on the action; without it setBadgeText has nowhere to draw.
    action: { default_title: '__MSG_extName__' },
    // What an administrator may set through enterprise policy (storage.managed).
    storage: { managed_schema: 'managed_schema.json' },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'leadlens@leadlens.example', strict_min_version: '115.0' } } }
      : {}),
  }),
});
