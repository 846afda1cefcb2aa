// Code passed to worker.evaluate() runs in the extension's service worker, where `chrome` is global.
declare const chrome: import('wxt/browser').WxtBrowser;
