// HubSpot CRM look-alike.
//
// Shape: from HubSpot's record pages as remembered (2026-11) and the attributes its own UI
// tests leave in the DOM, which browser extensions commonly key on: the top navigation
// (#hs-nav-v4 > nav#navbar), the three-column record layout (left "about" sidebar, middle
// Overview/Activities tabs, right association cards, each with its "+ Add"), the highlight with
// [data-selenium-test="highlightTitle"] / "highlightSubtitle", engagement buttons (Note, Email,
// Call, Task, Meeting) and properties as [data-selenium-test="property-input-<name>"]. A
// look-alike written from scratch, not a copy of HubSpot markup or styles.
//
// URLs: /contacts/<portal>/record/<0-1|0-2|0-3>/<id> (contact, company, deal), the older
// /contacts/<portal>/contact/<id> (also company/, deal/; served as is, without the real app's
// client-side redirect to /record/0-1/), lists /contacts/<portal>/objects/<type>/views/all/list.
// HubSpot is an SPA: association links navigate with history.pushState.
import { PUSH_STATE_CLIENT_JS } from '../client-scripts';
import { attrs, html, renderDocument, type SafeHtml } from '../html';
import type { CrmRecordView, RecordSource } from '../types';
import { safeDecode, indexRecords, initials, navAttrs, relatedRecords, type CrmSiteModule, type PageOptions, type RecordRegion, type RenderedPage } from './module';

type Prop = { name: string; label: string; value: (r: CrmRecordView) => string | undefined; kind?: 'email' | 'phone' };

interface HsObject {
  typeId: string;
  legacy: string;
  singular: string;
  plural: string;
  props: Prop[];
}

const OBJECTS: readonly HsObject[] = [
  {
    typeId: '0-1', legacy: 'contact', singular: 'Contact', plural: 'Contacts',
    props: [
      { name: 'email', label: 'Email', value: (r) => r.email, kind: 'email' },
      { name: 'phone', label: 'Phone number', value: (r) => r.phone, kind: 'phone' },
      { name: 'company', label: 'Company name', value: (r) => r.company },
      { name: 'jobtitle', label: 'Job title', value: (r) => r.title },
      { name: 'hubspot_owner_id', label: 'Contact owner', value: (r) => r.owner },
      { name: 'lifecyclestage', label: 'Lifecycle stage', value: (r) => r.status },
    ],
  },
  {
    typeId: '0-2', legacy: 'company', singular: 'Company', plural: 'Companies',
    props: [
      { name: 'name', label: 'Company name', value: (r) => r.name },
      { name: 'phone', label: 'Phone number', value: (r) => r.phone, kind: 'phone' },
      { name: 'hubspot_owner_id', label: 'Company owner', value: (r) => r.owner },
      { name: 'lifecyclestage', label: 'Lifecycle stage', value: (r) => r.status },
    ],
  },
  {
    typeId: '0-3', legacy: 'deal', singular: 'Deal', plural: 'Deals',
    props: [
      { name: 'dealname', label: 'Deal name', value: (r) => r.name },
      { name: 'dealstage', label: 'Deal stage', value: (r) => r.status },
      { name: 'associatedcompany', label: 'Company', value: (r) => r.company },
      { name: 'hubspot_owner_id', label: 'Deal owner', value: (r) => r.owner },
      { name: 'email', label: 'Email', value: (r) => r.email, kind: 'email' },
      { name: 'phone', label: 'Phone number', value: (r) => r.phone, kind: 'phone' },
    ],
  },
];

const DEFAULT_PORTAL = '20112233';

function objectFor(typeId: string): HsObject | undefined {
  return OBJECTS.find((o) => o.typeId === typeId);
}

function safePortal(ctx: string | undefined): string {
  return ctx !== undefined && /^\d{1,12}$/.test(ctx) ? ctx : DEFAULT_PORTAL;
}

function recordPath(record: Pick<CrmRecordView, 'objectType' | 'recordId'>, ctx?: string): string {
  return `/contacts/${safePortal(ctx)}/record/${encodeURIComponent(record.objectType)}/${encodeURIComponent(record.recordId)}`;
}

function listPath(portal: string, typeId: string): string {
  return `/contacts/${portal}/objects/${typeId}/views/all/list`;
}

// ---------------------------------------------------------------- markup

