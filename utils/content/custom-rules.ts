/**
 * Custom CRM rules on the content script's side: the background applies the rules (they stay
 * out of this script, whose size is budgeted) and says when the lead is named by an element on
 * the page; the element is read here.
 */
import { looksLikeEmail } from '../crm/custom';

/**
 * The email a selector rule points at, read once. A missing or odd element is said in the console
 * (the page's own console: that is where whoever writes the rule looks), naming the rule.
 */
export function readEmail(rule: { label: string; selector: string }, root: ParentNode = document): string | undefined {
  const prefix = `LeadLens custom rule '${rule.label}': email selector '${rule.selector}'`;
  let element: Element | null;
  try {
    element = root.querySelector(rule.selector);
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
