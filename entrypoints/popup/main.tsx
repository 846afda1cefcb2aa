import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '@/components/Popup';
import '@/components/pages.css';
import '@/components/popup.css';
import { loadPreferences } from '@/utils/preferences/storage';
import { lastCrmItem } from '@/utils/ui-state';
import { applyLanguage, uiLanguage } from '@/utils/i18n';

await applyLanguage((await loadPreferences()).prefs.language);
document.documentElement.lang = uiLanguage();

render(
  <Popup
    transport={browser.runtime}
    listen={(listener) => {
      const onMessage = (message: unknown) => { listener(message); };
      browser.runtime.onMessage.addListener(onMessage);
      return () => browser.runtime.onMessage.removeListener(onMessage);
    }}
    preferences={async () => (await loadPreferences()).prefs}
    preferredCrm={() => lastCrmItem.getValue()}
    openUrl={(url) => void browser.tabs.create({ url })}
    openOptions={() => void browser.runtime.openOptionsPage()}
    locale={uiLanguage()}
  />,
  document.getElementById('app')!,
);
