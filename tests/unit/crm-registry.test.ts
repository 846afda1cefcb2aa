// Every adapter recognises its own example URLs, and no adapter claims another's examples or
// any near-miss (lists, search, settings). Add a URL to an adapter's `examples` or
// `nearMisses` to extend this table.
import { describe, expect, it } from 'vitest';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { ADAPTERS, CONTENT_MATCHES, detectRecord } from '../../utils/crm/registry';
import { ADAPTER_EXAMPLES } from '../../utils/crm/examples';
import { toEighteenCharId } from '../../utils/crm/salesforce';

describe('CRM adapter registry', () => {
  it('has unique ids and at least three examples and near-misses each', () => {
    expect(new Set(ADAPTERS.map((a) => a.id)).size).toBe(ADAPTERS.length);
    for (const adapter of ADAPTERS) {
      expect(ADAPTER_EXAMPLES[adapter.id].examples.length, `${adapter.id}: add example URLs`).toBeGreaterThanOrEqual(3);
      expect(ADAPTER_EXAMPLES[adapter.id].nearMisses.length, `${adapter.id}: add near-miss URLs`).toBeGreaterThanOrEqual(3);
    }
  });

  for (const adapter of ADAPTERS) {
    describe(adapter.id, () => {
      it.each(ADAPTER_EXAMPLES[adapter.id].examples.map((e) => [e.url, e.expect] as const))('recognises %s', (url, expected) => {
        expect(adapter.detect(new URL(url)), `${adapter.id} should recognise its own example`).toEqual({ crm: adapter.id, ...expected });
        expect(detectRecord(url)?.adapter.id, 'the registry should route it to this adapter').toBe(adapter.id);
      });

      it.each(ADAPTER_EXAMPLES[adapter.id].nearMisses)('does not take %s for a record', (url) => {
        expect(detectRecord(url), `no adapter may claim ${url}`).toBeUndefined();
      });

      it("claims none of the other adapters' examples", () => {
        for (const other of ADAPTERS.filter((a) => a !== adapter)) {
          for (const example of ADAPTER_EXAMPLES[other.id].examples) {
            expect(adapter.detect(new URL(example.url)), `${adapter.id} claimed ${other.id}'s ${example.url}`).toBeUndefined();
          }
        }
      });

      it('is covered by its own manifest match patterns', () => {
        const patterns = adapter.matches.map((p) => new MatchPattern(p));
        for (const example of ADAPTER_EXAMPLES[adapter.id].examples) {
          expect(patterns.some((p) => p.includes(example.url)), `${example.url} is outside ${adapter.matches.join(', ')}`).toBe(true);
        }
      });
    });
  }

  it('puts every adapter pattern into the content-script matches', () => {
    expect(CONTENT_MATCHES).toEqual(ADAPTERS.flatMap((a) => [...a.matches]));
  });

  it('rejects strings that are not URLs and foreign hosts', () => {
    expect(detectRecord('not a url')).toBeUndefined();
    expect(detectRecord('https://evil.example.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view')).toBeUndefined();
    expect(detectRecord('https://lightning.force.com.evil.example/lightning/r/Lead/00Q5g00000AbCdEEAV/view')).toBeUndefined();
  });
});

describe('Salesforce 15 → 18 character ids', () => {
  it.each([
    ['00Q5g00000AbCdE', '00Q5g00000AbCdEEAV'],
    ['001000000000000', '001000000000000AAA'],
    // Salesforce's own documented example.
    ['001A0000006Vm9r', '001A0000006Vm9rIAC'],
    ['00QABCDEABCDEAB', '00QABCDEABCDEAB255'],
    ['00Q5g00000AbCdEEAV', '00Q5g00000AbCdEEAV'],
  ])('%s → %s', (input, expected) => {
    expect(toEighteenCharId(input)).toBe(expected);
  });
});

describe('saved look-alike pages (tests/fixtures/<crm>/)', () => {
  // Each fixture records the URL its page stands for: the adapter must read the same record.
  const fixtures = import.meta.glob<{ crm: string; url: string; expect: { objectType: string; recordId: string } }>('../fixtures/*/meta.json', { eager: true, import: 'default' });

  it('has one fixture per built-in adapter', () => {
    expect(Object.values(fixtures).map((f) => f.crm).sort()).toEqual(ADAPTERS.map((a) => a.id).sort());
  });

  it.each(Object.values(fixtures).map((f) => [f.crm, f] as const))('%s fixture URL resolves to its record', (crm, fixture) => {
    expect(detectRecord(fixture.url)?.record).toMatchObject({ crm, objectType: fixture.expect.objectType, recordId: fixture.expect.recordId });
  });
});
