// Microsoft Dynamics 365 (model-driven app, Unified Interface) look-alike.
//
// Shape: from Unified Interface pages as remembered (2026-11) and the data-id attributes that
// Microsoft's own test tooling (EasyRepro) and many extensions rely on: the top bar
// (#topBar, [data-id="appBreadCrumb"]), the site map ([data-id="navbar-container"]), the command
// bar (ul[data-id="CommandBar"], buttons "<entity>|NoRelationship|Form|Mscrm.*"), the form header
// (#headerContainer[data-id="form-header"], h1[data-id="header_title"],
// [data-id="entity_name_span"], header_<field> controls), the business process flow bar,
// form tabs ([data-id="tablist-SUMMARY_TAB"]) and field controls
// ([data-id="<field>.fieldControl-text-box-text"], "-mail-text-input", "-phone-text-input",
// lookups "-LookupResultsDropdown_<field>_selected_tag_text"). A look-alike written from
// scratch, not a copy of Microsoft markup or styles.
//
// URLs: /main.aspx?appid=<guid>&pagetype=entityrecord&etn=<entity>&id=<guid> with parameters
// in any order and the id bare, braced or with URL-encoded braces; lists pagetype=entitylist;
// no id → the entity's "New" form. UCI is an SPA: subgrid links navigate with pushState.
import { PUSH_STATE_CLIENT_JS } from '../client-scripts';
import { attrs, html, renderDocument, type SafeHtml } from '../html';
import type { CrmRecordView, RecordSource } from '../types';
import { indexRecords, initials, navAttrs, relatedRecords, type CrmSiteModule, type PageOptions, type RecordRegion, type RenderedPage } from './module';

type FieldKind = 'text' | 'mail' | 'phone' | 'lookup' | 'optionset';

interface FormField {
  schema: string;
  label: string;
  kind: FieldKind;
  value: (r: CrmRecordView) => string | undefined;
}

interface Entity {
  etn: string;
  label: string;
  plural: string;
  fields: FormField[];
  statusOptions: string[];
  commands: { id: string; label: string; icon?: string }[];
  /** Business process flow stages; undefined → no BPF bar. */
  stages?: string[];
}

const owner: FormField = { schema: 'ownerid', label: 'Owner', kind: 'lookup', value: (r) => r.owner };
const email: FormField = { schema: 'emailaddress1', label: 'Email', kind: 'mail', value: (r) => r.email };
const phone: FormField = { schema: 'telephone1', label: 'Business Phone', kind: 'phone', value: (r) => r.phone };

