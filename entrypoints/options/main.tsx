import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Options } from '@/components/Options';
import { t } from '@/utils/i18n';
import '@/components/pages.css';

document.title = t('optionsTitle');
// Screen readers pick their voice from lang: Japanese labels read with an English voice are noise.
document.documentElement.lang = browser.i18n.getUILanguage();
render(<Options transport={browser.runtime} />, document.getElementById('app')!);
