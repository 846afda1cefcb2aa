import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '@/components/Popup';
import '@/components/pages.css';
import '@/components/popup.css';
import { openDb } from '@/utils/db/schema';
import { loadPreferences } from '@/utils/preferences/storage';
import { lastCrmItem } from '@/utils/ui-state';
import { applyLanguage, uiLanguage } from '@/utils/i18n';

await applyLanguage((await loadPreferences()).prefs.language);
document.documentElement.lang = uiLanguage();

render(
  <Popup
    db={openDb()}
    transport={browser.runtime}
    preferences={async () => (await loadPreferences()).prefs}
    preferredCrm={() => lastCrmItem.getValue()}
    openUrl={(url) => void browser.tabs.create({ url })}
    openOptions={() => void browser.runtime.openOptionsPage()}
    locale={uiLanguage()}
  />,
  document.getElementById('app')!,
);
