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
  hooks: {
    // The panel's stylesheet is fetched by the content script (cssInjectionMode 'ui'), so it must be
    // web-accessible wherever the script runs: WXT lists the manifest's CRM hosts, but custom rules
    // register the script on in-house CRMs at run time. Any https page may therefore load it, but
    // only through the per-session URL (use_dynamic_url) that runtime.getURL gives our script.
    'build:manifestGenerated': (_wxt, manifest) => {
      for (const entry of manifest.web_accessible_resources ?? []) {
        if (typeof entry === 'object' && entry.resources.includes('content-scripts/crm.css')) {
          entry.matches = ['https://*/*'];
          // The panel speaks the rep's chosen language: its content script loads that catalogue.
          entry.resources.push('_locales/ja/messages.json', '_locales/en/messages.json');
        }
      }
    },
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    short_name: 'LeadLens',
    description: '__MSG_extDescription__',
    default_locale: 'ja',
    // scripting: the content script is registered at run time on in-house CRMs (custom rules).
    permissions: ['storage', 'alarms', 'notifications', 'scripting'],
    // Custom rules name any https site; each is asked for when the rule is added (settings page,
    // a click), never at install. https://developer.chrome.com/docs/extensions/develop/concepts/declare-permissions
    optional_host_permissions: ['https://*/*'],
    // 116: a service worker stays alive while its WebSocket exchanges messages (the push stream).
    ...(browser === 'firefox' ? {} : { minimum_chrome_version: '116' }),
    // The badge lives on the action; without it setBadgeText has nowhere to draw.
    action: { default_title: '__MSG_extName__' },
    // Open or fold the panel from the keyboard; the CRM's own shortcuts stay untouched.
    commands: {
      'toggle-panel': { suggested_key: { default: 'Alt+Shift+L' }, description: '__MSG_commandTogglePanel__' },
    },
    // What an administrator may set through enterprise policy (storage.managed).
    storage: { managed_schema: 'managed_schema.json' },
    // Firefox before 127 did not grant an MV3 add-on's content-script hosts at install: no panel
    // until the rep found the permission toggle. 128 is the first ESR that grants them.
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'leadlens@leadlens.example', strict_min_version: '128.0' } } }
      : {}),
  }),
});