const ENTITIES: readonly Entity[] = [
  {
    etn: 'lead', label: 'Lead', plural: 'Leads',
    fields: [
      { schema: 'fullname', label: 'Name', kind: 'text', value: (r) => r.name },
      { schema: 'jobtitle', label: 'Job Title', kind: 'text', value: (r) => r.title },
      phone, email,
      { schema: 'companyname', label: 'Company', kind: 'text', value: (r) => r.company },
      { schema: 'statuscode', label: 'Status Reason', kind: 'optionset', value: (r) => r.status },
      owner,
    ],
    statusOptions: ['New', 'Contacted', 'Qualified', 'Lost', 'Cannot Contact', 'No Longer Interested', 'Canceled'],
    commands: [
      { id: 'Mscrm.Form.lead.Save', label: 'Save', icon: '▣' }, { id: 'Mscrm.Form.lead.SaveAndClose', label: 'Save & Close' },
      { id: 'Mscrm.Form.lead.NewRecord', label: 'New', icon: '＋' }, { id: 'Mscrm.Form.lead.ConvertLeadQuick', label: 'Qualify', icon: '✓' },
      { id: 'Mscrm.Form.lead.Disqualify', label: 'Disqualify', icon: '✕' }, { id: 'Mscrm.Form.lead.Process', label: 'Process ▾' },
    ],
    stages: ['Qualify', 'Develop', 'Propose', 'Close'],
  },
  {
    etn: 'contact', label: 'Contact', plural: 'Contacts',
    fields: [
      { schema: 'fullname', label: 'Full Name', kind: 'text', value: (r) => r.name },
      { schema: 'jobtitle', label: 'Job Title', kind: 'text', value: (r) => r.title },
      { schema: 'parentcustomerid', label: 'Account Name', kind: 'lookup', value: (r) => r.company },
      email, phone,
      { schema: 'statuscode', label: 'Status Reason', kind: 'optionset', value: (r) => r.status },
      owner,
    ],
    statusOptions: ['Active', 'Inactive'],
    commands: [
      { id: 'Mscrm.Form.contact.Save', label: 'Save', icon: '▣' }, { id: 'Mscrm.Form.contact.SaveAndClose', label: 'Save & Close' },
      { id: 'Mscrm.Form.contact.NewRecord', label: 'New', icon: '＋' }, { id: 'Mscrm.Form.contact.Deactivate', label: 'Deactivate' },
    ],
  },
  {
    etn: 'account', label: 'Account', plural: 'Accounts',
    fields: [
      { schema: 'name', label: 'Account Name', kind: 'text', value: (r) => r.name },
      phone, email,
      { schema: 'statuscode', label: 'Status Reason', kind: 'optionset', value: (r) => r.status },
      owner,
    ],
    statusOptions: ['Active', 'Inactive'],
    commands: [
      { id: 'Mscrm.Form.account.Save', label: 'Save', icon: '▣' }, { id: 'Mscrm.Form.account.SaveAndClose', label: 'Save & Close' },
      { id: 'Mscrm.Form.account.NewRecord', label: 'New', icon: '＋' },
    ],
  },
  {
    etn: 'opportunity', label: 'Opportunity', plural: 'Opportunities',
    fields: [
      { schema: 'name', label: 'Topic', kind: 'text', value: (r) => r.name },
      { schema: 'parentaccountid', label: 'Account', kind: 'lookup', value: (r) => r.company },
      { schema: 'statuscode', label: 'Status Reason', kind: 'optionset', value: (r) => r.status },
      owner,
    ],
    statusOptions: ['In Progress', 'On Hold', 'Won', 'Canceled', 'Out-Sold'],
    commands: [
      { id: 'Mscrm.Form.opportunity.Save', label: 'Save', icon: '▣' }, { id: 'Mscrm.Form.opportunity.CloseAsWon', label: 'Close as Won' },
      { id: 'Mscrm.Form.opportunity.CloseAsLost', label: 'Close as Lost' },
    ],
    stages: ['Qualify', 'Develop', 'Propose', 'Close'],
  },
];

const DEFAULT_APPID = 'd2c0a9b1-6f3e-4e8a-9b7c-5a4d3e2f1c0b';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function entityFor(etn: string): Entity | undefined {
  return ENTITIES.find((e) => e.etn === etn.toLowerCase());
}

/** "{3F2A...}" / "%7B3F2A...%7D" (already decoded by URLSearchParams) / "3f2a..." → "3f2a...". */
export function normalizeGuid(id: string): string {
  return id.trim().replace(/^\{/, '').replace(/\}$/, '').toLowerCase();
}

function safeAppId(ctx: string | undefined): string {
  return ctx !== undefined && GUID.test(ctx) ? ctx : DEFAULT_APPID;
}

function recordPath(record: Pick<CrmRecordView, 'objectType' | 'recordId'>, ctx?: string): string {
  const q = new URLSearchParams({ appid: safeAppId(ctx), pagetype: 'entityrecord', etn: record.objectType, id: record.recordId });
  return `/main.aspx?${q.toString()}`;
}

function listPath(appid: string, etn: string): string {
  return `/main.aspx?${new URLSearchParams({ appid, pagetype: 'entitylist', etn }).toString()}`;
}

