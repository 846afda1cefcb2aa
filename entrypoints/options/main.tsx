import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Options } from '@/components/Options';
import { t } from '@/utils/i18n';
import '@/components/pages.css';

document.title = t('optionsTitle');
render(<Options transport={browser.runtime} />, document.getElementById('app')!);
