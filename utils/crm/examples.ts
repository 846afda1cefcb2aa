/**
 * Example URLs of each built-in adapter, each with where its shape is documented or seen in use,
 * and near-misses (same product, not a record page). Kept out of the adapters so they never ship
 * in the content script; the shared registry test checks every adapter against its own examples
 * and everyone else's. Add a URL here to extend the table.
 */
import type { BuiltinCrm } from './registry';
import type { CrmExample } from './types';

export interface AdapterExamples {
  examples: readonly CrmExample[];
  nearMisses: readonly string[];
}

// Where each shape comes from.
const SF = {
  recordPage: 'Salesforce LWC page reference types: standard__recordPage (view, edit) is /lightning/r/<Object>/<id>/<action> — https://developer.salesforce.com/docs/platform/lwc/guide/reference-page-reference-type.html',
  relatedList: 'Same, standard__recordRelationshipPage is /lightning/r/<Object>/<id>/related/<List>/view; in use in public code (…/lightning/r/Account/<id>/related/Contacts/view)',
  noObject: 'The object left out, /lightning/r/<id>/view and /lightning/r/<id>/related/<List>/view, as Aura components open records (public code)',
  myDomain: 'Salesforce Help "My Domain URL Formats" — https://help.salesforce.com/s/articleView?id=products.domain_name_app_url_changes.htm&type=5 ; sandbox hosts <name>--<sandbox>.sandbox.my.salesforce.com in forcedotcom/postman-salesforce-apis install-with-app.md',
  oneApp: 'Lightning\'s pre-Winter \'18 address /one/one.app#/sObject/<id>/view, still in links in public code (Salesforce\'s Aura framework tests)',
  classic: 'Salesforce Classic record pages /<id> and /<id>/e on My Domain — "My Domain URL Formats" (above)',
  console: 'Lightning console tabs add ws=<path> to the record URL',
};
const KINTONE = {
  detail: 'cybozu developer network, kintone.buildPageUrl: APP_DETAIL / APP_EDIT (PC) and *_MOBILE pages, guest-space URLs — https://cybozu.dev/ja/kintone/docs/js-api/kintone/build-page-url/',
  domains: 'kintone.getDomain: base domains cybozu.com, cybozu.cn, kintone.com — https://cybozu.dev/ja/kintone/docs/js-api/kintone/get-domains',
  mobile: 'Mobile record page /k/m/<app>/show?record=<n>, as kintone customizations link it (public code) and buildPageUrl APP_DETAIL_MOBILE (above)',
  secure: 'Secure access hosts <sub>.s.cybozu.com, matched by public kintone userscripts next to <sub>.cybozu.com',
};
const HUBSPOT = {
  objectIds: 'HubSpot developer docs, object type IDs: 0-1 contacts, 0-2 companies, 0-3 deals, 0-136 leads, 2-XXX custom objects — https://developers.hubspot.com/docs/guides/crm/using-object-apis',
  recordUrl: 'Record pages /contacts/<portal>/record/<objectTypeId>/<id> as integrations link them (public code, e.g. …/record/0-136/<id> for leads)',
  hosts: 'Data-centre app hosts (account info uiDomain): app.hubspot.com, app-na2, app-eu1, app-ap1 — in public integrations reading uiDomain',
  legacy: 'Older links /contacts/<portal>/contact/<id>, still produced by integrations (public code)',
};
const DYNAMICS = {
  url: 'Microsoft Learn, "Open forms, views, dialogs, and reports with a URL": main.aspx?pagetype=entityrecord&etn=<table>&id=<guid> — https://learn.microsoft.com/power-apps/developer/model-driven-apps/open-forms-views-dialogs-reports-url',
  regions: 'Region hosts crm (NAM), crm2 (SAM), crm3 (CAN), crm4 (EMEA), crm5 (APAC), crm6 (OCE), crm7 (JPN), crm8 (IND), crm9 (GCC), crm11 (UK), crm12 (FRA), … crm21 (KOR) — PowerCds Resolve-CdsApiUrl (PowerShell Gallery) and public Dataverse tooling',
};
const ZOHO = {
  dc: 'Zoho CRM API "Multi DC Support": .com, .com.au, .eu, .in, .com.cn, .jp, zohocloud.ca — https://www.zoho.com/crm/developer/docs/api/v8/multi-dc.html ; .sa and .ae in Zoho\'s other products\' DC tables (Contracts, WorkDrive)',
  record: 'Record pages /crm/<org>/tab/<Module>/<id>, as integrations link them (public code)',
  potentials: 'Deals still open as /tab/Potentials/<id> (their module name before the rename), in public integrations',
  one: 'Zoho One wraps the CRM: one.zoho.com/zohoone/<company>/home/cxapp/crm/<org>/tab/<Module>/<id>, and …/home/cxapp-spaces/<space>/crm/… (public code)',
  edit: 'A record\'s edit page, /tab/<Module>/<id>/edit',
};