function topNav(portal: string): SafeHtml {
  const links = ['Contacts', 'Conversations', 'Marketing', 'Sales', 'Commerce', 'Service', 'Automation', 'Reporting'];
  return html`<div id="hs-nav-v4"><nav id="navbar" class="navbar nav-v4" role="navigation" aria-label="Main">
<a class="nav-logo" href="/" aria-label="HubSpot home">◉</a>
<ul class="primary-links" role="menubar">${links.map((l) => html`<li class="expandable" role="none"><a class="primary-link" id="nav-primary-${l.toLowerCase()}-branch" role="menuitem" href="${l === 'Contacts' ? listPath(portal, '0-1') : '#'}">${l} <span class="caret">▾</span></a></li>`)}</ul>
<div class="secondary-nav"><input class="navSearch-input" type="search" placeholder="Search HubSpot" aria-label="Search HubSpot"><a class="navSecondaryLink" title="Marketplace">▦</a><a class="navSecondaryLink" title="Help">?</a><a class="navSecondaryLink" id="navSetting" title="Settings">⚙</a><a class="navSecondaryLink" title="Notifications">⚐</a><a class="navAccount-current" id="navAccount-current"><span class="navAvatar">AM</span><span class="navAccount-portal">LeadLens Demo</span></a></div>
</nav></div>`;
}

function propValue(p: Prop, value: string | undefined): SafeHtml {
  if (value === undefined || value === '') return html`<span class="property-empty">--</span>`;
  if (p.kind === 'email') return html`<a href="mailto:${value}">${value}</a>`;
  if (p.kind === 'phone') return html`<a href="tel:${value.replace(/[^0-9+]/g, '')}">${value}</a>`;
  return html`<span>${value}</span>`;
}

function subtitle(obj: HsObject, record: CrmRecordView): string {
  if (obj.typeId === '0-1') return [record.title, record.company].filter((v) => v !== undefined && v !== '').join(' at ');
  if (obj.typeId === '0-3') return [record.status, record.company].filter((v) => v !== undefined).join(' · ');
  return record.phone ?? '';
}

function leftSidebar(portal: string, obj: HsObject, record: CrmRecordView): SafeHtml {
  const buttons = ['Note', 'Email', 'Call', 'Task', 'Meeting', 'More'];
  return html`<aside class="record-left-sidebar" data-test-id="left-sidebar" data-selenium-test="profile-sidebar">
<div class="sidebar-top"><a class="back-link" data-test-id="back-link" href="${listPath(portal, obj.typeId)}">‹ ${obj.plural}</a><button class="actions-button" data-test-id="record-actions" type="button">Actions ▾</button></div>
<div class="highlight" data-test-id="highlight"><div class="highlight-avatar${obj.typeId === '0-1' ? ' round' : ''}">${initials(record.name)}</div>
<div class="highlight-text"><h1 class="highlight-title" data-selenium-test="highlightTitle">${record.name}</h1>
<div class="highlight-subtitle" data-selenium-test="highlightSubtitle">${subtitle(obj, record)}</div>
${record.email !== undefined ? html`<div class="highlight-email" data-selenium-test="contact-highlight-email"><a href="mailto:${record.email}">${record.email}</a> <button class="copy-button" type="button" title="Copy email">❐</button></div>` : ''}</div></div>
<ul class="engagement-buttons" data-selenium-test="highlight-actions">${buttons.map((b) => html`<li><button class="engagement-button" data-selenium-test="${b.toLowerCase()}-button" type="button"><span class="engagement-icon">${b.charAt(0)}</span><span class="engagement-label">${b}</span></button></li>`)}</ul>
<section class="about" data-test-id="about-this-object" aria-label="About this ${obj.singular.toLowerCase()}"><h3 class="section-title">▾ About this ${obj.singular.toLowerCase()}</h3>
${obj.props.map((p) => html`<div class="property" data-selenium-test="property-input-${p.name}" data-test-id="property-${p.name}"><label class="property-label">${p.label}</label><div class="property-value">${propValue(p, p.value(record))}</div></div>`)}
</section></aside>`;
}

function associationCards(portal: string, record: CrmRecordView | undefined, related: CrmRecordView[], where: 'middle' | 'right'): SafeHtml {
  return html`${OBJECTS.filter((o) => o.typeId !== record?.objectType).map((o) => {
    const items = related.filter((r) => r.objectType === o.typeId);
    return html`<section class="card association-card" data-test-id="association-card-${o.typeId}-${where}"><div class="card-head"><h3 class="card-title">${o.plural} (${items.length})</h3><button class="card-add" type="button" data-test-id="association-add">+ Add</button></div>
${items.length === 0 ? html`<p class="card-empty">No associated ${o.plural.toLowerCase()}.</p>` : html`<ul>${items.map((r) => html`<li class="association-item"><span class="association-avatar">${initials(r.name)}</span><div><a href="${recordPath(r, portal)}"${attrs(navAttrs(r))} data-test-id="association-link">${r.name}</a><div class="association-sub">${r.email ?? r.status ?? ''}</div></div></li>`)}</ul>`}</section>`;
  })}`;
}

