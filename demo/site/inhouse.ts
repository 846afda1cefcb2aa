// An "in-house CRM" look-alike: the kind of home-grown customer database many Japanese firms run,
// which no built-in adapter knows. LeadLens reaches it only through a custom rule, so its markup
// is deliberately plain: server-rendered pages, the record id in the path, the customer's email
// in `#customer-email` (what a rule's email selector points at).
//
// URLs: / and /customers (list), /customers/<id> (a customer). Customers are the RecordSource's
// records that carry an email, one per address, numbered from 10001 in the source's order
// (built-in CRMs first to last, object types in the source's order), so the same data set always
// gives the same numbers and every customer is a lead the server can find by email.
import { CRM_MODULES } from './crms/index';
import { html, renderDocument, type SafeHtml } from './html';
import type { RenderedPage } from './crms/module';
import { CRM_NAMES, type CrmRecordView, type RecordSource } from './types';

export const INHOUSE_HOST = 'crm.example-corp.jp';
export const INHOUSE_LABEL = 'Example Corp 顧客管理 (in-house CRM)';
const FIRST_ID = 10001;

export interface Customer {
  id: string;
  record: CrmRecordView;
}

const numbered = new WeakMap<RecordSource, Customer[]>();

/** Every customer of the in-house CRM, in id order. */
export function inHouseCustomers(records: RecordSource): Customer[] {
  let customers = numbered.get(records);
  if (!customers) {
    const seen = new Set<string>();
    customers = [];
    for (const crm of CRM_NAMES) {
      const types = records.objectTypes?.(crm) ?? CRM_MODULES[crm].defaultObjectTypes;
      for (const record of types.flatMap((type) => records.list(crm, type, Number.MAX_SAFE_INTEGER))) {
        const email = record.email?.toLowerCase();
        if (!email || seen.has(email)) continue;
        seen.add(email);
        customers.push({ id: String(FIRST_ID + customers.length), record });
      }
    }
    numbered.set(records, customers);
  }
  return customers;
}

/** The customer page of an email address, e.g. `/customers/10042`. */
export function customerPath(records: RecordSource, email: string): string | undefined {
  const customer = inHouseCustomers(records).find((c) => c.record.email?.toLowerCase() === email.toLowerCase());
  return customer && `/customers/${customer.id}`;
}

function documentFor(title: string, content: SafeHtml, attrs: Record<string, string | undefined>): string {
  return renderDocument({
    title,
    lang: 'ja',
    css: CSS,
    bodyAttrs: { 'data-lookalike-crm': 'custom', ...attrs },
    body: html`<header class="ih-top"><a href="/customers" class="ih-brand">Example Corp 顧客管理</a><nav><a href="/customers">顧客一覧</a></nav></header><main class="ih-main">${content}</main>`,
  });
}

function list(records: RecordSource): RenderedPage {
  const customers = inHouseCustomers(records).slice(0, 200);
  const rows = customers.map((c) => html`<tr><td>${c.id}</td><td><a href="/customers/${c.id}">${c.record.name}</a></td><td>${c.record.company ?? ''}</td></tr>`);
  return { status: 200, html: documentFor('顧客一覧 | Example Corp', html`<h1>顧客一覧</h1><table class="ih-list"><thead><tr><th>顧客番号</th><th>氏名</th><th>会社</th></tr></thead><tbody>${rows}</tbody></table>`, {}) };
}

function customerPage(records: RecordSource, id: string): RenderedPage {
  const customer = inHouseCustomers(records).find((c) => c.id === id);
  if (!customer) {
    return { status: 200, recordFound: false, html: documentFor('顧客が見つかりません | Example Corp', html`<p class="ih-empty" role="alert">顧客番号 ${id} は見つかりません。</p>`, { 'data-lookalike-record-id': id, 'data-lookalike-status': 'not-found' }) };
  }
  const r = customer.record;
  const field = (label: string, value: SafeHtml | string | undefined) => html`<tr><th>${label}</th><td>${value ?? '—'}</td></tr>`;
  const content = html`<h1 id="customer-name">${r.name}</h1><p class="ih-sub">顧客番号 <span id="customer-id">${customer.id}</span></p>
<table class="ih-card">${field('会社', r.company)}${field('メール', r.email ? html`<a id="customer-email" href="mailto:${r.email}">${r.email}</a>` : undefined)}${field('電話', r.phone)}${field('役職', r.title)}${field('担当', r.owner)}</table>`;
  return { status: 200, recordFound: true, html: documentFor(`${r.name} | Example Corp 顧客管理`, content, { 'data-lookalike-object-type': 'customer', 'data-lookalike-record-id': customer.id, 'data-lookalike-status': 'record' }) };
}

/** The page for a path, or undefined for a path this CRM does not have (404). */
export function inHousePage(url: URL, records: RecordSource): RenderedPage | undefined {
  const path = url.pathname.replace(/\/$/, '');
  if (path === '' || path === '/customers') return list(records);
  const m = /^\/customers\/(\d{1,12})$/.exec(path);
  return m ? customerPage(records, m[1] ?? '') : undefined;
}

const CSS = `
body{font-family:"Hiragino Sans","Noto Sans JP",Meiryo,sans-serif;font-size:14px;color:#222;background:#f6f6f2}
.ih-top{display:flex;gap:24px;align-items:center;background:#2f4f4f;color:#fff;padding:10px 20px}.ih-top a{color:#fff}.ih-brand{font-weight:700}
.ih-main{padding:20px 380px 20px 20px}h1{font-size:20px;margin-bottom:6px}.ih-sub{color:#666;margin-bottom:14px}
.ih-card,.ih-list{border-collapse:collapse;background:#fff;min-width:420px}.ih-card th,.ih-card td,.ih-list th,.ih-list td{border:1px solid #ddd;padding:8px 12px;text-align:left}.ih-card th,.ih-list th{background:#eef1ee;font-weight:400;color:#555;width:120px}
`;