function findRecord(records: RecordSource, etn: string, rawId: string): CrmRecordView | undefined {
  const id = normalizeGuid(rawId);
  if (!GUID.test(id)) return undefined;
  return records.find('dynamics', etn, id) ?? records.find('dynamics', etn, id.toUpperCase());
}

// ---------------------------------------------------------------- markup

function topBar(): SafeHtml {
  return html`<header id="topBar" data-id="topBar" role="banner" class="topBar">
<button class="topBar-waffle" data-id="navbar-switch-apps" title="App launcher" type="button">⋮⋮⋮</button>
<span class="appBreadCrumb" data-id="appBreadCrumb"><a data-id="appBreadCrumbText" href="/">Dynamics 365</a><span class="appBreadCrumb-sep">|</span><span data-id="appBreadCrumbAppName">Sales Hub</span></span>
<div class="topBar-search" data-id="GlobalSearchBox"><input type="search" placeholder="Search" aria-label="Search"></div>
<div class="topBar-right"><button data-id="assistant" title="Assistant" type="button">⚐</button><button data-id="settingsButton" title="Settings" type="button">⚙</button><button data-id="helpButton" title="Help" type="button">?</button><span class="topBar-avatar" data-id="userInformationLauncher" title="小林 恵">MK</span></div>
</header>`;
}

function siteMap(appid: string, active: string | undefined): SafeHtml {
  const groups: { title: string; items: { etn?: string; label: string }[] }[] = [
    { title: 'My Work', items: [{ label: 'Dashboards' }, { label: 'Activities' }] },
    { title: 'Customers', items: [{ etn: 'account', label: 'Accounts' }, { etn: 'contact', label: 'Contacts' }] },
    { title: 'Sales', items: [{ etn: 'lead', label: 'Leads' }, { etn: 'opportunity', label: 'Opportunities' }] },
  ];
  return html`<nav id="navbar-container" data-id="navbar-container" aria-label="Site Map" class="siteMap"><ul class="siteMap-top"><li title="Home">⌂ Home</li><li title="Recent">◷ Recent ▾</li><li title="Pinned">✦ Pinned ▾</li></ul>
${groups.map((g) => html`<div class="siteMap-group"><h3 class="siteMap-groupTitle">${g.title}</h3><ul>${g.items.map((i) => html`<li class="siteMap-item${i.etn === active ? ' selected' : ''}" data-id="sitemap-entity-${i.etn ?? i.label.toLowerCase()}" data-text="${i.label}">${i.etn ? html`<a href="${listPath(appid, i.etn)}">${i.label}</a>` : i.label}</li>`)}</ul></div>`)}
</nav>`;
}

function control(entity: Entity, f: FormField, value: string | undefined, prefix = ''): SafeHtml {
  const id = `${prefix}${f.schema}`;
  switch (f.kind) {
    case 'lookup':
      return value === undefined || value === ''
        ? html`<div data-id="${id}.fieldControl-Lookup_${f.schema}"><input data-id="${id}.fieldControl-LookupResultsDropdown_${f.schema}_textInputBox_with_filter_new" placeholder="Look for ${f.label}" aria-label="${f.label}"></div>`
        : html`<div data-id="${id}.fieldControl-Lookup_${f.schema}"><ul data-id="${id}.fieldControl-LookupResultsDropdown_${f.schema}_SelectedRecordList" class="lookup-selected"><li><span class="lookup-icon">${initials(value)}</span><div data-id="${id}.fieldControl-LookupResultsDropdown_${f.schema}_selected_tag_text" title="${value}">${value}</div></li></ul></div>`;
    case 'optionset': {
      const options = value !== undefined && !entity.statusOptions.includes(value) ? [value, ...entity.statusOptions] : entity.statusOptions;
      return html`<select data-id="${id}.fieldControl-option-set-select" aria-label="${f.label}">${value === undefined ? html`<option selected>---</option>` : ''}${options.map((o) => html`<option${o === value ? html` selected` : ''}>${o}</option>`)}</select>`;
    }
    case 'mail':
      return html`<input data-id="${id}.fieldControl-mail-text-input" type="text" aria-label="${f.label}" value="${value ?? ''}" placeholder="---">${value ? html`<a class="field-action" href="mailto:${value}" title="Send email">✉</a>` : ''}`;
    case 'phone':
      return html`<input data-id="${id}.fieldControl-phone-text-input" type="text" aria-label="${f.label}" value="${value ?? ''}" placeholder="---">${value ? html`<a class="field-action" href="tel:${value.replace(/[^0-9+]/g, '')}" title="Call">☎</a>` : ''}`;
    default:
      return html`<input data-id="${id}.fieldControl-text-box-text" type="text" aria-label="${f.label}" value="${value ?? ''}" placeholder="---">`;
  }
}