function middleColumn(portal: string, record: CrmRecordView, related: CrmRecordView[]): SafeHtml {
  return html`<main class="record-middle-column" data-test-id="middle-column"><ul class="record-tabs" role="tablist"><li class="record-tab active" role="tab" aria-selected="true">Overview</li><li class="record-tab" role="tab" aria-selected="false">Activities</li><li class="record-tab" role="tab" aria-selected="false">Intelligence</li></ul>
<section class="card data-highlights" data-test-id="data-highlights"><h3 class="card-title">Data highlights</h3><div class="highlights-grid">
<div><div class="dh-label">CREATE DATE</div><div class="dh-value">--</div></div><div><div class="dh-label">LIFECYCLE STAGE</div><div class="dh-value">${record.status ?? '--'}</div></div><div><div class="dh-label">LAST ACTIVITY DATE</div><div class="dh-value">--</div></div></div></section>
<section class="card recent-activities"><h3 class="card-title">Recent activities</h3><p class="card-empty">No activities. Log a call, send an email or create a task to get started.</p></section>
${associationCards(portal, record, related, 'middle')}
</main>`;
}

function region(records: RecordSource, typeId: string, recordId: string, ctx: string | undefined): RecordRegion {
  const portal = safePortal(ctx);
  const obj = objectFor(typeId);
  const record = obj && /^\d+$/.test(recordId) ? records.find('hubspot', obj.typeId, recordId) : undefined;
  const path = recordPath({ objectType: typeId, recordId }, portal);
  if (!obj || !record) {
    const plural = obj?.plural ?? 'records';
    return {
      found: false,
      title: 'Record not found | HubSpot',
      path,
      html: html`<div class="record-not-found" data-test-id="record-not-found" role="alert"><div class="not-found-illustration">⌕</div><h2>This record doesn't exist</h2><p>It may have been deleted or merged, or you may not have permission to view it.</p><a class="primary-button" href="${listPath(portal, obj?.typeId ?? '0-1')}">Back to ${plural.toLowerCase()}</a></div>`,
    };
  }
  const related = relatedRecords(records, 'hubspot', OBJECTS.map((o) => o.typeId), record, 9);
  return {
    found: true,
    record,
    title: `${record.name} | ${obj.singular} | HubSpot`,
    path,
    html: html`<div class="record-layout" data-test-id="record-layout" data-selenium-test="record-${obj.legacy}">${leftSidebar(portal, obj, record)}${middleColumn(portal, record, related)}<aside class="record-right-sidebar" data-test-id="right-sidebar">${associationCards(portal, record, related, 'right')}<section class="card"><h3 class="card-title">Attachments</h3><p class="card-empty">See the files attached to your activities or uploaded to this record.</p></section></aside></div>`,
  };
}

// ---------------------------------------------------------------- documents

function documentFor(opts: PageOptions, p: { title: string; portal: string; content: SafeHtml; objectType?: string; recordId?: string; status?: string }): string {
  return renderDocument({
    title: p.title,
    lang: 'en',
    css: CSS,
    bodyClass: 'hubspot',
    bodyAttrs: {
      'data-lookalike-crm': 'hubspot',
      'data-lookalike-ctx': p.portal,
      'data-lookalike-object-type': p.objectType,
      'data-lookalike-record-id': p.recordId,
      'data-lookalike-status': p.status,
    },
    body: html`${topNav(p.portal)}<div class="page" role="main"><div class="private-page__body" data-lookalike-region>${p.content}</div></div>`,
    script: PUSH_STATE_CLIENT_JS,
    nonce: opts.nonce,
  });
}

