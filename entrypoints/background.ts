import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '@/utils/background/app';

export default defineBackground(() => {
  startBackground({ browser });
});
