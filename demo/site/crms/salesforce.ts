// Salesforce Lightning Experience look-alike.
//
// Shape: from the publicly visible DOM of Lightning record pages as remembered (2026-11) and the
// SLDS blueprints (lightningdesignsystem.com): the global header (#oneHeader,
// .slds-global-header), the navigation bar (one-appnav / one-app-nav-bar with
// one-app-nav-bar-item-root items), the content host (.oneContent.active) holding
// one-record-home-flexipage2, the highlights panel (records-lwc-highlights-panel >
// records-highlights2 > .slds-page-header_record-home, h1 slot[name=primaryField]), the path
// (runtime_sales_pathassistant-path-assistant, .slds-path) and record-layout items
// (records-record-layout-item[field-label] with the older force-record-layout-item inside, as
// pages of long-lived orgs mix both generations). A look-alike written from scratch, not a copy
// of Salesforce markup or styles. Element names are kept because extension adapters key on them.
//
// URLs: /lightning/r/<Object>/<15|18-char id>/view, /lightning/o/<Object>/list?filterName=Recent
// (and /home), /lightning/page/home, /lightning/setup/<Page>/home. Lightning is an SPA:
// record links navigate with history.pushState (PUSH_STATE_CLIENT_JS).
import { toEighteenCharId } from '../../../utils/crm/salesforce';
import { PUSH_STATE_CLIENT_JS } from '../client-scripts';
import { attrs, html, renderDocument, type SafeHtml } from '../html';
import type { CrmRecordView, RecordSource } from '../types';
import { safeDecode, indexRecords, navAttrs, relatedRecords, type CrmSiteModule, type PageOptions, type RecordRegion, type RenderedPage } from './module';

type FieldKey = 'name' | 'title' | 'company' | 'email' | 'phone' | 'status' | 'owner';

interface SfObject {
  api: string;
  label: string;
  plural: string;
  /** SLDS standard icon colour of the object. */
  color: string;
  glyph: string;
  /** Field labels in layout order; fields not listed show only when the record has a value. */
  fields: Partial<Record<FieldKey, string>>;
  /** Fields in the highlights panel under the name. */
  highlights: FieldKey[];
  actions: string[];
  /** Path stages; the record's status marks the current one. */
  path?: string[];
}

const OBJECTS: readonly SfObject[] = [
  {
    api: 'Lead', label: 'Lead', plural: 'Leads', color: '#f88962', glyph: '★',
    fields: { name: 'Name', title: 'Title', company: 'Company', email: 'Email', phone: 'Phone', status: 'Lead Status', owner: 'Lead Owner' },
    highlights: ['title', 'company', 'phone', 'email'],
    actions: ['Edit', 'Convert', 'Change Owner'],
    path: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted', 'Converted'],
  },
  {
    api: 'Contact', label: 'Contact', plural: 'Contacts', color: '#a094ed', glyph: '☺',
    fields: { name: 'Name', title: 'Title', company: 'Account Name', email: 'Email', phone: 'Phone', status: 'Contact Status', owner: 'Contact Owner' },
    highlights: ['title', 'company', 'phone', 'email'],
    actions: ['Edit', 'New Case', 'New Note'],
  },
  {
    api: 'Account', label: 'Account', plural: 'Accounts', color: '#7f8de1', glyph: '▦',
    fields: { name: 'Account Name', phone: 'Phone', status: 'Type', owner: 'Account Owner' },
    highlights: ['status', 'phone', 'owner'],
    actions: ['Edit', 'New Contact', 'New Opportunity'],
  },
  {
    api: 'Opportunity', label: 'Opportunity', plural: 'Opportunities', color: '#fcb95b', glyph: '♛',
    fields: { name: 'Opportunity Name', company: 'Account Name', status: 'Stage', owner: 'Opportunity Owner' },
    highlights: ['company', 'status', 'owner'],
    actions: ['Edit', 'New Event', 'New Task'],
    path: ['Qualification', 'Needs Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed'],
  },
];