function header(entity: Entity, record: CrmRecordView | undefined): SafeHtml {
  const headerFields = entity.fields.filter((f) => f.schema === 'statuscode' || f.schema === 'ownerid');
  const title = record?.name ?? `New ${entity.label}`;
  return html`<div id="headerContainer" data-id="form-header" class="formHeader">
<div class="formHeader-left"><div class="formHeader-image" data-id="header_image">${record ? initials(record.name) : '＋'}</div>
<div><h1 data-id="header_title" title="${title}" class="formHeader-title">${title}<span data-id="header_saveStatus" class="saveStatus">${record ? ' - Saved' : ' - Unsaved'}</span></h1>
<div class="formHeader-entity"><span data-id="entity_name_span">${entity.label} · ${entity.label}</span> <span class="formSelector" data-id="form-selector">${entity.label} ▾</span></div></div></div>
<div class="formHeader-fields" data-id="header_fields_container">${headerFields.map((f) => html`<div class="headerField" data-id="header_${f.schema}"><div class="headerField-value">${f.kind === 'lookup' ? control(entity, f, record ? f.value(record) : undefined, 'header_') : html`<span data-id="header_${f.schema}.fieldControl-option-set-select-container">${(record && f.value(record)) ?? '---'}</span>`}</div><div class="headerField-label">${f.label}</div></div>`)}</div>
</div>`;
}

function processBar(entity: Entity): SafeHtml {
  if (!entity.stages) return html``;
  return html`<div class="bpf" data-id="MscrmControls.Containers.ProcessBreadCrumb-processHeaderStageFlowContainer"><div class="bpf-title" data-id="MscrmControls.Containers.ProcessBreadCrumb-processHeaderTitle">${entity.label} to Opportunity Sales Process<div class="bpf-sub">Active for 3 days</div></div>
<ul class="bpf-stages">${entity.stages.map((s, i) => html`<li class="bpf-stage${i === 0 ? ' active' : ''}" data-id="MscrmControls.Containers.ProcessBreadCrumb-stageIndicator-${s.toLowerCase()}"><span class="bpf-dot"></span>${s}${i === 0 ? html` <span class="bpf-days">(3 D)</span>` : ''}</li>`)}</ul></div>`;
}

