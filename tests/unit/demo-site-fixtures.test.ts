// @vitest-environment node
// tests/fixtures/<crm>/ must be exactly what the look-alike modules render today (regenerate
// with `npx tsx demo/site/save-fixtures.ts`), and each saved page must carry the landmarks its
// NOTE.md promises, found with real selectors in a parsed DOM.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { salesforceId18 } from '../../demo/site/crms/salesforce';
import { renderFixtures, type FixtureMeta } from '../../demo/site/fixtures';
import { SAMPLE_RECORDS } from '../../demo/site/sample-records';
import { CRM_NAMES, type CrmName } from '../../demo/site/types';

const FIXTURES = join(__dirname, '..', 'fixtures');

function parse(html: string): Document {
  const window = new Window();
  return new window.DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

function text(doc: Document, selector: string): string | undefined {
  return doc.querySelector(selector)?.textContent?.trim();
}

/** For each CRM: selector → expected text, using the real apps' landmarks. */
const LANDMARKS: Record<CrmName, (doc: Document, meta: FixtureMeta) => void> = {
  salesforce(doc, meta) {
    expect(doc.querySelector('one-app-nav-bar')).not.toBeNull();
    expect(text(doc, 'records-lwc-highlights-panel slot[name="primaryField"]')).toBe(meta.expect.name);
    expect(text(doc, '.slds-page-header_record-home .entityNameTitle')).toBe('Lead');
    expect(doc.querySelector('records-record-layout-item[field-label="Email"] force-record-layout-item a[href^="mailto:"]')?.textContent).toBe(meta.expect.email);
    expect(doc.querySelector('.oneContent.active one-record-home-flexipage2')).not.toBeNull();
    // The right-hand Activity card with its Log a Call tab: the panel must leave it clickable.
    expect(text(doc, '.template-sidebar .activity-card .slds-button-group .slds-button:first-child')).toBe('Log a Call');
  },
  kintone(doc, meta) {
    expect(doc.querySelector('.gaia-argoui-app-toolbar')).not.toBeNull();
    expect(text(doc, '#record-gaia.record-gaia .field-5522181 .control-value-gaia')).toBe(meta.expect.name);
    expect(text(doc, '.record-gaia [data-field-code="company"] .control-value-content-gaia')).toBe(meta.expect.company);
    expect(doc.querySelector('a.gaia-argoui-app-infobar-pager-next')?.getAttribute('href')).toMatch(/^#record=3&/);
    // The comment sidebar on the right: an editable field and its submit button.
    expect(doc.querySelector('.gaia-argoui-app-show-sidebar .ocean-ui-comments-commentform-form [contenteditable="true"]')).not.toBeNull();
    expect(text(doc, '.gaia-argoui-app-show-sidebar .ocean-ui-comments-commentform-submit')).toBe('書き込む');
  },
  hubspot(doc, meta) {
    expect(doc.querySelector('#hs-nav-v4 nav#navbar')).not.toBeNull();
    expect(text(doc, '[data-selenium-test="highlightTitle"]')).toBe(meta.expect.name);
    expect(text(doc, '[data-selenium-test="property-input-email"] .property-value')).toBe(meta.expect.email);
    // The right sidebar's association cards, each with its "+ Add".
    expect(doc.querySelectorAll('[data-test-id="right-sidebar"] .association-card [data-test-id="association-add"]').length).toBeGreaterThan(0);
  },
  dynamics(doc, meta) {
    expect(doc.querySelector('#headerContainer h1[data-id="header_title"]')?.getAttribute('title')).toBe(meta.expect.name);
    expect(doc.querySelector('input[data-id="emailaddress1.fieldControl-mail-text-input"]')?.getAttribute('value')).toBe(meta.expect.email);
    expect(doc.querySelector('input[data-id="companyname.fieldControl-text-box-text"]')?.getAttribute('value')).toBe(meta.expect.company);
    expect(doc.querySelector('ul[data-id="CommandBar"]')).not.toBeNull();
  },
  zoho(doc, meta) {
    expect(doc.querySelector('#crm-header #tab_Leads.selected')).not.toBeNull();
    expect(text(doc, '#dv_title.dv_title')).toBe(meta.expect.name);
    expect(text(doc, '#value_EMAIL')).toBe(meta.expect.email);
  },
};

describe('tests/fixtures from the look-alike site', () => {
  const files = renderFixtures();

  it('are up to date with the generator (npx tsx demo/site/save-fixtures.ts)', () => {
    for (const [relative, content] of files) {
      const path = join(FIXTURES, relative);
      expect(existsSync(path), `${relative} missing: run npx tsx demo/site/save-fixtures.ts`).toBe(true);
      expect(readFileSync(path, 'utf8') === content, `${relative} is stale: run npx tsx demo/site/save-fixtures.ts`).toBe(true);
    }
  });

  it.each(CRM_NAMES)('%s: record page carries the landmarks and NOTE.md names its URL', (crm) => {
    const meta = JSON.parse(files.get(`${crm}/meta.json`) ?? '{}') as FixtureMeta;
    expect(meta.crm).toBe(crm);
    const doc = parse(files.get(`${crm}/record.html`) ?? '');
    LANDMARKS[crm](doc, meta);
    const note = readFileSync(join(FIXTURES, crm, 'NOTE.md'), 'utf8');
    expect(note).toContain(meta.url);
    expect(note).toMatch(/look-alike/i);
  });

  it('sample Salesforce ids carry valid 18-char checksums', () => {
    for (const r of SAMPLE_RECORDS.filter((s) => s.crm === 'salesforce')) {
      expect(r.recordId).toHaveLength(18);
      expect(salesforceId18(r.recordId.slice(0, 15))).toBe(r.recordId);
    }
  });
});
