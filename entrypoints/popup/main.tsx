import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '@/components/Popup';
import '@/components/pages.css';

render(<Popup transport={browser.runtime} openOptions={() => void browser.runtime.openOptionsPage()} />, document.getElementById('app')!);
