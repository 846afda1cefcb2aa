// Zoho CRM look-alike.
//
// Shape: from Zoho CRM's detail and list views as remembered (2026-11): the module-tab top band
// (#crm-header with #tab_<Module> items), the detail view (#detailView) with its left
// "Related List" panel, the record header (#dv_header, span#dv_title.dv_title, Send Email /
// Convert / Edit buttons), sections (.dvSection "<Module> Information") whose rows carry the
// field's API name in ids (value_<FIELD>) and data-zcqa test attributes, and the list view
// (table#crm_lv_table, rows #crm_lv_row_<id>). A look-alike written from scratch, not a copy of
// Zoho markup or styles.
//
// URLs: /crm/<org>/tab/<Module>/<id> (single-org accounts: /crm/tab/<Module>/<id>), lists
// /crm/<org>/tab/<Module> and /crm/<org>/tab/<Module>/custom-view/<cvid>/list, home
// /crm/<org>/tab/Home/begin, on crm.zoho.com/.jp/.eu/.in/.com.au. Zoho CRM is an SPA: related
// record links navigate with pushState.
import { PUSH_STATE_CLIENT_JS } from '../client-scripts';
import { attrs, html, renderDocument, type SafeHtml } from '../html';
import type { CrmRecordView, RecordSource } from '../types';
import { safeDecode, indexRecords, initials, navAttrs, relatedRecords, type CrmSiteModule, type PageOptions, type RecordRegion, type RenderedPage } from './module';

interface ZField {
  api: string;
  label: string;
  value: (r: CrmRecordView) => string | undefined;
  kind?: 'email' | 'phone' | 'user';
}

interface ZModule {
  api: string;
  singular: string;
  fields: ZField[];
  actions: string[];
}

const ownerField = (label: string): ZField => ({ api: 'OWNER', label, value: (r) => r.owner, kind: 'user' });
const emailField: ZField = { api: 'EMAIL', label: 'Email', value: (r) => r.email, kind: 'email' };
const phoneField: ZField = { api: 'PHONE', label: 'Phone', value: (r) => r.phone, kind: 'phone' };

const MODULES: readonly ZModule[] = [
  {
    api: 'Leads', singular: 'Lead',
    fields: [ownerField('Lead Owner'), { api: 'LASTNAME', label: 'Lead Name', value: (r) => r.name }, { api: 'COMPANY', label: 'Company', value: (r) => r.company }, { api: 'DESIGNATION', label: 'Title', value: (r) => r.title }, emailField, phoneField, { api: 'LEADSTATUS', label: 'Lead Status', value: (r) => r.status }],
    actions: ['Send Email', 'Convert', 'Edit'],
  },
  {
    api: 'Contacts', singular: 'Contact',
    fields: [ownerField('Contact Owner'), { api: 'LASTNAME', label: 'Contact Name', value: (r) => r.name }, { api: 'ACCOUNTID', label: 'Account Name', value: (r) => r.company }, { api: 'TITLE', label: 'Title', value: (r) => r.title }, emailField, phoneField, { api: 'LEADSOURCE', label: 'Status', value: (r) => r.status }],
    actions: ['Send Email', 'Edit'],
  },
  {
    api: 'Accounts', singular: 'Account',
    fields: [ownerField('Account Owner'), { api: 'ACCOUNTNAME', label: 'Account Name', value: (r) => r.name }, phoneField, { api: 'ACCOUNTTYPE', label: 'Account Type', value: (r) => r.status }],
    actions: ['Send Email', 'Edit'],
  },
  {
    api: 'Deals', singular: 'Deal',
    fields: [ownerField('Deal Owner'), { api: 'POTENTIALNAME', label: 'Deal Name', value: (r) => r.name }, { api: 'ACCOUNTID', label: 'Account Name', value: (r) => r.company }, { api: 'STAGE', label: 'Stage', value: (r) => r.status }],
    actions: ['Send Email', 'Edit'],
  },
];

const DEFAULT_ORG = 'org60012345';

function moduleFor(api: string): ZModule | undefined {
  return MODULES.find((m) => m.api.toLowerCase() === api.toLowerCase());
}

