/**
 * Who is talking to the background. Messages from other extensions or from pages we do not
 * run on are refused; content scripts are recognised by the tab URL matching our manifest (or
 * the run-time registration for custom CRM rules).
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

/**
 * `extraPatterns`: where the content script also runs by run-time registration (the granted
 * origins of custom CRM rules, utils/background/custom-scripts.ts).
 */
export function classifySender(
  sender: SenderInfo,
  extensionId: string,
  extensionOrigin: string,
  extraPatterns: readonly MatchPattern[] = [],
): SenderKind | undefined {
  if (sender.id !== extensionId || !sender.url) return undefined;
  if (sender.url.startsWith(extensionOrigin)) return 'page';
  const url = sender.url;
  if (sender.tab && (CONTENT_PATTERNS.some((pattern) => pattern.includes(url)) || extraPatterns.some((pattern) => pattern.includes(url)))) return 'content';
  return undefined;
}
