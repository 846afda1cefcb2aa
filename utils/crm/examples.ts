/**
 * Example URLs of each built-in adapter, and near-misses (same product, not a record page).
 * Kept out of the adapters so they never ship in the content script; the shared registry test
 * checks every adapter against its own examples and everyone else's. Add a URL here to extend
 * the table.
 */
import type { CrmAdapter, CrmExample } from './types';

export interface AdapterExamples {
  examples: readonly CrmExample[];
  nearMisses: readonly string[];
}

export const ADAPTER_EXAMPLES: Readonly<Record<CrmAdapter['id'], AdapterExamples>> = {
  salesforce: {
    examples: [
      { url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view', expect: { objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' } },
      { url: 'https://acme.lightning.force.com/lightning/r/Contact/0035g00000XyZ12AAB/view', expect: { objectType: 'Contact', recordId: '0035g00000XyZ12AAB' } },
      { url: 'https://acme.lightning.force.com/lightning/r/Account/0015g00000Qw3rTAAR/view', expect: { objectType: 'Account', recordId: '0015g00000Qw3rTAAR' } },
      { url: 'https://acme.lightning.force.com/lightning/r/Opportunity/0065g00000Op9PqAAZ/view', expect: { objectType: 'Opportunity', recordId: '0065g00000Op9PqAAZ' } },
      // 15-character id resolves to its 18-character form.
      { url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdE/view', expect: { objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' } },
      // Service console tab of the same record.
      { url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view?ws=%2Flightning%2Fr%2FAccount%2F0015g00000Qw3rTAAR%2Fview', expect: { objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' } },
    ],
    nearMisses: [
      'https://acme.lightning.force.com/lightning/o/Lead/list?filterName=Recent',
      'https://acme.lightning.force.com/lightning/page/home',
      'https://acme.lightning.force.com/lightning/setup/SetupOneHome/home',
      'https://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/related/Histories/view',
      'https://acme.lightning.force.com/lightning/r/Case/5005g00000AbCdEEA1/view',
      'https://acme.lightning.force.com/lightning/r/Lead/0035g00000XyZ12AAB/view',
      'https://acme.my.salesforce.com/00Q5g00000AbCdEEAV',
    ],
  },
  kintone: {
    examples: [
      { url: 'https://acme.cybozu.com/k/12/show#record=345', expect: { objectType: '12', recordId: '345' } },
      { url: 'https://acme.cybozu.com/k/12/show#record=345&l.view=5520&l.q&l.sort_0=f6050&l.order_0=DESC', expect: { objectType: '12', recordId: '345' } },
      { url: 'https://acme.kintone.com/k/7/show#record=1', expect: { objectType: '7', recordId: '1' } },
      { url: 'https://acme.cybozu.com/k/guest/3/12/show#record=99', expect: { objectType: '12', recordId: '99' } },
    ],
    nearMisses: [
      'https://acme.cybozu.com/k/12/',
      'https://acme.cybozu.com/k/12/?view=5520',
      'https://acme.cybozu.com/k/12/show',
      'https://acme.cybozu.com/k/12/edit',
      'https://acme.cybozu.com/k/search?keyword=tanaka',
      'https://acme.cybozu.com/k/admin/app/flow?app=12',
      'https://acme.cybozu.com/k/#/portal',
    ],
  },
  hubspot: {
    examples: [
      { url: 'https://app.hubspot.com/contacts/4455667/record/0-1/51', expect: { objectType: '0-1', recordId: '51' } },
      { url: 'https://app.hubspot.com/contacts/4455667/record/0-2/9001', expect: { objectType: '0-2', recordId: '9001' } },
      { url: 'https://app.hubspot.com/contacts/4455667/record/0-3/123456789', expect: { objectType: '0-3', recordId: '123456789' } },
      { url: 'https://app.hubspot.com/contacts/4455667/contact/51', expect: { objectType: '0-1', recordId: '51' } },
      { url: 'https://app-eu1.hubspot.com/contacts/26123456/record/0-1/777?interaction=note', expect: { objectType: '0-1', recordId: '777' } },
    ],
    nearMisses: [
      'https://app.hubspot.com/contacts/4455667/objects/0-1/views/all/list',
      'https://app.hubspot.com/contacts/4455667/record/0-5/12',
      'https://app.hubspot.com/reports-dashboard/4455667/view/123',
      'https://app.hubspot.com/settings/4455667/users',
      'https://app.hubspot.com/contacts/4455667/contacts/list/view/all/',
    ],
  },
  dynamics: {
    examples: [
      { url: 'https://acme.crm7.dynamics.com/main.aspx?appid=8f0d2b1e-0000-4000-8000-000000000001&pagetype=entityrecord&etn=lead&id=3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b', expect: { objectType: 'lead', recordId: '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b' } },
      { url: 'https://acme.crm.dynamics.com/main.aspx?etn=contact&id=%7B3F2A7C1E-5B6D-4E8F-9A0B-1C2D3E4F5A6B%7D&pagetype=entityrecord', expect: { objectType: 'contact', recordId: '3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b' } },
      { url: 'https://acme.crm7.dynamics.com/main.aspx?id={0a1b2c3d-0000-4000-8000-00000000abcd}&pagetype=entityrecord&etn=account&appid=8f0d2b1e-0000-4000-8000-000000000001', expect: { objectType: 'account', recordId: '0a1b2c3d-0000-4000-8000-00000000abcd' } },
    ],
    nearMisses: [
      'https://acme.crm7.dynamics.com/main.aspx?appid=8f0d2b1e-0000-4000-8000-000000000001&pagetype=entitylist&etn=lead&viewid=00000000-0000-0000-00aa-000010001004',
      'https://acme.crm7.dynamics.com/main.aspx?pagetype=entityrecord&etn=lead',
      'https://acme.crm7.dynamics.com/main.aspx?pagetype=dashboard&id=3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b',
      'https://acme.crm7.dynamics.com/main.aspx?settingsonly=true',
      'https://admin.powerplatform.dynamics.com/environments',
    ],
  },
  zoho: {
    examples: [
      { url: 'https://crm.zoho.jp/crm/org7001234567/tab/Leads/4876876000000123456', expect: { objectType: 'Leads', recordId: '4876876000000123456' } },
      { url: 'https://crm.zoho.com/crm/org7001234567/tab/Contacts/4876876000000654321', expect: { objectType: 'Contacts', recordId: '4876876000000654321' } },
      { url: 'https://crm.zoho.eu/crm/tab/Accounts/4876876000000111111', expect: { objectType: 'Accounts', recordId: '4876876000000111111' } },
      { url: 'https://crm.zoho.com.au/crm/org9/tab/Deals/4876876000000222222?sub_module=', expect: { objectType: 'Deals', recordId: '4876876000000222222' } },
    ],
    nearMisses: [
      'https://crm.zoho.jp/crm/org7001234567/tab/Leads',
      'https://crm.zoho.jp/crm/org7001234567/tab/Leads/custom-view/4876876000000087501/list',
      'https://crm.zoho.jp/crm/org7001234567/tab/Home/begin',
      'https://crm.zoho.jp/crm/org7001234567/settings/general',
      'https://crm.zoho.jp/crm/org7001234567/search?searchword=tanaka',
    ],
  },
};