/** ctx is the org path segment; "" means a single-org URL without one. */
function safeOrg(ctx: string | undefined): string {
  return ctx !== undefined && /^([A-Za-z0-9]{1,40})?$/.test(ctx) ? ctx : DEFAULT_ORG;
}

function base(org: string): string {
  return org === '' ? '/crm' : `/crm/${org}`;
}

function recordPath(record: Pick<CrmRecordView, 'objectType' | 'recordId'>, ctx?: string): string {
  return `${base(safeOrg(ctx))}/tab/${encodeURIComponent(record.objectType)}/${encodeURIComponent(record.recordId)}`;
}

// ---------------------------------------------------------------- markup

function topBand(org: string, active: string | undefined): SafeHtml {
  const tabs = ['Home', 'Leads', 'Contacts', 'Accounts', 'Deals', 'Tasks', 'Meetings', 'Calls', 'Reports', 'Analytics'];
  return html`<div id="crm-header" class="crmHeader newCrmHeader" role="banner"><a class="crmLogo" href="${base(org)}/tab/Home/begin" title="Zoho CRM"><span class="crmLogo-mark">▣</span> CRM</a>
<ul id="crmModuleTabs" class="crmTabs" role="tablist">${tabs.map((t) => html`<li id="tab_${t}" class="crmTab${t === active ? ' selected' : ''}" role="tab"><a href="${t === 'Home' ? `${base(org)}/tab/Home/begin` : `${base(org)}/tab/${t}`}">${t}</a></li>`)}<li class="crmTab crmTab-more">…</li></ul>
<div class="crmHeader-right"><span class="crmHeader-icon" data-zcqa="globalSearch" title="Search">⌕</span><span class="crmHeader-icon" title="Create">＋</span><span class="crmHeader-icon" title="Notifications">⚐</span><span class="crmHeader-icon" id="setupIcon" title="Setup">⚙</span><span class="crmHeader-avatar" title="松本 大輔">DM</span></div></div>`;
}

function fieldValue(f: ZField, value: string | undefined): SafeHtml {
  if (value === undefined || value === '') return html`<span class="dvValue-empty">—</span>`;
  if (f.kind === 'email') return html`<a href="mailto:${value}" class="dvEmail">${value}</a>`;
  if (f.kind === 'phone') return html`<a href="tel:${value.replace(/[^0-9+]/g, '')}" class="dvPhone">${value}</a>`;
  if (f.kind === 'user') return html`<span class="dvUser">${value}</span>`;
  return html`<span>${value}</span>`;
}

function detailView(records: RecordSource, org: string, mod: ZModule, record: CrmRecordView): SafeHtml {
  const related = relatedRecords(records, 'zoho', MODULES.map((m) => m.api), record, 6);
  const relatedLists = ['Notes', 'Attachments', 'Open Activities', 'Closed Activities', 'Invited Meetings', 'Emails', 'Campaigns'];
  return html`<div id="detailView" class="dvContainer" data-zcqa="detailView">
<aside class="dvLeftPanel" id="dvLeftPanel"><div class="dvLeftPanel-title">Related List</div><ul>${relatedLists.map((l) => html`<li class="dvRelatedListLink" data-zcqa="relatedList_${l.replace(/\s/g, '')}">${l}</li>`)}</ul><div class="dvLeftPanel-title">Links</div><ul><li class="dvRelatedListLink">Add Link</li></ul></aside>
<div class="dvMain">
<div id="dv_header" class="dvHeader" data-zcqa="dv_header"><div class="dvHeader-left"><a class="dvBack" href="${base(org)}/tab/${mod.api}" title="Back">←</a><span class="dvAvatar">${initials(record.name)}</span>
<div><span id="dv_title" class="dv_title" data-zcqa="dv_title">${record.name}</span>${record.company !== undefined && record.objectType !== 'Accounts' ? html` <span class="dvSubTitle" data-zcqa="dv_subtitle">- ${record.company}</span>` : ''}<div class="dvTags">＋ Add Tags</div></div></div>
<div class="dvHeader-actions">${mod.actions.map((a, i) => html`<button class="dvButton${a === 'Convert' ? ' primary' : ''}" id="${a === 'Convert' ? 'convertLead' : a === 'Edit' ? 'editRecord' : `dvAction${i}`}" data-zcqa="${a.toLowerCase().replace(/\s/g, '')}" type="button">${a}</button>`)}<button class="dvButton" data-zcqa="more" title="More" type="button">⋯</button><span class="dvPager"><a title="Previous record">‹</a><a title="Next record">›</a></span></div></div>
<ul class="dvTabs" role="tablist"><li class="dvTab selected" role="tab">Overview</li><li class="dvTab" role="tab">Timeline</li></ul>
<div class="dvSection" id="secDiv_${mod.singular}_Information" data-zcqa="section_${mod.singular}Information"><h3 class="dvSection-title">${mod.singular} Information</h3><div class="dvFields">
${mod.fields.map((f) => html`<div class="dvFieldRow" data-zcqa="detailView_${f.label}"><span class="dvLabel" id="labelTD_${f.api}">${f.label}</span><span class="dvValue" id="value_${f.api}" data-zcqa="value_${f.label}">${fieldValue(f, f.value(record))}</span></div>`)}
</div></div>
<div class="dvSection" id="secDiv_RelatedRecords"><h3 class="dvSection-title">Related Records</h3><ul class="dvRelated">${related.map((r) => html`<li><a href="${recordPath(r, org)}"${attrs(navAttrs(r))}>${r.name}</a> <span class="dvMuted">${moduleFor(r.objectType)?.singular ?? r.objectType}${r.company ? html` · ${r.company}` : ''}</span></li>`)}</ul></div>
<div class="dvSection"><h3 class="dvSection-title">Notes</h3><div class="dvNoteInput">Add a note...</div></div>
</div></div>`;
}