const GENERIC_LABELS: Record<FieldKey, string> = { name: 'Name', title: 'Title', company: 'Company', email: 'Email', phone: 'Phone', status: 'Status', owner: 'Owner' };
const FIELD_ORDER: readonly FieldKey[] = ['name', 'title', 'company', 'email', 'phone', 'status', 'owner'];

/** URL segments are case-sensitive API names in Lightning, but be lenient with hand-typed URLs. */
function objectFor(segment: string): SfObject {
  return OBJECTS.find((o) => o.api.toLowerCase() === segment.toLowerCase()) ?? {
    api: segment, label: segment, plural: segment, color: '#3c97dd', glyph: '■', fields: {}, highlights: ['owner'], actions: ['Edit'],
  };
}


/** 15-char case-sensitive id → 18-char case-insensitive id: the extension's own implementation. */
export const salesforceId18 = toEighteenCharId;

function findRecord(records: RecordSource, objectType: string, recordId: string): CrmRecordView | undefined {
  if (!/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(recordId)) return undefined;
  // A source may key records by either form; Lightning accepts both in URLs.
  const candidates = recordId.length === 15 ? [recordId, salesforceId18(recordId)] : [recordId, recordId.slice(0, 15)];
  for (const id of candidates) {
    const found = records.find('salesforce', objectType, id);
    if (found) return found;
  }
  return undefined;
}

function recordPath(record: Pick<CrmRecordView, 'objectType' | 'recordId'>): string {
  return `/lightning/r/${encodeURIComponent(record.objectType)}/${encodeURIComponent(record.recordId)}/view`;
}

// ---------------------------------------------------------------- markup

function icon(obj: SfObject, size: number): SafeHtml {
  return html`<span class="slds-icon_container slds-icon-standard-${obj.api.toLowerCase()}" title="${obj.label}" style="background:${obj.color};width:${size}px;height:${size}px;font-size:${Math.round(size * 0.55)}px">${obj.glyph}</span>`;
}

function navBar(active: string | undefined): SafeHtml {
  const items = [{ id: 'home', label: 'Home', href: '/lightning/page/home' }, ...OBJECTS.map((o) => ({ id: o.api, label: o.plural, href: `/lightning/o/${o.api}/home` }))];
  return html`<one-appnav><div class="slds-context-bar oneAppNavContainer">
<div class="slds-context-bar__primary navLeft"><div class="slds-context-bar__item slds-context-bar__dropdown-trigger slds-no-hover">
<one-app-launcher-header class="slds-icon-waffle_container"><button class="slds-button slds-context-bar__button slds-icon-waffle_container" title="App Launcher"><span class="slds-icon-waffle">${Array.from({ length: 9 }, () => html`<span class="slds-r"></span>`)}</span><span class="slds-assistive-text">App Launcher</span></button></one-app-launcher-header>
<span class="appName slds-context-bar__label-action slds-context-bar__app-name"><span class="slds-truncate" title="Sales">Sales</span></span></div></div>
<one-app-nav-bar class="slds-grid slds-has-flexi-truncate"><nav class="slds-context-bar__secondary navCenter" role="navigation" aria-label="Global"><div class="slds-grid slds-has-flexi-truncate navUL" role="list">
${items.map((i) => html`<one-app-nav-bar-item-root class="navItem slds-context-bar__item slds-shrink-none${i.id === active ? ' slds-is-active' : ''}" data-id="${i.id}" role="listitem"><a href="${i.href}" title="${i.label}" class="slds-context-bar__label-action dndItem"><span class="slds-truncate">${i.label}</span></a></one-app-nav-bar-item-root>`)}
</div></nav></one-app-nav-bar></div></one-appnav>`;
}

