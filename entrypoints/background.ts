import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '@/utils/background/app';

export default defineBackground(() => {
  // Firefox suspends the MV3 event page about 30 s after it goes idle and the stream's socket
  // with it (measured: npm run bench:push-firefox); there the alarm poll stays the one path.
  startBackground({ browser, push: !import.meta.env.FIREFOX });
});
