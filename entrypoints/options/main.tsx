import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Options } from '@/components/Options';
import { applyLanguage, t, uiLanguage } from '@/utils/i18n';
import { loadPreferences, watchPreferences } from '@/utils/preferences/storage';
import '@/components/pages.css';

const { prefs } = await loadPreferences();
await applyLanguage(prefs.language);
document.title = t('optionsTitle');
// Screen readers pick their voice from lang: Japanese labels read with an English voice are noise.
document.documentElement.lang = uiLanguage();
render(<Options transport={browser.runtime} />, document.getElementById('app')!);

// A new language choice (here or in another browser) redraws the page in that language.
watchPreferences((next) => {
  if (next.language !== prefs.language) location.reload();
});
