import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { ScoringApiClient } from '@/utils/api/client';
import { createRouter } from '@/utils/background/router';
import { classifySender } from '@/utils/background/sender';
import { connectionItem, connectionStatusItem, loadConnection } from '@/utils/settings';

export default defineBackground(() => {
  const router = createRouter({
    loadConnection,
    saveConnection: (connection) => connectionItem.setValue(connection),
    loadStatus: () => connectionStatusItem.getValue(),
    saveStatus: (status) => connectionStatusItem.setValue(status),
    openOptionsPage: () => browser.runtime.openOptionsPage(),
    createClient: (connection) => new ScoringApiClient({ baseUrl: connection.apiUrl, token: connection.token }),
    now: () => new Date(),
  });
  const origin = browser.runtime.getURL('/');

  // Chromium and Firefox both accept a Promise returned from onMessage as the reply.
  browser.runtime.onMessage.addListener((message, sender) =>
    router.handle(message, classifySender(sender, browser.runtime.id, origin)),
  );
});