function globalHeader(active: string | undefined): SafeHtml {
  return html`<header id="oneHeader" class="oneHeader slds-global-header_container">
<div class="slds-global-header slds-grid slds-grid_align-spread">
<div class="slds-global-header__item"><div class="slds-global-header__logo" title="Salesforce">☁</div></div>
<div class="slds-global-header__item slds-global-header__item_search"><button class="slds-button search-button slds-truncate" aria-label="Search">⌕ Search...</button></div>
<div class="slds-global-header__item"><ul class="slds-global-actions">
<li class="slds-global-actions__item"><button class="slds-button slds-global-actions__favorites" title="Favorites">☆</button></li>
<li class="slds-global-actions__item"><button class="slds-button slds-global-actions__item-action" title="Global Actions">＋</button></li>
<li class="slds-global-actions__item"><button class="slds-button slds-global-actions__help" title="Help">?</button></li>
<li class="slds-global-actions__item"><a class="slds-button slds-global-actions__setup" href="/lightning/setup/SetupOneHome/home" title="Setup">⚙</a></li>
<li class="slds-global-actions__item"><button class="slds-button slds-global-actions__notifications" title="Notifications">⚐</button></li>
<li class="slds-global-actions__item"><span class="slds-avatar slds-avatar_circle uiImage" title="View profile">LL</span></li>
</ul></div></div>
${navBar(active)}
</header>`;
}

function fieldValue(key: FieldKey, value: string | undefined, record: CrmRecordView): SafeHtml {
  if (value === undefined || value === '') return html``;
  switch (key) {
    case 'name':
      return html`<lightning-formatted-name>${value}</lightning-formatted-name>`;
    case 'email':
      return html`<lightning-formatted-email><a href="mailto:${value}">${value}</a></lightning-formatted-email>`;
    case 'phone':
      return html`<lightning-formatted-phone><a href="tel:${value.replace(/[^0-9+]/g, '')}">${value}</a></lightning-formatted-phone>`;
    case 'owner':
      return html`<force-lookup><records-hoverable-link><a class="owner-link" href="/lightning/r/User/0055g00000OwNeRAAZ/view">${value}</a></records-hoverable-link></force-lookup>`;
    case 'company':
      return record.objectType === 'Lead'
        ? html`<lightning-formatted-text>${value}</lightning-formatted-text>`
        : html`<force-lookup><a class="account-link" role="link">${value}</a></force-lookup>`;
    default:
      return html`<lightning-formatted-text>${value}</lightning-formatted-text>`;
  }
}

function layoutFields(obj: SfObject, record: CrmRecordView): { key: FieldKey; label: string; value: string | undefined }[] {
  return FIELD_ORDER.flatMap((key) => {
    const value = record[key];
    const label = obj.fields[key] ?? (value !== undefined ? GENERIC_LABELS[key] : undefined);
    return label === undefined ? [] : [{ key, label, value }];
  });
}

function highlights(obj: SfObject, record: CrmRecordView): SafeHtml {
  const fields = layoutFields(obj, record);
  return html`<records-lwc-highlights-panel><records-highlights2>
<div class="highlights slds-clearfix slds-page-header slds-page-header_record-home">
<div class="slds-grid primaryFieldRow">
<div class="slds-grid slds-col slds-has-flexi-truncate"><div class="slds-media slds-no-space">
<div class="slds-media__figure"><records-highlights-icon>${icon(obj, 32)}</records-highlights-icon></div>
<div class="slds-media__body"><h1><div class="entityNameTitle slds-line-height_reset">${obj.label}</div>
<slot name="primaryField" class="slds-page-header__title slds-m-right_small slds-align-middle fade-text"><lightning-formatted-name>${record.name}</lightning-formatted-name></slot></h1></div>
</div></div>
<div class="slds-col slds-no-flex slds-grid slds-align-top actionsContainer"><runtime_platform_actions-actions-ribbon><ul class="slds-button-group-list">
${obj.actions.map((a) => html`<li><runtime_platform_actions-action-renderer apiname="${a.replace(/\s/g, '')}" title="${a}"><button class="slds-button slds-button_neutral" name="${a.replace(/\s/g, '')}" type="button">${a}</button></runtime_platform_actions-action-renderer></li>`)}
<li><button class="slds-button slds-button_icon-border-filled" title="Show more actions" type="button">▾</button></li>
</ul></runtime_platform_actions-actions-ribbon></div>
</div>
<div class="secondaryFields"><slot name="secondaryFields">
${obj.highlights.flatMap((key) => fields.filter((f) => f.key === key)).map((f) => html`<records-highlights-details-item class="slds-page-header__detail-block"><p class="slds-text-title slds-truncate" title="${f.label}">${f.label}</p><p class="fieldComponent slds-text-body_regular slds-show_inline-block slds-truncate"><slot>${fieldValue(f.key, f.value, record)}</slot></p></records-highlights-details-item>`)}
</slot></div>
</div></records-highlights2></records-lwc-highlights-panel>`;
}