function notFound(org: string, mod: ZModule | undefined): SafeHtml {
  return html`<div id="detailView" class="dvContainer"><div class="dvMain"><div class="crmErrorPage record-not-found" role="alert" data-zcqa="recordNotFound"><div class="crmErrorPage-icon">▤</div><h2>Record not available</h2><p>The record you are trying to view has been deleted or you do not have permission to view it.</p><a class="dvButton primary" href="${base(org)}/tab/${mod?.api ?? 'Leads'}">Go to ${mod?.api ?? 'Leads'}</a></div></div></div>`;
}

function region(records: RecordSource, moduleApi: string, recordId: string, ctx: string | undefined): RecordRegion {
  const org = safeOrg(ctx);
  const mod = moduleFor(moduleApi);
  const record = mod && /^\d+$/.test(recordId) ? records.find('zoho', mod.api, recordId) : undefined;
  const path = recordPath({ objectType: mod?.api ?? moduleApi, recordId }, org);
  if (!mod || !record) return { found: false, title: 'Zoho CRM', path, html: notFound(org, mod) };
  return { found: true, record, title: `${record.name} - ${mod.api} - Zoho CRM`, path, html: detailView(records, org, mod, record) };
}

// ---------------------------------------------------------------- documents

function documentFor(opts: PageOptions, p: { title: string; org: string; active?: string; content: SafeHtml; objectType?: string; recordId?: string; status?: string }): string {
  return renderDocument({
    title: p.title,
    lang: 'en',
    css: CSS,
    bodyClass: 'crmBody',
    bodyAttrs: {
      'data-lookalike-crm': 'zoho',
      'data-lookalike-ctx': p.org,
      'data-lookalike-object-type': p.objectType,
      'data-lookalike-record-id': p.recordId,
      'data-lookalike-status': p.status,
    },
    body: html`${topBand(p.org, p.active)}<div id="crmContent" class="crmContent" data-lookalike-region>${p.content}</div>`,
    script: PUSH_STATE_CLIENT_JS,
    nonce: opts.nonce,
  });
}

