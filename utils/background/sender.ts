/**
 * Who is talking to the background. Messages from other extensions or from pages we do not
 * run on are refused; content scripts are recognised by the tab URL matching our manifest.
 */
import { MatchPattern } from 'wxt/utils/match-patterns';
import { CONTENT_MATCHES } from '../crm/registry';

export type SenderKind = 'content' | 'page';

export interface SenderInfo {
  id?: string;
  url?: string;
  tab?: { id?: number; url?: string };
}

const CONTENT_PATTERNS = CONTENT_MATCHES.map((pattern) => new MatchPattern(pattern));

export function classifySender(sender: SenderInfo, extensionId: string, extensionOrigin: string): SenderKind | undefined {
  if (sender.id !== extensionId || !sender.url) return undefined;
  if (sender.url.startsWith(extensionOrigin)) return 'page';
  if (sender.tab && CONTENT_PATTERNS.some((pattern) => pattern.includes(sender.url as string))) return 'content';
  return undefined;
}