function pathAssistant(obj: SfObject, record: CrmRecordView): SafeHtml {
  if (!obj.path) return html``;
  const current = obj.path.indexOf(record.status ?? '');
  return html`<runtime_sales_pathassistant-path-assistant><article class="slds-card"><div class="slds-path"><ul class="slds-path__nav" role="listbox" aria-orientation="horizontal">
${obj.path.map((stage, i) => {
  const state = i < current ? 'slds-is-complete' : i === current ? 'slds-is-current slds-is-active' : 'slds-is-incomplete';
  return html`<li class="slds-path__item ${state}" role="presentation"><a class="slds-path__link" role="option" aria-selected="${String(i === current)}" tabindex="-1"><span class="slds-path__title">${stage}</span></a></li>`;
})}
</ul><button class="slds-button slds-button_brand slds-path__mark-complete" type="button">✓ Mark Status as Complete</button></div></article></runtime_sales_pathassistant-path-assistant>`;
}

function details(obj: SfObject, record: CrmRecordView): SafeHtml {
  const fields = layoutFields(obj, record);
  return html`<records-record-layout-section><div class="slds-section slds-is-open"><h3 class="slds-section__title test-id__section-header-container"><span class="slds-truncate">${obj.label} Information</span></h3>
<div class="slds-section__content"><div class="slds-form" role="list">
${fields.map((f) => html`<records-record-layout-row class="slds-form__row"><records-record-layout-item field-label="${f.label}" class="slds-form__item" role="listitem" data-target-selection-name="sfdc:RecordField.${obj.api}.${f.key}">
<force-record-layout-item class="forceRecordLayoutItem"><div class="slds-form-element slds-form-element_readonly slds-form-element_horizontal">
<span class="slds-form-element__label test-id__field-label">${f.label}</span>
<div class="slds-form-element__control"><span class="test-id__field-value slds-form-element__static slds-grow word-break-ie11">${fieldValue(f.key, f.value, record)}</span><button class="slds-button slds-button_icon inline-edit-trigger" title="Edit ${f.label}" type="button">✎</button></div>
</div></force-record-layout-item></records-record-layout-item></records-record-layout-row>`)}
</div></div></div></records-record-layout-section>`;
}

function relatedCard(records: RecordSource, record: CrmRecordView | undefined): SafeHtml {
  const related = relatedRecords(records, 'salesforce', OBJECTS.map((o) => o.api), record, 6);
  return html`<article class="slds-card related-records"><lst-related-list-single-container>
<div class="slds-card__header slds-grid"><header class="slds-media slds-media_center slds-has-flexi-truncate"><h2 class="slds-card__header-title"><span class="slds-truncate">Recent Records (${related.length})</span></h2></header></div>
<div class="slds-card__body"><ul class="slds-has-dividers_bottom-space">
${related.map((r) => {
  const obj = objectFor(r.objectType);
  return html`<li class="slds-item"><div class="slds-media">${icon(obj, 20)}<div class="slds-media__body"><records-hoverable-link><a href="${recordPath(r)}"${attrs(navAttrs(r))} title="${r.name}">${r.name}</a></records-hoverable-link><div class="slds-text-body_small">${obj.label}${r.company ? html` · ${r.company}` : ''}</div></div></div></li>`;
})}
</ul></div></lst-related-list-single-container></article>`;
}

function activityCard(): SafeHtml {
  return html`<article class="slds-card activity-card"><div class="slds-card__header"><h2 class="slds-card__header-title">Activity</h2></div>
<div class="slds-card__body"><div class="slds-button-group" role="group"><button class="slds-button slds-button_neutral" type="button">Log a Call</button><button class="slds-button slds-button_neutral" type="button">New Task</button><button class="slds-button slds-button_neutral" type="button">New Event</button><button class="slds-button slds-button_neutral" type="button">Email</button></div>
<div class="slds-timeline__date">Upcoming &amp; Overdue</div><p class="slds-text-color_weak">No activities to show. Get started by sending an email, scheduling a task, and more.</p></div></article>`;
}

