// Escape-by-default HTML building. Record strings come from data sets we don't control (tests
// put <script> and quotes in names), so every interpolated value is escaped unless it is
// SafeHtml produced by this module. There is deliberately no way to interpolate a raw string
// except raw(), which is meant for constant CSS/JS written in this folder.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

function renderValue(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v: HtmlValue) => renderValue(v)).join('');
  // false/true/null/undefined render as nothing so `cond && html\`...\`` works.
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  return escapeHtml(String(value));
}

/** Tagged template: literal parts are trusted, every ${value} is escaped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += renderValue(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Trusted constant markup, CSS or script. Never pass record data here. */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}

export interface DocumentParts {
  title: string;
  lang: string;
  css: string;
  bodyClass?: string;
  /** data-* and other attributes for <body>; undefined values are left out. */
  bodyAttrs?: Record<string, string | undefined>;
  body: SafeHtml;
  /** Inline page script (constant JS from client-scripts.ts). */
  script?: string;
  /** CSP nonce for the inline script; left out in saved fixtures so they are byte-stable. */
  nonce?: string;
}

export function renderDocument(parts: DocumentParts): string {
  const script =
    parts.script === undefined
      ? ''
      : html`<script${parts.nonce === undefined ? '' : html` nonce="${parts.nonce}"`}>${raw(parts.script)}</script>`;
  return `<!DOCTYPE html>\n${html`<html lang="${parts.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${parts.title}</title><style>${raw(BASE_CSS + parts.css)}</style></head><body class="${parts.bodyClass ?? ''}"${attrs(parts.bodyAttrs ?? {})}>
${parts.body}
${script}
</body></html>`.value}\n`;
}

// Shared by every CRM page: the panel-free reset. CRM-specific looks live in each module.
const BASE_CSS =
  '*,*::before,*::after{box-sizing:border-box}html,body{margin:0;padding:0}' +
  'a{text-decoration:none}button{font:inherit;cursor:pointer}ul{list-style:none;margin:0;padding:0}' +
  'h1,h2,h3,h4,p{margin:0}';

/** ` k="v"` pairs for an element; keys are constants from this folder, values are escaped. */
export function attrs(map: Record<string, string | undefined>): SafeHtml {
  return html`${Object.entries(map)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => html` ${raw(k)}="${v}"`)}`;
}