function listView(records: RecordSource, org: string, mod: ZModule): SafeHtml {
  const rows = records.list('zoho', mod.api, 200);
  const cols = mod.fields.slice(1);
  return html`<div class="lvContainer" id="crm_lv_container"><div class="lvHeader"><h1 class="lvTitle" data-zcqa="cvName">All ${mod.api} ▾</h1><div><button class="dvButton primary" type="button">Create ${mod.singular}</button> <button class="dvButton" type="button">Actions ▾</button></div></div>
<div class="lvCount">Total Records ${rows.length}</div>
<table id="crm_lv_table" class="lv_table"><thead><tr><th class="lvCheck"><input type="checkbox" aria-label="Select all"></th>${cols.map((c) => html`<th>${c.label}</th>`)}</tr></thead><tbody>
${rows.map((r) => html`<tr id="crm_lv_row_${r.recordId}" class="lvRow"><td class="lvCheck"><input type="checkbox" aria-label="Select"></td>${cols.map((c, i) => html`<td>${i === 0 ? html`<a href="${recordPath(r, org)}"${attrs(navAttrs(r))} class="lvName">${c.value(r) ?? ''}</a>` : (c.value(r) ?? '')}</td>`)}</tr>`)}
</tbody></table></div>`;
}

function home(records: RecordSource, org: string): SafeHtml {
  const recent = indexRecords(records, zoho, 10);
  return html`<div class="lvContainer"><div class="lvHeader"><h1 class="lvTitle">Welcome to Zoho CRM look-alike (LeadLens)</h1></div><div class="dvSection"><h3 class="dvSection-title">Recent Records</h3><ul class="dvRelated">${recent.map((r) => html`<li><a href="${recordPath(r, org)}"${attrs(navAttrs(r))}>${r.name}</a> <span class="dvMuted">${moduleFor(r.objectType)?.singular ?? r.objectType}${r.company ? html` · ${r.company}` : ''}</span></li>`)}</ul></div></div>`;
}

function page(url: URL, records: RecordSource, opts: PageOptions): RenderedPage | undefined {
  if (url.pathname === '/') return { status: 200, html: documentFor(opts, { title: 'Home - Zoho CRM', org: DEFAULT_ORG, active: 'Home', content: home(records, DEFAULT_ORG) }) };
  // /crm/<org>/tab/... or /crm/tab/... (single-org accounts have no org segment).
  const m = /^\/crm\/(?:(?!tab\/)([A-Za-z0-9]+)\/)?tab\/([A-Za-z0-9_]+)(\/.*)?$/.exec(url.pathname);
  if (!m) return undefined;
  const org = m[1] ?? '';
  const tab = m[2] ?? '';
  const rest = (m[3] ?? '').replace(/\/$/, '');
  if (tab === 'Home') return { status: 200, html: documentFor(opts, { title: 'Home - Zoho CRM', org, active: 'Home', content: home(records, org) }) };
  const mod = moduleFor(tab);
  if (rest === '' || /^\/custom-view\/\d+\/list$/.test(rest)) {
    if (!mod) return undefined;
    return { status: 200, html: documentFor(opts, { title: `${mod.api} - Zoho CRM`, org, active: mod.api, content: listView(records, org, mod) }) };
  }
  const rec = /^\/([^/]+)$/.exec(rest);
  if (!rec) return undefined;
  const recordId = safeDecode(rec[1] ?? '');
  const r = region(records, tab, recordId, org);
  return { status: 200, recordFound: r.found, html: documentFor(opts, { title: r.title, org, active: mod?.api, content: r.html, objectType: mod?.api ?? tab, recordId, status: r.found ? 'record' : 'not-found' }) };
}

export const zoho: CrmSiteModule = {
  crm: 'zoho',
  label: 'Zoho CRM',
  defaultObjectTypes: MODULES.map((m) => m.api),
  page,
  region,
  recordPath,
  fixturePage(records, record) {
    const path = recordPath(record, DEFAULT_ORG);
    return { url: path, html: page(new URL(path, 'https://x.invalid'), records, {})?.html ?? '' };
  },
};