function recordHome(records: RecordSource, obj: SfObject, record: CrmRecordView): SafeHtml {
  return html`<one-record-home-flexipage2 data-target-selection-name="sfdc:RecordPage.${obj.api}"><records-lightning-record-page>
<flexipage-record-home-template-desktop2><div class="template-grid">
<div class="template-main">
${highlights(obj, record)}
${pathAssistant(obj, record)}
<article class="slds-card details-card"><lightning-tabset><div class="slds-tabs_default"><ul class="slds-tabs_default__nav" role="tablist"><li class="slds-tabs_default__item slds-is-active" title="Details" role="presentation"><a class="slds-tabs_default__link" role="tab" aria-selected="true">Details</a></li><li class="slds-tabs_default__item" title="Related" role="presentation"><a class="slds-tabs_default__link" role="tab" aria-selected="false">Related</a></li><li class="slds-tabs_default__item" title="News" role="presentation"><a class="slds-tabs_default__link" role="tab" aria-selected="false">News</a></li></ul>
<div class="slds-tabs_default__content slds-show" role="tabpanel">${details(obj, record)}</div></div></lightning-tabset></article>
${relatedCard(records, record)}
</div>
<aside class="template-sidebar">${activityCard()}</aside>
</div></flexipage-record-home-template-desktop2></records-lightning-record-page></one-record-home-flexipage2>`;
}

function notFound(records: RecordSource): SafeHtml {
  return html`<div class="template-grid"><div class="template-main"><article class="slds-card slds-illustration record-not-found" role="alert">
<div class="slds-illustration__svg">⚠</div><h3 class="slds-text-heading_medium">Looks like there's a problem.</h3>
<p class="slds-text-body_regular">The record you're trying to view doesn't exist or has been deleted, or you don't have access to it. Ask your administrator for help.</p></article>
${relatedCard(records, undefined)}</div><aside class="template-sidebar"></aside></div>`;
}

function region(records: RecordSource, objectType: string, recordId: string): RecordRegion {
  const obj = objectFor(objectType);
  const record = findRecord(records, obj.api, recordId);
  const path = recordPath({ objectType: obj.api, recordId });
  if (!record) return { found: false, title: 'Error | Salesforce', path, html: notFound(records) };
  return { found: true, record, title: `${record.name} | ${obj.label} | Salesforce`, path, html: recordHome(records, obj, record) };
}

// ---------------------------------------------------------------- documents

function documentFor(opts: PageOptions, p: { title: string; active?: string; content: SafeHtml; objectType?: string; recordId?: string; status?: string }): string {
  return renderDocument({
    title: p.title,
    lang: 'en',
    css: CSS,
    bodyClass: 'desktop',
    bodyAttrs: {
      'data-lookalike-crm': 'salesforce',
      'data-lookalike-object-type': p.objectType,
      'data-lookalike-record-id': p.recordId,
      'data-lookalike-status': p.status,
    },
    body: html`<div class="desktop container forceStyle oneOne navexDesktopLayoutContainer lafAppLayoutHost forceAccess"><div class="viewport">
${globalHeader(p.active)}
<div class="mainContentMark" id="mainContentMark"><div class="oneCenterStage"><div class="windowViewMode-normal oneContent active lafPageHost" data-lookalike-region>${p.content}</div></div></div>
</div></div>`,
    script: PUSH_STATE_CLIENT_JS,
    nonce: opts.nonce,
  });
}

