import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '@/components/Popup';
import '@/components/pages.css';
import '@/components/popup.css';
import { openDb } from '@/utils/db/schema';
import { loadPreferences } from '@/utils/preferences/storage';
import { lastCrmItem } from '@/utils/ui-state';

render(
  <Popup
    db={openDb()}
    transport={browser.runtime}
    preferences={async () => (await loadPreferences()).prefs}
    preferredCrm={() => lastCrmItem.getValue()}
    openUrl={(url) => void browser.tabs.create({ url })}
    openOptions={() => void browser.runtime.openOptionsPage()}
    locale={browser.i18n.getUILanguage()}
  />,
  document.getElementById('app')!,
);