const CSS = `
body{font-family:"Lato","Segoe UI",Roboto,Arial,sans-serif;font-size:14px;color:#313949;background:#f2f4f8}
a{color:#2c6ecb}
.crmHeader{position:fixed;top:0;left:0;right:0;height:50px;z-index:50;background:#313949;display:flex;align-items:center;padding:0 12px;gap:16px}
.crmLogo{color:#fff;font-weight:700;font-size:17px;display:flex;align-items:center;gap:6px}.crmLogo-mark{color:#f0483e}
.crmTabs{display:flex;height:50px}.crmTab{display:flex;align-items:center;padding:0 12px}.crmTab a{color:#c9ced6}.crmTab.selected{background:#222834;border-bottom:3px solid #338cf0}.crmTab.selected a{color:#fff}.crmTab-more{color:#c9ced6}
.crmHeader-right{margin-left:auto;display:flex;align-items:center;gap:14px;color:#c9ced6;font-size:16px}
.crmHeader-avatar{width:30px;height:30px;border-radius:50%;background:#338cf0;color:#fff;font-size:11px;display:inline-flex;align-items:center;justify-content:center}
.crmContent{padding-top:50px}
.dvContainer{display:grid;grid-template-columns:200px minmax(0,1fr);min-height:calc(100vh - 50px)}
.dvLeftPanel{background:#fff;border-right:1px solid #e0e3ea;padding:12px 0}.dvLeftPanel-title{font-weight:700;padding:8px 16px;font-size:13px;color:#5c6a82}
.dvRelatedListLink{padding:6px 16px;font-size:13px;color:#313949;cursor:pointer}.dvRelatedListLink:hover{background:#f2f4f8}
.dvMain{padding:0 0 24px;min-width:0}
.dvHeader{display:flex;justify-content:space-between;align-items:center;gap:12px;background:#fff;padding:14px 20px;border-bottom:1px solid #e0e3ea}
.dvHeader-left{display:flex;gap:12px;align-items:center;min-width:0}.dvBack{font-size:18px;color:#5c6a82}
.dvAvatar{width:44px;height:44px;border-radius:50%;background:#dfe7f5;color:#2c6ecb;display:flex;align-items:center;justify-content:center;font-weight:700;flex:none}
.dv_title{font-size:19px;font-weight:700}.dvSubTitle{color:#5c6a82}.dvTags{font-size:12px;color:#8d96a8;margin-top:2px}
.dvHeader-actions{display:flex;gap:6px;align-items:center;flex-wrap:wrap}
.dvButton{border:1px solid #c9ced6;background:#fff;color:#313949;border-radius:4px;padding:6px 14px;font-size:13px;display:inline-block}
.dvButton.primary{background:#338cf0;border-color:#338cf0;color:#fff}
.dvPager a{display:inline-block;padding:4px 8px;border:1px solid #c9ced6;color:#5c6a82}
.dvTabs{display:flex;gap:24px;padding:0 20px;background:#fff;border-bottom:1px solid #e0e3ea}.dvTab{padding:10px 0;color:#5c6a82}.dvTab.selected{color:#313949;font-weight:700;border-bottom:2px solid #338cf0}
.dvSection{background:#fff;margin:16px 20px 0;border:1px solid #e0e3ea;border-radius:4px;padding:14px 20px}.dvSection-title{font-size:15px;margin-bottom:10px}
.dvFields{display:grid;grid-template-columns:1fr 1fr;column-gap:32px}
.dvFieldRow{display:grid;grid-template-columns:140px minmax(0,1fr);padding:8px 0;border-bottom:1px dashed #e0e3ea}
.dvLabel{color:#8d96a8;text-align:right;padding-right:16px}.dvValue{word-break:break-word}.dvValue-empty{color:#c9ced6}
.dvRelated li{padding:6px 0;border-bottom:1px solid #f2f4f8}.dvMuted{color:#8d96a8;font-size:12px}
.dvNoteInput{border:1px solid #e0e3ea;border-radius:4px;padding:10px;color:#8d96a8}
.crmErrorPage{margin:80px auto;max-width:520px;text-align:center;background:#fff;border:1px solid #e0e3ea;border-radius:4px;padding:40px}.crmErrorPage-icon{font-size:48px}.crmErrorPage h2{margin:12px 0}.crmErrorPage p{color:#5c6a82;margin-bottom:20px}
.lvContainer{padding:16px 20px}.lvContainer .dvSection{margin:16px 0 0}.lvHeader{display:flex;justify-content:space-between;align-items:center;margin-bottom:8px}.lvTitle{font-size:18px}
.lvCount{color:#5c6a82;font-size:12px;margin-bottom:8px}
.lv_table{width:100%;border-collapse:collapse;background:#fff}.lv_table th,.lv_table td{padding:9px 10px;border-bottom:1px solid #e0e3ea;text-align:left}.lv_table th{background:#f7f8fa;color:#5c6a82;font-weight:400;font-size:13px}.lvCheck{width:36px}
`;
