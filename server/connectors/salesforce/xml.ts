/**
 * A small, strict XML reader for SOAP Outbound Messages: elements, attributes, text, the five
 * named entities and numeric references, CDATA. Names keep their prefix off (`sf:Id` → `Id`),
 * since Salesforce's prefixes are not fixed. DOCTYPE and processing of external entities are
 * refused (XXE): a Salesforce message never has them. No dependency for a format this narrow.
 */
export type XmlNode = { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new Error(`unknown entity &${e};`);
    return v;
  });
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

export function parseXml(input: string): XmlNode {
  if (/<!DOCTYPE/i.test(input)) throw new Error('DOCTYPE is not allowed');
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g;
  let last = 0;
  for (let m = tag.exec(input); m; m = tag.exec(input)) {
    const top = stack[stack.length - 1]!;
    const between = input.slice(last, m.index);
    if (between.includes('<')) throw new Error(`malformed XML near offset ${last}`);
    top.text += decode(between);
    last = tag.lastIndex;
    if (m[5] !== undefined) { top.text += m[5]; continue; }
    if (!m[2]) continue; // declaration or comment
    const [, closing, rawName = '', rawAttrs = '', selfClosing] = m;
    const name = local(rawName);
    if (closing) {
      if (stack.length < 2 || top.name !== name) throw new Error(`unexpected </${rawName}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
    const node: XmlNode = { name, attrs, children: [], text: '' };
    top.children.push(node);
    if (!selfClosing) stack.push(node);
  }
  if (input.slice(last).trim()) throw new Error('malformed XML at the end');
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  return root;
}

export const child = (n: XmlNode | undefined, name: string): XmlNode | undefined => n?.children.find((c) => c.name === name);
export const children = (n: XmlNode | undefined, name: string): XmlNode[] => n?.children.filter((c) => c.name === name) ?? [];
/** Text of a child; xsi:nil="true" reads as absent. */
export function textOf(n: XmlNode | undefined, name: string): string | undefined {
  const c = child(n, name);
  if (!c || c.attrs['xsi:nil'] === 'true') return undefined;
  const t = c.text.trim();
  return t === '' ? undefined : t;
}