const sf = (objectType: string, recordId: string, host = 'acme.my.salesforce.com') => ({ objectType, recordId, host });

export const ADAPTER_EXAMPLES: Readonly<Record<BuiltinCrm, AdapterExamples>> = {
  salesforce: {
    examples: [
      { url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view', expect: sf('Lead', '00Q5g00000AbCdEEAV'), source: SF.recordPage },
      { url: 'https://acme.lightning.force.com/lightning/r/Contact/0035g00000XyZ12AAB/view', expect: sf('Contact', '0035g00000XyZ12AAB'), source: SF.recordPage },
      { url: 'https://acme.lightning.force.com/lightning/r/Account/0015g00000Qw3rTAAR/view', expect: sf('Account', '0015g00000Qw3rTAAR'), source: SF.recordPage },
      { url: 'https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000Op9PqAAZ/view', expect: sf('Opportunity', '0065g00000Op9PqAAZ'), source: SF.recordPage },
      // 15-character id resolves to its 18-character form.
      { url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view', expect: sf('Lead', '00Q5g00000AbCdEEAV'), source: SF.recordPage },
      { url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view?ws=%2Flightning%2Fr%2FAccount%2F0015g00000Qw3rTAAR%2Fview', expect: sf('Lead', '00Q5g00000AbCdEEAV'), source: SF.console },
      { url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/edit', expect: sf('Lead', '00Q5g00000AbCdEEAV'), source: SF.recordPage },
      { url: 'https://acme.lightning.force.com/lightning/r/Account/0015g00000Qw3rTAAR/related/Contacts/view', expect: sf('Account', '0015g00000Qw3rTAAR'), source: SF.relatedList },
      { url: 'https://acme.lightning.force.com/lightning/r/0035g00000XyZ12AAB/view', expect: sf('Contact', '0035g00000XyZ12AAB'), source: SF.noObject },
      { url: 'https://acme.lightning.force.com/lightning/r/Prospect__c/a015g00000Zz9YyAAJ/view', expect: sf('Prospect__c', 'a015g00000Zz9YyAAJ'), source: SF.recordPage },
      { url: 'https://acme--uat.sandbox.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view', expect: sf('Lead', '00Q5g00000AbCdEEAV', 'acme--uat.sandbox.my.salesforce.com'), source: SF.myDomain },
      { url: 'https://acme-dev-ed.develop.lightning.force.com/lightning/r/Contact/0035g00000XyZ12AAB/view', expect: sf('Contact', '0035g00000XyZ12AAB', 'acme-dev-ed.develop.my.salesforce.com'), source: SF.myDomain },
      { url: 'https://acme.lightning.force.com/one/one.app#/sObject/00Q5g00000AbCdEEAV/view', expect: sf('Lead', '00Q5g00000AbCdEEAV'), source: SF.oneApp },
      { url: 'https://acme.my.salesforce.com/00Q5g00000AbCdE', expect: sf('Lead', '00Q5g00000AbCdEEAV'), source: SF.classic },
      { url: 'https://acme.my.salesforce.com/0065g00000Op9PqAAZ/e?retURL=%2F0065g00000Op9PqAAZ', expect: sf('Opportunity', '0065g00000Op9PqAAZ'), source: SF.classic },
      { url: 'https://acme.my.salesforce.com/lightning/r/Account/0015g00000Qw3rTAAR/view', expect: sf('Account', '0015g00000Qw3rTAAR'), source: SF.myDomain },
    ],
    nearMisses: [
      'https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Recent',
      'https://acme.lightning.force.com/lightning/o/Lead/new',
      'https://acme.lightning.force.com/lightning/page/home',
      'https://acme.lightning.force.com/lightning/setup/SetupOneHome/home',
      'https://acme.lightning.force.com/lightning/r/Case/5005g00000AbCdEEA1/view',
      'https://acme.lightning.force.com/lightning/r/Lead/0035g00000XyZ12AAB/view',
      'https://acme.lightning.force.com/lightning/r/5005g00000AbCdEEA1/view',
      'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/related/Histories',
      'https://acme.lightning.force.com/one/one.app#/sObject/Lead/list',
      'https://acme.lightning.force.com/one/one.app',
      'https://acme.lightning.force.com/00Q5g00000AbCdEEAV',
      'https://acme.my.salesforce.com/001/o',
      'https://acme.my.salesforce.com/5005g00000AbCdEEA1',
      'https://acme.my.salesforce.com/home/home.jsp',
      'https://acme.my.site.com/s/lead/00Q5g00000AbCdEEAV',
    ],
  },
  kintone: {
    examples: [
      { url: 'https://acme.cybozu.com/k/12/show#record=345', expect: { objectType: '12', recordId: '345', host: 'acme.cybozu.com' }, source: KINTONE.detail },
      { url: 'https://acme.cybozu.com/k/12/show#record=345&l.view=5520&l.q&l.sort_0=f6050&l.order_0=DESC', expect: { objectType: '12', recordId: '345', host: 'acme.cybozu.com' }, source: KINTONE.detail },
      { url: 'https://acme.cybozu.com/k/12/show#record=345&mode=edit', expect: { objectType: '12', recordId: '345', host: 'acme.cybozu.com' }, source: KINTONE.detail },
      { url: 'https://acme.kintone.com/k/7/show#record=1', expect: { objectType: '7', recordId: '1', host: 'acme.kintone.com' }, source: KINTONE.domains },
      { url: 'https://acme.cybozu.cn/k/7/show#record=1', expect: { objectType: '7', recordId: '1', host: 'acme.cybozu.cn' }, source: KINTONE.domains },
      { url: 'https://acme.s.cybozu.com/k/12/show#record=345', expect: { objectType: '12', recordId: '345', host: 'acme.cybozu.com' }, source: KINTONE.secure },
      { url: 'https://acme.cybozu.com/k/guest/3/12/show#record=99', expect: { objectType: '12', recordId: '99', host: 'acme.cybozu.com' }, source: KINTONE.detail },
      { url: 'https://partner.cybozu.com/k/guest/8/12/show#record=345', expect: { objectType: '12', recordId: '345', host: 'partner.cybozu.com' }, source: KINTONE.detail },
      { url: 'https://acme.cybozu.com/k/m/12/show?record=345', expect: { objectType: '12', recordId: '345', host: 'acme.cybozu.com' }, source: KINTONE.mobile },
      { url: 'https://acme.cybozu.com/k/guest/3/m/12/show?record=99&view=20', expect: { objectType: '12', recordId: '99', host: 'acme.cybozu.com' }, source: KINTONE.detail },
    ],
    nearMisses: [
      'https://acme.cybozu.com/k/12/',
      'https://acme.cybozu.com/k/12/?view=5520',
      'https://acme.cybozu.com/k/12/show',
      'https://acme.cybozu.com/k/12/show?record=345',
      'https://acme.cybozu.com/k/12/edit',
      'https://acme.cybozu.com/k/m/12/',
      'https://acme.cybozu.com/k/m/12/show#record=345',
      'https://acme.cybozu.com/k/m/12/edit',
      'https://acme.cybozu.com/k/search?keyword=tanaka',
      'https://acme.cybozu.com/k/admin/app/flow?app=12',
      'https://acme.cybozu.com/k/#/portal',
      'https://acme.cybozu.com/k/#/space/3/thread/5',
      'https://acme.cybozu.com/g/schedule/',
    ],
  },
  hubspot: {
    examples: [
      { url: 'https://app.hubspot.com/contacts/4455667/record/0-1/51', expect: { objectType: '0-1', recordId: '51', host: '4455667' }, source: HUBSPOT.recordUrl },
      { url: 'https://app.hubspot.com/contacts/4455667/record/0-2/9001', expect: { objectType: '0-2', recordId: '9001', host: '4455667' }, source: HUBSPOT.objectIds },
      { url: 'https://app.hubspot.com/contacts/4455667/record/0-3/123456789', expect: { objectType: '0-3', recordId: '123456789', host: '4455667' }, source: HUBSPOT.objectIds },
      { url: 'https://app.hubspot.com/contacts/4455667/record/0-136/549041497939', expect: { objectType: '0-136', recordId: '549041497939', host: '4455667' }, source: HUBSPOT.recordUrl },
      { url: 'https://app.hubspot.com/contacts/4455667/record/2-3456789/1201', expect: { objectType: '2-3456789', recordId: '1201', host: '4455667' }, source: HUBSPOT.objectIds },
      { url: 'https://app.hubspot.com/contacts/4455667/contact/51', expect: { objectType: '0-1', recordId: '51', host: '4455667' }, source: HUBSPOT.legacy },
      { url: 'https://app-eu1.hubspot.com/contacts/26123456/record/0-1/777?interaction=note', expect: { objectType: '0-1', recordId: '777', host: '26123456' }, source: HUBSPOT.hosts },
      { url: 'https://app-na2.hubspot.com/contacts/243159630/record/0-136/5001', expect: { objectType: '0-136', recordId: '5001', host: '243159630' }, source: HUBSPOT.hosts },
      { url: 'https://app-ap1.hubspot.com/contacts/442914926/record/0-3/88', expect: { objectType: '0-3', recordId: '88', host: '442914926' }, source: HUBSPOT.hosts },
    ],
    nearMisses: [
      'https://app.hubspot.com/contacts/4455667/objects/0-1/views/all/list',
      'https://app.hubspot.com/contacts/4455667/objects/0-136/views/all/list',
      'https://app.hubspot.com/contacts/4455667/record/0-5/12',
      'https://app.hubspot.com/contacts/4455667/record/0-27/12',
      'https://app.hubspot.com/contacts/4455667/record/0-1',
      'https://app.hubspot.com/reports-dashboard/4455667/view/123',
      'https://app.hubspot.com/settings/4455667/users',
      'https://app.hubspot.com/contacts/4455667/contacts/list/view/all/',
      'https://app.hubspot.com/contacts/4455667/ticket/12',
      'https://app-na2.hubspot.com/academy/achievements/abc/en/1/seo',
    ],
  },
  dynamics: {
    examples: [
      { url: 'https://acme.crm7.dynamics.com/main.aspx?appid=8f0d2b1e-0000-4000-8000-000000000001&pagetype=entityrecord&etn=lead&id=3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b', expect: { objectType: 'lead', recordId: '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b', host: 'acme.crm7.dynamics.com' }, source: DYNAMICS.url },
      { url: 'https://acme.crm.dynamics.com/main.aspx?etn=contact&id=%7B3F2A7C1E-5B6D-4E8F-9A0B-1C2D3E4F5A6B%7D&pagetype=entityrecord', expect: { objectType: 'contact', recordId: '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b', host: 'acme.crm.dynamics.com' }, source: DYNAMICS.url },
      { url: 'https://acme.crm7.dynamics.com/main.aspx?id={0a1b2c3d-0000-4000-8000-00000000abcd}&pagetype=entityrecord&etn=account&appid=8f0d2b1e-0000-4000-8000-000000000001', expect: { objectType: 'account', recordId: '0a1b2c3d-0000-4000-8000-00000000abcd', host: 'acme.crm7.dynamics.com' }, source: DYNAMICS.url },
      { url: 'https://acme.crm4.dynamics.com/main.aspx?appid=8f0d2b1e-0000-4000-8000-000000000001&pagetype=entityrecord&etn=opportunity&id=5b6d4e8f-9a0b-4c2d-8e4f-5a6b3f2a7c1e', expect: { objectType: 'opportunity', recordId: '5b6d4e8f-9a0b-4c2d-8e4f-5a6b3f2a7c1e', host: 'acme.crm4.dynamics.com' }, source: DYNAMICS.regions },
      { url: 'https://org9643f6c5.crm21.dynamics.com/main.aspx?pagetype=entityrecord&etn=lead&id=3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b', expect: { objectType: 'lead', recordId: '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b', host: 'org9643f6c5.crm21.dynamics.com' }, source: DYNAMICS.regions },
    ],
    nearMisses: [
      'https://acme.crm7.dynamics.com/main.aspx?appid=8f0d2b1e-0000-4000-8000-000000000001&pagetype=entitylist&etn=lead&viewid=00000000-0000-0000-00aa-000010001004',
      'https://acme.crm7.dynamics.com/main.aspx?pagetype=entityrecord&etn=lead',
      'https://acme.crm7.dynamics.com/main.aspx?pagetype=entityrecord&etn=incident&id=3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b',
      'https://acme.crm7.dynamics.com/main.aspx?pagetype=dashboard&id=3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b',
      'https://acme.crm7.dynamics.com/main.aspx?settingsonly=true',
      'https://admin.powerplatform.dynamics.com/environments',
      'https://acme.crm22.dynamics.com/main.aspx?pagetype=entityrecord&etn=lead&id=3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b',
    ],
  },
  zoho: {
    examples: [
      { url: 'https://crm.zoho.jp/crm/org7001234567/tab/Leads/4876876000000123456', expect: { objectType: 'Leads', recordId: '4876876000000123456', host: 'crm.zoho.jp' }, source: ZOHO.record },
      { url: 'https://crm.zoho.com/crm/org7001234567/tab/Contacts/4876876000000654321', expect: { objectType: 'Contacts', recordId: '4876876000000654321', host: 'crm.zoho.com' }, source: ZOHO.record },
      { url: 'https://crm.zoho.eu/crm/tab/Accounts/4876876000000111111', expect: { objectType: 'Accounts', recordId: '4876876000000111111', host: 'crm.zoho.eu' }, source: ZOHO.dc },
      { url: 'https://crm.zoho.com.au/crm/org9/tab/Deals/4876876000000222222?sub_module=', expect: { objectType: 'Deals', recordId: '4876876000000222222', host: 'crm.zoho.com.au' }, source: ZOHO.dc },
      { url: 'https://crm.zoho.in/crm/org/tab/Potentials/1418411000000553001', expect: { objectType: 'Deals', recordId: '1418411000000553001', host: 'crm.zoho.in' }, source: ZOHO.potentials },
      { url: 'https://crm.zoho.jp/crm/org7001234567/tab/CustomModule3/4876876000000333333', expect: { objectType: 'CustomModule3', recordId: '4876876000000333333', host: 'crm.zoho.jp' }, source: ZOHO.record },
      { url: 'https://crm.zoho.jp/crm/org7001234567/tab/Leads/4876876000000123456/edit?layoutId=4876876000000091055', expect: { objectType: 'Leads', recordId: '4876876000000123456', host: 'crm.zoho.jp' }, source: ZOHO.edit },
      { url: 'https://crm.zoho.com.cn/crm/org7001234567/tab/Leads/4876876000000123456', expect: { objectType: 'Leads', recordId: '4876876000000123456', host: 'crm.zoho.com.cn' }, source: ZOHO.dc },
      { url: 'https://crm.zohocloud.ca/crm/org7001234567/tab/Contacts/4876876000000654321', expect: { objectType: 'Contacts', recordId: '4876876000000654321', host: 'crm.zohocloud.ca' }, source: ZOHO.dc },
      { url: 'https://crm.zoho.sa/crm/org7001234567/tab/Leads/4876876000000123456', expect: { objectType: 'Leads', recordId: '4876876000000123456', host: 'crm.zoho.sa' }, source: ZOHO.dc },
      { url: 'https://one.zoho.com/zohoone/zestyio/home/cxapp/crm/org749642405/tab/Leads/4876876000000123456', expect: { objectType: 'Leads', recordId: '4876876000000123456', host: 'crm.zoho.com' }, source: ZOHO.one },
      { url: 'https://one.zoho.jp/zohoone/acme/home/cxapp-spaces/sales/crm/org7001234567/tab/Potentials/4876876000000222222', expect: { objectType: 'Deals', recordId: '4876876000000222222', host: 'crm.zoho.jp' }, source: ZOHO.one },
    ],
    nearMisses: [
      'https://crm.zoho.jp/crm/org7001234567/tab/Leads',
      'https://crm.zoho.jp/crm/org7001234567/tab/Leads/custom-view/4876876000000087501/list',
      'https://crm.zoho.jp/crm/org7001234567/tab/Leads/create',
      'https://crm.zoho.jp/crm/org7001234567/tab/Home/begin',
      'https://crm.zoho.jp/crm/org7001234567/tab/Cases/4876876000000444444',
      'https://crm.zoho.jp/crm/org7001234567/settings/general',
      'https://crm.zoho.jp/crm/org7001234567/search?searchword=tanaka',
      'https://one.zoho.com/zohoone/zestyio/home/cxapp/crm/org749642405/tab/Leads/custom-view/6992263000006188321/list',
      'https://one.zoho.com/zohoone/zohocorp/home/cxapp/people/zpeoplehr/zp',
      'https://desk.zoho.jp/support/acme/ShowHomePage.do#Cases/dv/4876876000000123456',
    ],
  },
};