function listView(records: RecordSource, obj: SfObject): SafeHtml {
  const rows = records.list('salesforce', obj.api, 200);
  return html`<article class="slds-card list-view"><lst-list-view-manager-header><div class="slds-page-header"><div class="slds-media">${icon(obj, 32)}<div class="slds-media__body"><p class="slds-text-title">${obj.plural}</p><h1 class="slds-page-header__title">Recently Viewed ▾</h1></div></div>
<div class="slds-button-group"><button class="slds-button slds-button_neutral" type="button">New</button><button class="slds-button slds-button_neutral" type="button">Import</button></div></div></lst-list-view-manager-header>
<p class="slds-text-body_small list-meta">${rows.length} items · Updated a few seconds ago</p>
<table class="slds-table slds-table_bordered slds-table_fixed-layout" role="grid"><thead><tr><th scope="col">Name</th><th scope="col">Company</th><th scope="col">Email</th><th scope="col">Status</th><th scope="col">Owner</th></tr></thead><tbody>
${rows.map((r) => html`<tr data-row-key-value="${r.recordId}"><th scope="row"><a href="${recordPath(r)}"${attrs(navAttrs(r))}>${r.name}</a></th><td>${r.company ?? ''}</td><td>${r.email ?? ''}</td><td>${r.status ?? ''}</td><td>${r.owner ?? ''}</td></tr>`)}
</tbody></table></article>`;
}

function homePage(records: RecordSource, heading: string): SafeHtml {
  const recent = indexRecords(records, salesforce, 10);
  return html`<div class="template-grid"><div class="template-main"><article class="slds-card home-card"><div class="slds-card__header"><h2 class="slds-card__header-title">${heading}</h2></div>
<div class="slds-card__body"><ul class="slds-has-dividers_bottom-space">
${recent.map((r) => html`<li class="slds-item"><div class="slds-media">${icon(objectFor(r.objectType), 20)}<div class="slds-media__body"><a href="${recordPath(r)}"${attrs(navAttrs(r))}>${r.name}</a><div class="slds-text-body_small">${objectFor(r.objectType).label}${r.company ? html` · ${r.company}` : ''}</div></div></div></li>`)}
</ul></div></article></div><aside class="template-sidebar"><article class="slds-card"><div class="slds-card__header"><h2 class="slds-card__header-title">Today's Tasks</h2></div><div class="slds-card__body"><p class="slds-text-color_weak">Nothing due today. Be a go-getter, and check back soon.</p></div></article></aside></div>`;
}

function page(url: URL, records: RecordSource, opts: PageOptions): RenderedPage | undefined {
  const path = url.pathname;
  // The record page, its edit page and its related lists all show the record here.
  const rec = /^\/lightning\/r\/([A-Za-z0-9_]+)\/([^/]+)\/(?:view|edit|related\/[A-Za-z0-9_]+\/view)\/?$/.exec(path);
  if (rec) {
    const recordId = safeDecode(rec[2] ?? '');
    const r = region(records, rec[1] ?? '', recordId);
    const obj = objectFor(rec[1] ?? '');
    const html = documentFor(opts, { title: r.title, active: obj.api, content: r.html, objectType: obj.api, recordId: r.record?.recordId ?? recordId, status: r.found ? 'record' : 'not-found' });
    return { status: 200, html, recordFound: r.found };
  }
  const list = /^\/lightning\/o\/([A-Za-z0-9_]+)\/(list|home)\/?$/.exec(path);
  if (list) {
    const obj = objectFor(list[1] ?? '');
    return { status: 200, html: documentFor(opts, { title: `Recently Viewed | ${obj.plural} | Salesforce`, active: obj.api, content: listView(records, obj) }) };
  }
  if (path === '/' || /^\/lightning(\/page\/home)?\/?$/.test(path)) {
    return { status: 200, html: documentFor(opts, { title: 'Home | Salesforce', active: 'home', content: homePage(records, path === '/' ? 'LeadLens look-alike: Salesforce records' : 'Recent Records') }) };
  }
  const setup = /^\/lightning\/setup\/([A-Za-z0-9_]+)\/home\/?$/.exec(path);
  if (setup) {
    const content = html`<article class="slds-card setup-home"><div class="slds-page-header"><h1 class="slds-page-header__title">⚙ Setup · ${setup[1] ?? ''}</h1></div><div class="slds-card__body"><p>Setup Home. Nothing to configure in the look-alike.</p></div></article>`;
    return { status: 200, html: documentFor(opts, { title: 'Home | Salesforce', content }) };
  }
  return undefined;
}

