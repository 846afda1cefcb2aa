/**
 * Custom CRM rules, as the content script sees them: read with plain storage calls (no zod, no
 * WXT storage items: the content script's size is budgeted) and checked only for shape; rules
 * whose pattern does not compile are skipped by detectCustom. The administrator's rules first.
 */
import { browser } from 'wxt/browser';
import { asCustomRules, looksLikeEmail, type CustomDetection, type CustomRule } from '../crm/custom';

interface Area {
  get(key: string): Promise<Record<string, unknown>>;
}

async function read(area: Area | undefined): Promise<unknown> {
  try {
    return (await area?.get('customRules'))?.customRules;
  } catch {
    // storage.managed rejects where no policy can exist (Firefox without enterprise policies).
    return undefined;
  }
}

export async function readCustomRules(): Promise<CustomRule[]> {
  const storage = browser.storage as { managed?: Area; sync?: Area } | undefined;
  const [admin, own] = await Promise.all([read(storage?.managed), read(storage?.sync)]);
  return [...asCustomRules(admin, 'admin'), ...asCustomRules(own, 'own')];
}

/**
 * The email a selector rule points at, read once. A missing or odd element is said in the console
 * (the page's own console: that is where whoever writes the rule looks), naming the rule.
 */
export function readEmail(detection: Extract<CustomDetection, { kind: 'email' }>, root: ParentNode = document): string | undefined {
  const prefix = `LeadLens custom rule '${detection.rule.label}': email selector '${detection.selector}'`;
  let element: Element | null;
  try {
    element = root.querySelector(detection.selector);
  } catch {
    console.debug(`${prefix} is not a valid CSS selector`);
    return undefined;
  }
  if (!element) {
    console.debug(`${prefix} matched nothing`);
    return undefined;
  }
  const text = (element instanceof HTMLInputElement ? element.value : element.textContent ?? '').trim();
  if (!looksLikeEmail(text)) {
    console.debug(`${prefix} matched an element whose text is not an email address`);
    return undefined;
  }
  return text;
}