function form(records: RecordSource, appid: string, entity: Entity, record: CrmRecordView | undefined): SafeHtml {
  const related = record ? relatedRecords(records, 'dynamics', ENTITIES.map((e) => e.etn), record, 6) : [];
  return html`<div data-id="editFormRoot" class="formRoot">
<div id="commandBar" class="commandBar"><ul data-id="CommandBar" data-lp-id="commandbar-Form:${entity.etn}" role="menubar">
<li><button data-id="navigateBackButton" title="Go back" type="button">←</button></li>
${entity.commands.map((c) => html`<li><button data-id="${entity.etn}|NoRelationship|Form|${c.id}" aria-label="${c.label}" type="button">${c.icon !== undefined ? html`<span class="cmd-icon">${c.icon}</span> ` : ''}${c.label}</button></li>`)}
<li><button data-id="OverflowButton" title="More commands" type="button">⋯</button></li></ul></div>
${header(entity, record)}
${processBar(entity)}
<ul class="formTabs" role="tablist" aria-label="${entity.label} Form"><li role="tab" data-id="tablist-SUMMARY_TAB" aria-selected="true" title="Summary">Summary</li><li role="tab" data-id="tablist-DETAILS_TAB" aria-selected="false" title="Details">Details</li><li role="tab" data-id="tablist-Related" aria-selected="false" title="Related">Related ▾</li></ul>
<div class="formBody">
<div class="formColumn">
<section class="formSection" data-id="${entity.label.toUpperCase()}_INFORMATION" aria-label="${entity.label.toUpperCase()}"><h2 class="formSection-title">${entity.label === 'Lead' ? 'Contact' : entity.label + ' Information'}</h2>
${entity.fields.map((f) => html`<div class="formField" data-id="${f.schema}-FieldSectionItemContainer"><label data-id="${f.schema}-field-label" class="formField-label">${f.label}</label><div class="formField-control" data-id="${f.schema}">${control(entity, f, record ? f.value(record) : undefined)}</div></div>`)}
</section>
${record ? html`<section class="formSection" data-id="RelatedRecords" aria-label="Related"><h2 class="formSection-title">Related records</h2><div data-id="dataSetRoot_RelatedRecords" class="subgrid">${related.length === 0 ? html`<p class="muted">No data available.</p>` : html`<ul>${related.map((r) => html`<li class="subgrid-row" data-id="cell-0-1"><a href="${recordPath(r, appid)}"${attrs(navAttrs(r))} aria-label="${r.name}">${r.name}</a><span class="muted">${entityFor(r.objectType)?.label ?? r.objectType}${r.company ? html` · ${r.company}` : ''}</span></li>`)}</ul>`}</div></section>` : ''}
</div>
<div class="formColumn"><section class="formSection" data-id="notescontrol" aria-label="Timeline"><h2 class="formSection-title">Timeline <span class="timeline-actions">＋ ⚲ ⋯</span></h2><div class="timeline-input">Enter a note...</div><p class="muted timeline-empty">Almost there<br>Get started by capturing data.</p></section></div>
</div>
</div>`;
}

function notFound(appid: string): SafeHtml {
  return html`<div data-id="editFormRoot" class="formRoot"><div class="dialogScrim"><div role="dialog" aria-modal="true" data-id="errorDialogdialog" class="errorDialog record-not-found">
<h1 data-id="errorDialog_Header_Title" class="errorDialog-title">Record Is Unavailable</h1>
<p data-id="errorDialog_subtitle">The requested record was not found or you do not have sufficient permissions to view it.</p>
<div class="errorDialog-buttons"><a data-id="okButton" class="primaryButton" href="${listPath(appid, 'lead')}">OK</a></div></div></div></div>`;
}

function region(records: RecordSource, etn: string, recordId: string, ctx: string | undefined): RecordRegion {
  const appid = safeAppId(ctx);
  const entity = entityFor(etn);
  const record = entity ? findRecord(records, entity.etn, recordId) : undefined;
  const path = recordPath({ objectType: etn, recordId: normalizeGuid(recordId) }, appid);
  if (!entity || !record) return { found: false, title: 'Dynamics 365', path, html: notFound(appid) };
  return { found: true, record, title: `${entity.label}: Information: ${record.name} - Dynamics 365`, path, html: form(records, appid, entity, record) };
}

// ---------------------------------------------------------------- documents