export const salesforce: CrmSiteModule = {
  crm: 'salesforce',
  label: 'Salesforce',
  defaultObjectTypes: OBJECTS.map((o) => o.api),
  page,
  region: (records, objectType, recordId) => region(records, objectType, recordId),
  recordPath,
  fixturePage(records, record) {
    const path = recordPath(record);
    const rendered = page(new URL(path, 'https://x.invalid'), records, {});
    return { url: path, html: rendered?.html ?? '' };
  },
};

const CSS = `
body{font-family:"Salesforce Sans",-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:13px;color:#181818;background:#b0c4df}
a{color:#0b5cab}a:hover{text-decoration:underline}
.oneHeader{position:fixed;top:0;left:0;right:0;z-index:50;background:#fff;box-shadow:0 2px 3px rgba(0,0,0,.08)}
.slds-global-header{height:50px;display:flex;align-items:center;justify-content:space-between;padding:0 16px}
.slds-global-header__logo{width:46px;height:32px;border-radius:16px;background:#00a1e0;color:#fff;font-size:22px;display:flex;align-items:center;justify-content:center}
.search-button{width:min(560px,40vw);height:32px;border:1px solid #c9c9c9;border-radius:4px;background:#fff;color:#747474;text-align:left;padding:0 12px}
.slds-global-actions{display:flex;gap:6px;align-items:center}.slds-global-actions .slds-button{border:0;background:none;color:#747474;font-size:16px;padding:4px 6px;display:inline-block}
.slds-avatar{display:inline-flex;width:30px;height:30px;border-radius:50%;background:#0176d3;color:#fff;font-size:11px;align-items:center;justify-content:center}
.slds-context-bar{height:40px;display:flex;background:#fff;border-bottom:3px solid #0176d3}
.slds-context-bar__primary{display:flex;align-items:center;padding:0 12px 0 8px}.slds-context-bar__item{display:flex;align-items:center}.slds-assistive-text{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.slds-context-bar__button{border:0;background:none;padding:6px}.slds-icon-waffle{display:grid;grid-template-columns:repeat(3,5px);gap:3px}.slds-r{width:5px;height:5px;border-radius:50%;background:#747474}
.slds-context-bar__app-name{font-size:18px;padding:0 18px 0 10px;color:#181818}
.slds-context-bar__secondary,.navUL{display:flex;align-items:stretch;height:100%}
one-app-nav-bar{display:flex}.navItem{display:flex;align-items:center;padding:0 12px;border-bottom:3px solid transparent;margin-bottom:-3px}
.navItem a{color:#181818}.navItem.slds-is-active{background:#f3f3f3;border-bottom-color:#014486}.navItem.slds-is-active a{font-weight:700}
.mainContentMark{padding-top:93px}.oneCenterStage{padding:12px}
.template-grid{display:grid;grid-template-columns:minmax(0,1fr) 340px;gap:12px;align-items:start}
.template-main,.template-sidebar{display:flex;flex-direction:column;gap:12px;min-width:0}
records-lwc-highlights-panel,records-highlights2,one-record-home-flexipage2,records-lightning-record-page,flexipage-record-home-template-desktop2,runtime_sales_pathassistant-path-assistant,records-record-layout-section,lst-related-list-single-container,records-record-layout-row,records-record-layout-item,force-record-layout-item,lightning-tabset,lst-list-view-manager-header,one-appnav{display:block}
.slds-page-header{background:#f3f3f3;border:1px solid #c9c9c9;border-radius:4px;padding:12px 16px;box-shadow:0 2px 2px rgba(0,0,0,.1)}
.slds-page-header_record-home{background:#fff}
.primaryFieldRow{display:flex;justify-content:space-between;gap:12px}
.slds-media{display:flex;align-items:flex-start;gap:10px}.slds-media__body{min-width:0}
.slds-icon_container{display:inline-flex;align-items:center;justify-content:center;border-radius:4px;color:#fff;flex:none}
.entityNameTitle{font-size:12px;font-weight:400;color:#444}
.slds-page-header__title{font-size:18px;font-weight:700;line-height:1.3;display:block}
.slds-button-group-list{display:flex}.slds-button-group-list li+li .slds-button{margin-left:-1px}
.slds-button{border-radius:4px;padding:0 14px;line-height:30px;font-size:13px}
.slds-button_neutral{background:#fff;border:1px solid #c9c9c9;color:#0b5cab}.slds-button_neutral:hover{background:#f3f3f3}
.slds-button_brand{background:#0176d3;border:1px solid #0176d3;color:#fff}
.slds-button_icon-border-filled{background:#fff;border:1px solid #c9c9c9;color:#747474;padding:0 8px}
.slds-button_icon{border:0;background:none;color:#aeaeae;padding:0 4px}
.secondaryFields slot{display:flex;gap:32px;padding-top:12px;flex-wrap:wrap}
.slds-page-header__detail-block{display:block;max-width:240px}.slds-text-title{font-size:12px;color:#444}
.fieldComponent{font-size:13px}
.slds-card{background:#fff;border:1px solid #c9c9c9;border-radius:4px;padding:12px 16px;box-shadow:0 2px 2px rgba(0,0,0,.1)}
.slds-card__header{margin-bottom:8px}.slds-card__header-title{font-size:14px;font-weight:700}
.slds-path{display:flex;gap:12px;align-items:center}.slds-path__nav{display:flex;flex:1;gap:4px;min-width:0}.slds-path__mark-complete{flex:none;white-space:nowrap}
.slds-path__item{flex:1;text-align:center;background:#f3f3f3;border-radius:15px;line-height:30px;font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;padding:0 10px}
.slds-path__link{color:inherit}.slds-path__item.slds-is-complete{background:#45c65a;color:#fff}.slds-path__item.slds-is-current{background:#014486;color:#fff}
.slds-tabs_default__nav{display:flex;gap:24px;border-bottom:1px solid #e5e5e5;margin-bottom:12px}
.slds-tabs_default__item{padding:8px 0}.slds-tabs_default__item.slds-is-active{border-bottom:3px solid #0176d3;font-weight:700}
.slds-tabs_default__link{color:#181818}
.slds-section__title{background:#f3f3f3;padding:6px 10px;font-size:14px;font-weight:400;border-radius:4px;margin-bottom:8px}
.slds-form{display:grid;grid-template-columns:1fr 1fr;column-gap:24px}
.slds-form-element_horizontal{display:grid;grid-template-columns:33% 1fr;border-bottom:1px solid #e5e5e5;padding:6px 0;min-height:34px}
.slds-form-element__label{color:#444;font-size:12px}.slds-form-element__control{display:flex;justify-content:space-between}
.slds-has-dividers_bottom-space .slds-item{padding:8px 0;border-bottom:1px solid #e5e5e5}
.slds-text-body_small{font-size:12px;color:#444}.slds-text-color_weak{color:#747474;padding:8px 0}
.slds-button-group{display:flex;gap:0;margin-bottom:12px}.activity-card .slds-button{padding:0 8px;white-space:nowrap;flex:1}.slds-button-group .slds-button{border-radius:0}.slds-button-group .slds-button:first-child{border-radius:4px 0 0 4px}.slds-button-group .slds-button:last-child{border-radius:0 4px 4px 0}
.slds-timeline__date{font-weight:700;padding:8px 0;border-top:1px solid #e5e5e5}
.record-not-found{text-align:center;padding:48px 24px}.slds-illustration__svg{font-size:56px;color:#b0c4df}.record-not-found h3{font-size:20px;margin:8px 0}
.list-view .slds-page-header{display:flex;justify-content:space-between;align-items:center;box-shadow:none;border:0;border-bottom:1px solid #c9c9c9;border-radius:0;margin:-12px -16px 0}
.list-meta{padding:8px 0}.slds-table{width:100%;border-collapse:collapse}.slds-table th,.slds-table td{text-align:left;padding:8px;border-bottom:1px solid #e5e5e5;font-weight:400;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.slds-table thead th{background:#f3f3f3;font-weight:700;font-size:12px;color:#444}
`;