function listPage(records: RecordSource, portal: string, obj: HsObject): SafeHtml {
  const rows = records.list('hubspot', obj.typeId, 200);
  return html`<div class="index-page"><div class="index-header"><h1>${obj.plural} <span class="count">${rows.length} records</span></h1><div><button class="secondary-button" type="button">Actions ▾</button> <button class="secondary-button" type="button">Import</button> <button class="primary-button" type="button">Create ${obj.singular.toLowerCase()}</button></div></div>
<div class="view-tabs"><span class="view-tab active">All ${obj.plural.toLowerCase()}</span><span class="view-tab">My ${obj.plural.toLowerCase()}</span></div>
<table class="index-table" data-test-id="table"><thead><tr><th>Name</th><th>Email</th><th>Company</th><th>Owner</th><th>Stage</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td><a data-test-id="record-link" href="${recordPath(r, portal)}"${attrs(navAttrs(r))}>${r.name}</a></td><td>${r.email ?? '--'}</td><td>${r.company ?? '--'}</td><td>${r.owner ?? '--'}</td><td>${r.status ?? '--'}</td></tr>`)}
</tbody></table></div>`;
}

function indexPage(records: RecordSource, portal: string): SafeHtml {
  const recent = indexRecords(records, hubspot, 10);
  return html`<div class="index-page"><div class="index-header"><h1>LeadLens look-alike: HubSpot records</h1></div><ul class="index-list">${recent.map((r) => html`<li><a href="${recordPath(r, portal)}">${r.name}</a> <span class="association-sub">${objectFor(r.objectType)?.singular ?? r.objectType}${r.company ? html` · ${r.company}` : ''}</span></li>`)}</ul></div>`;
}

function page(url: URL, records: RecordSource, opts: PageOptions): RenderedPage | undefined {
  const path = url.pathname;
  const rec = /^\/contacts\/(\d+)\/record\/(\d+-\d+)\/([^/]+)(?:\/.*)?$/.exec(path);
  const legacy = /^\/contacts\/(\d+)\/(contact|company|deal)\/([^/]+)\/?$/.exec(path);
  const m = rec ?? legacy;
  if (m) {
    const portal = m[1] ?? DEFAULT_PORTAL;
    const typeId = rec ? (m[2] ?? '') : (OBJECTS.find((o) => o.legacy === m[2])?.typeId ?? '');
    const recordId = safeDecode(m[3] ?? '');
    const r = region(records, typeId, recordId, portal);
    return { status: 200, recordFound: r.found, html: documentFor(opts, { title: r.title, portal, content: r.html, objectType: typeId, recordId, status: r.found ? 'record' : 'not-found' }) };
  }
  const list = /^\/contacts\/(\d+)\/objects\/(\d+-\d+)\/views\/[^/]+\/list\/?$/.exec(path);
  const listObj = list ? objectFor(list[2] ?? '') : undefined;
  if (list && listObj) {
    const portal = list[1] ?? DEFAULT_PORTAL;
    return { status: 200, html: documentFor(opts, { title: `${listObj.plural} | HubSpot`, portal, content: listPage(records, portal, listObj) }) };
  }
  if (path === '/' || /^\/contacts\/\d+\/?$/.test(path)) {
    const portal = /^\/contacts\/(\d+)/.exec(path)?.[1] ?? DEFAULT_PORTAL;
    return { status: 200, html: documentFor(opts, { title: 'HubSpot', portal, content: indexPage(records, portal) }) };
  }
  return undefined;
}

export const hubspot: CrmSiteModule = {
  crm: 'hubspot',
  label: 'HubSpot',
  defaultObjectTypes: OBJECTS.map((o) => o.typeId),
  page,
  region,
  recordPath,
  fixturePage(records, record) {
    const path = recordPath(record, DEFAULT_PORTAL);
    return { url: path, html: page(new URL(path, 'https://x.invalid'), records, {})?.html ?? '' };
  },
};

const CSS = `
body{font-family:"Lexend Deca",Helvetica,Arial,sans-serif;font-size:14px;color:#33475b;background:#f5f8fa}
a{color:#0091ae}a:hover{text-decoration:underline}
#hs-nav-v4{position:fixed;top:0;left:0;right:0;z-index:50}
.navbar{height:56px;background:#2d3e50;display:flex;align-items:center;padding:0 12px;gap:16px}
.nav-logo{color:#ff7a59;font-size:28px}
.primary-links{display:flex;height:56px}.primary-link{display:flex;align-items:center;height:56px;padding:0 12px;color:#fff;font-size:14px}.caret{font-size:10px;margin-left:4px}
.secondary-nav{margin-left:auto;display:flex;align-items:center;gap:14px}.navSecondaryLink{color:#fff;font-size:15px}
.navSearch-input{width:200px;height:32px;border-radius:3px;border:1px solid #425b76;background:#425b76;color:#fff;padding:0 10px}
.navAccount-current{display:flex;align-items:center;gap:8px;color:#fff}.navAvatar{width:28px;height:28px;border-radius:50%;background:#ff7a59;display:inline-flex;align-items:center;justify-content:center;font-size:11px}
.page{padding-top:56px}
.record-layout{display:grid;grid-template-columns:320px minmax(0,1fr) 340px;min-height:calc(100vh - 56px)}
.record-left-sidebar{background:#fff;border-right:1px solid #cbd6e2;padding:16px}
.sidebar-top{display:flex;justify-content:space-between;align-items:center;margin-bottom:16px}
.back-link{font-weight:600}.actions-button{border:0;background:none;color:#0091ae;font-weight:600}
.highlight{display:flex;gap:12px;align-items:flex-start;margin-bottom:16px}
.highlight-avatar{width:64px;height:64px;flex:none;border-radius:8px;background:#eaf0f6;color:#516f90;display:flex;align-items:center;justify-content:center;font-size:22px;font-weight:600}.highlight-avatar.round{border-radius:50%}
.highlight-title{font-size:20px;font-weight:600;line-height:1.3;color:#33475b;word-break:break-word}
.highlight-subtitle{color:#516f90;margin:4px 0}.highlight-email{font-size:13px}.copy-button{border:0;background:none;color:#7c98b6}
.engagement-buttons{display:flex;justify-content:space-between;padding:8px 0 16px;border-bottom:1px solid #eaf0f6}
.engagement-button{border:0;background:none;display:flex;flex-direction:column;align-items:center;gap:4px;color:#33475b;font-size:12px}
.engagement-icon{width:32px;height:32px;border-radius:50%;border:1px solid #cbd6e2;display:flex;align-items:center;justify-content:center;background:#f5f8fa;color:#516f90}
.section-title{font-size:14px;font-weight:600;padding:16px 0 8px}
.property{padding:8px 0}.property-label{display:block;font-size:12px;color:#516f90;margin-bottom:2px}.property-value{border-bottom:1px solid #eaf0f6;padding:4px 0;word-break:break-word}.property-empty{color:#7c98b6}
.record-middle-column{padding:16px 24px;display:flex;flex-direction:column;gap:16px;min-width:0}
.record-tabs{display:flex;gap:24px;border-bottom:1px solid #cbd6e2}.record-tab{padding:10px 0;color:#516f90;cursor:pointer}.record-tab.active{color:#33475b;font-weight:600;border-bottom:3px solid #00a4bd}
.card{background:#fff;border:1px solid #cbd6e2;border-radius:4px;padding:16px}.card-title{font-size:14px;font-weight:600;margin-bottom:8px}.card-empty{color:#7c98b6;font-size:13px}
.highlights-grid{display:grid;grid-template-columns:repeat(3,1fr);gap:12px}.dh-label{font-size:11px;color:#516f90;letter-spacing:.5px}.dh-value{font-size:16px;margin-top:4px}
.association-item{display:flex;gap:10px;padding:8px 0;border-top:1px solid #eaf0f6}.association-avatar{width:32px;height:32px;border-radius:50%;background:#eaf0f6;display:inline-flex;align-items:center;justify-content:center;font-size:12px;flex:none}
.association-sub{font-size:12px;color:#7c98b6}
.record-right-sidebar{background:#fff;border-left:1px solid #cbd6e2;padding:16px;display:flex;flex-direction:column;gap:12px}
.card-head{display:flex;justify-content:space-between;align-items:baseline}.card-add{border:0;background:none;color:#0091ae;font-weight:600;font-size:13px}
.record-right-sidebar .card{border:0;border-bottom:1px solid #eaf0f6;border-radius:0;padding:8px 0}
.record-not-found{max-width:560px;margin:80px auto;text-align:center;background:#fff;border:1px solid #cbd6e2;border-radius:4px;padding:40px}
.not-found-illustration{font-size:48px}.record-not-found h2{margin:12px 0}.record-not-found p{color:#516f90;margin-bottom:20px}
.primary-button{display:inline-block;background:#ff7a59;color:#fff;border:0;border-radius:3px;padding:8px 16px;font-weight:600}
.secondary-button{background:#fff;color:#ff7a59;border:1px solid #ff7a59;border-radius:3px;padding:7px 14px;font-weight:600}
.index-page{padding:24px}.index-header{display:flex;justify-content:space-between;align-items:center;margin-bottom:16px}.index-header h1{font-size:22px}.count{font-size:13px;color:#516f90;font-weight:400}
.view-tabs{display:flex;gap:2px;margin-bottom:12px}.view-tab{padding:8px 16px;background:#eaf0f6;border:1px solid #cbd6e2}.view-tab.active{background:#fff}
.index-table{width:100%;border-collapse:collapse;background:#fff}.index-table th,.index-table td{padding:10px 12px;border:1px solid #cbd6e2;text-align:left}.index-table th{background:#f5f8fa;font-size:12px;text-transform:uppercase;color:#516f90}
.index-list li{padding:8px 0;border-bottom:1px solid #eaf0f6}
`;