function documentFor(opts: PageOptions, p: { title: string; appid: string; active?: string; content: SafeHtml; objectType?: string; recordId?: string; status?: string }): string {
  return renderDocument({
    title: p.title,
    lang: 'en',
    css: CSS,
    bodyClass: 'uci',
    bodyAttrs: {
      'data-lookalike-crm': 'dynamics',
      'data-lookalike-ctx': p.appid,
      'data-lookalike-object-type': p.objectType,
      'data-lookalike-record-id': p.recordId,
      'data-lookalike-status': p.status,
    },
    body: html`<div id="ApplicationShell" data-id="ApplicationShell">${topBar()}<div id="mainContent" class="mainContent">${siteMap(p.appid, p.active)}<div id="mainContentInner" class="mainContentInner" data-lookalike-region>${p.content}</div></div></div>`,
    script: PUSH_STATE_CLIENT_JS,
    nonce: opts.nonce,
  });
}

function listPage(records: RecordSource, appid: string, entity: Entity): SafeHtml {
  const rows = records.list('dynamics', entity.etn, 250);
  return html`<div class="formRoot"><div id="commandBar" class="commandBar"><ul data-id="CommandBar" data-lp-id="commandbar-HomePageGrid:${entity.etn}" role="menubar"><li><button data-id="${entity.etn}|NoRelationship|HomePageGrid|Mscrm.HomepageGrid.${entity.etn}.NewRecord" type="button">＋ New</button></li><li><button type="button">⟳ Refresh</button></li></ul></div>
<div class="viewHeader"><h1 class="viewSelector" data-id="ViewSelector">My Open ${entity.plural} ▾</h1></div>
<div data-id="data-set-body-container" class="grid"><table class="grid-table" role="grid"><thead><tr><th>Name</th><th>Company</th><th>Email</th><th>Status Reason</th><th>Owner</th></tr></thead><tbody>
${rows.map((r, i) => html`<tr class="grid-row" data-id="grid-row-${i}"><td><a href="${recordPath(r, appid)}"${attrs(navAttrs(r))} aria-label="${r.name}">${r.name}</a></td><td>${r.company ?? ''}</td><td>${r.email ?? ''}</td><td>${r.status ?? ''}</td><td>${r.owner ?? ''}</td></tr>`)}
</tbody></table><div class="grid-footer">1 - ${rows.length} of ${rows.length}</div></div></div>`;
}

function dashboard(records: RecordSource, appid: string): SafeHtml {
  const recent = indexRecords(records, dynamics, 10);
  return html`<div class="formRoot dashboard"><div class="viewHeader"><h1 class="viewSelector">Sales Activity Social Dashboard ▾</h1></div><section class="formSection"><h2 class="formSection-title">LeadLens look-alike: Dynamics 365 records</h2><ul>${recent.map((r) => html`<li class="subgrid-row"><a href="${recordPath(r, appid)}"${attrs(navAttrs(r))}>${r.name}</a><span class="muted">${entityFor(r.objectType)?.label ?? r.objectType}${r.company ? html` · ${r.company}` : ''}</span></li>`)}</ul></section></div>`;
}

function page(url: URL, records: RecordSource, opts: PageOptions): RenderedPage | undefined {
  if (url.pathname === '/') return { status: 200, html: documentFor(opts, { title: 'Dashboards - Dynamics 365', appid: DEFAULT_APPID, content: dashboard(records, DEFAULT_APPID) }) };
  if (url.pathname.toLowerCase() !== '/main.aspx') return undefined;
  // Parameter names are matched case-insensitively: hand-edited and old links vary.
  const q = new Map<string, string>();
  url.searchParams.forEach((v, k) => q.set(k.toLowerCase(), v));
  const appid = safeAppId(q.get('appid'));
  const pagetype = (q.get('pagetype') ?? '').toLowerCase();
  const entity = entityFor(q.get('etn') ?? '');
  if (pagetype === 'entityrecord' && entity) {
    const id = q.get('id');
    if (id === undefined || id === '') {
      const content = form(records, appid, entity, undefined);
      return { status: 200, html: documentFor(opts, { title: `${entity.label}: New ${entity.label} - Dynamics 365`, appid, active: entity.etn, content, objectType: entity.etn, status: 'new' }) };
    }
    const r = region(records, entity.etn, id, appid);
    return { status: 200, recordFound: r.found, html: documentFor(opts, { title: r.title, appid, active: entity.etn, content: r.html, objectType: entity.etn, recordId: normalizeGuid(id), status: r.found ? 'record' : 'not-found' }) };
  }
  if (pagetype === 'entitylist' && entity) {
    return { status: 200, html: documentFor(opts, { title: `My Open ${entity.plural} - Dynamics 365`, appid, active: entity.etn, content: listPage(records, appid, entity) }) };
  }
  if (pagetype === 'entityrecord') {
    // Unknown entity: UCI shows the same "unavailable" dialog.
    return { status: 200, recordFound: false, html: documentFor(opts, { title: 'Dynamics 365', appid, content: notFound(appid), status: 'not-found' }) };
  }
  return { status: 200, html: documentFor(opts, { title: 'Dashboards - Dynamics 365', appid, content: dashboard(records, appid) }) };
}

export const dynamics: CrmSiteModule = {
  crm: 'dynamics',
  label: 'Dynamics 365',
  defaultObjectTypes: ENTITIES.map((e) => e.etn),
  page,
  region,
  recordPath,
  fixturePage(records, record) {
    const path = recordPath(record, DEFAULT_APPID);
    return { url: path, html: page(new URL(path, 'https://x.invalid'), records, {})?.html ?? '' };
  },
};

const CSS = `
body{font-family:"Segoe UI","Segoe UI Web (West European)",-apple-system,Roboto,sans-serif;font-size:14px;color:#323130;background:#faf9f8}
a{color:#115ea3}
.topBar{position:fixed;top:0;left:0;right:0;height:48px;z-index:50;background:#002050;color:#fff;display:flex;align-items:center;gap:12px;padding:0 8px}
.topBar button{border:0;background:none;color:#fff;font-size:15px;padding:6px 8px}.topBar-waffle{letter-spacing:-3px;font-weight:700}
.appBreadCrumb{display:flex;align-items:center;gap:10px;font-weight:600}.appBreadCrumb a{color:#fff}.appBreadCrumb-sep{opacity:.6}
.topBar-search{margin:0 auto}.topBar-search input{width:min(420px,30vw);height:32px;border-radius:4px;border:0;padding:0 10px}
.topBar-right{display:flex;align-items:center;gap:4px}.topBar-avatar{width:32px;height:32px;border-radius:50%;background:#8764b8;display:inline-flex;align-items:center;justify-content:center;font-size:12px}
.mainContent{display:flex;padding-top:48px;min-height:100vh}
.siteMap{width:208px;flex:none;background:#efefef;border-right:1px solid #e1dfdd;padding:8px 0;position:fixed;top:48px;bottom:0;overflow:auto}
.siteMap-top li{padding:8px 16px}.siteMap-groupTitle{font-size:14px;font-weight:600;padding:12px 16px 4px}
.siteMap-item{padding:8px 16px 8px 24px}.siteMap-item a{color:#323130}.siteMap-item.selected{background:#fff;border-left:3px solid #0f6cbd;padding-left:21px;font-weight:600}
.mainContentInner{margin-left:208px;flex:1;min-width:0}
.commandBar{background:#fff;border-bottom:1px solid #e1dfdd;padding:4px 8px}.commandBar ul{display:flex;flex-wrap:wrap}
.commandBar button{border:0;background:none;padding:8px 10px;color:#323130;font-size:14px}.commandBar button:hover{background:#f3f2f1}
.formHeader{display:flex;justify-content:space-between;gap:16px;background:#fff;padding:12px 24px}
.formHeader-left{display:flex;gap:12px;align-items:center;min-width:0}
.formHeader-image{width:48px;height:48px;border-radius:50%;background:#0f6cbd;color:#fff;display:flex;align-items:center;justify-content:center;font-weight:600;flex:none}
.formHeader-title{font-size:20px;font-weight:600}.saveStatus{font-size:14px;font-weight:400;color:#605e5c}
.formHeader-entity{color:#605e5c;font-size:13px}.formSelector{margin-left:6px}
.formHeader-fields{display:flex;gap:24px}.headerField-value{font-weight:600}.headerField-label{font-size:12px;color:#605e5c}
.lookup-selected li{display:flex;gap:6px;align-items:center}.lookup-icon{width:20px;height:20px;border-radius:50%;background:#c19c00;color:#fff;font-size:9px;display:inline-flex;align-items:center;justify-content:center}
.bpf{display:flex;align-items:center;gap:24px;background:#fff;border-top:1px solid #edebe9;border-bottom:1px solid #edebe9;padding:10px 24px}
.bpf-title{font-size:13px;font-weight:600;max-width:220px}.bpf-sub{font-weight:400;color:#605e5c;font-size:12px}
.bpf-stages{display:flex;flex:1;justify-content:space-between}.bpf-stage{display:flex;align-items:center;gap:6px;color:#605e5c}.bpf-stage.active{color:#0f6cbd;font-weight:600}
.bpf-dot{width:14px;height:14px;border-radius:50%;border:2px solid #8a8886}.bpf-stage.active .bpf-dot{background:#0f6cbd;border-color:#0f6cbd}
.formTabs{display:flex;gap:20px;padding:0 24px;background:#fff;border-bottom:1px solid #edebe9}.formTabs li{padding:10px 0;cursor:pointer}.formTabs li[aria-selected="true"]{border-bottom:2px solid #0f6cbd;font-weight:600}
.formBody{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px;padding:16px 24px}
.formColumn{display:flex;flex-direction:column;gap:16px;min-width:0}
.formSection{background:#fff;border-radius:4px;box-shadow:0 1.6px 3.6px rgba(0,0,0,.13);padding:12px 16px}
.formSection-title{font-size:16px;font-weight:600;margin-bottom:8px;display:flex;justify-content:space-between}
.formField{display:grid;grid-template-columns:140px minmax(0,1fr);align-items:center;padding:6px 0}
.formField-label{color:#323130;font-size:14px}
.formField-control{display:flex;align-items:center;gap:6px;min-width:0}
.formField-control input,.formField-control select{width:100%;height:32px;border:0;background:#f3f2f1;border-radius:4px;padding:0 8px;font:inherit;color:#323130}
.field-action{font-size:16px}
.subgrid-row{display:flex;flex-direction:column;padding:6px 0;border-bottom:1px solid #edebe9}.muted{color:#605e5c;font-size:12px}
.timeline-input{border:1px solid #e1dfdd;border-radius:4px;padding:8px;color:#a19f9d;margin-bottom:8px}.timeline-empty{text-align:center;padding:24px 0}.timeline-actions{font-weight:400;color:#605e5c}
.dialogScrim{position:fixed;inset:48px 0 0 208px;background:rgba(0,0,0,.4);display:flex;align-items:center;justify-content:center;z-index:40}
.errorDialog{background:#fff;padding:24px;max-width:440px;border-radius:4px;box-shadow:0 6px 24px rgba(0,0,0,.3)}.errorDialog-title{font-size:20px;margin-bottom:12px}
.errorDialog-buttons{text-align:right;margin-top:20px}.primaryButton{background:#0f6cbd;color:#fff;padding:6px 20px;border-radius:4px;display:inline-block}
.viewHeader{padding:12px 24px;background:#fff}.viewSelector{font-size:20px;font-weight:600}
.grid{margin:0 24px;background:#fff}.grid-table{width:100%;border-collapse:collapse}.grid-table th,.grid-table td{text-align:left;padding:8px 10px;border-bottom:1px solid #edebe9}.grid-table th{font-weight:600;font-size:13px}.grid-footer{padding:8px 10px;color:#605e5c;font-size:12px}
.dashboard .formSection{margin:16px 24px}
`;
