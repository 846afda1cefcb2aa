/**
 * CRM sites: each built-in adapter on or off (saved as soon as it is switched) and a box that says
 * what LeadLens would recognise on a given URL. Rules for in-house CRMs (the administrator's and
 * the rep's) have their own section, CustomRulesSection.
 */
import { useSignal } from '@preact/signals';
import { ADAPTERS, detectRecord, type Detection } from '../../utils/crm/registry';
import { t } from '../../utils/i18n';
import { adapterEnabled, type Preferences } from '../../utils/preferences/schema';
import { savePreferences } from '../../utils/preferences/storage';
import { parseTypedUrl, SaveStatus, useSaver } from './common';

type Probe =
  | { kind: 'invalid' }
  | { kind: 'none' }
  | { kind: 'record'; detection: Detection };

/** What a typed URL would give. */
export function probeUrl(input: string): Probe | undefined {
  const url = parseTypedUrl(input);
  if (url === undefined) return undefined;
  if (url === null) return { kind: 'invalid' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { kind: 'invalid' };
  const detection = detectRecord(url);
  return detection ? { kind: 'record', detection } : { kind: 'none' };
}

export interface CrmSitesSectionProps {
  adapters: Preferences['adapters'];
}

export function CrmSitesSection({ adapters }: CrmSitesSectionProps) {
  const switches = useSignal(adapters);
  const saver = useSaver([]);
  const testUrl = useSignal('');
  const probe = useSignal<Probe | undefined>(undefined);

  const toggle = (id: string, on: boolean) => {
    const before = switches.value;
    switches.value = { ...before, [id]: on };
    void saver.run(async () => {
      const result = await savePreferences({ adapters: { [id]: on } });
      if (result.ok) return [];
      switches.value = before;
      return result.errors;
    });
  };

  const result = probe.value;
  return (
    <section class="options-section" aria-labelledby="crm-heading">
      <h2 id="crm-heading">{t('prefFieldAdapters')}</h2>
      <p class="hint">{t('optionsCrmHint')}</p>
      <ul class="switch-list">
        {ADAPTERS.map((adapter) => (
          <li key={adapter.id} class="switch-row">
            <input id={`adapter-${adapter.id}`} type="checkbox" role="switch" class="switch"
              checked={switches.value[adapter.id]} aria-describedby={`adapter-${adapter.id}-hosts`}
              onChange={(event) => toggle(adapter.id, event.currentTarget.checked)} />
            <label for={`adapter-${adapter.id}`}>{adapter.label}</label>
            <span class="hint" id={`adapter-${adapter.id}-hosts`}>{adapter.matches.join(', ')}</span>
          </li>
        ))}
      </ul>
      <SaveStatus state={saver.state.value} testId="crm-status" />

      <form class="url-test" onSubmit={(event) => { event.preventDefault(); probe.value = probeUrl(testUrl.value); }}>
        <label for="crm-test-url">{t('optionsCrmTestUrl')}</label>
        <p class="hint" id="crm-test-url-hint">{t('optionsCrmTestUrlHint')}</p>
        <div class="inline">
          <input id="crm-test-url" type="text" inputMode="url" autocomplete="off" spellcheck={false}
            placeholder="https://example.lightning.force.com/lightning/r/Lead/00Q…/view"
            aria-describedby="crm-test-url-hint" value={testUrl.value}
            onInput={(event) => { testUrl.value = event.currentTarget.value; probe.value = undefined; }} />
          <button type="submit">{t('optionsCrmTestButton')}</button>
        </div>
      </form>
      <div class="url-test-result" role="status" data-testid="crm-test-result">
        {result?.kind === 'invalid' ? <p class="bad">{t('optionsCrmInvalidUrl')}</p> : null}
        {result?.kind === 'none' ? <p class="bad">{t('optionsCrmNotRecord')}</p> : null}
        {result?.kind === 'record' ? (
          <>
            <p class="ok">{t('optionsCrmRecognised')}</p>
            <dl class="facts">
              <dt>{t('optionsCrmName')}</dt>
              <dd>{result.detection.adapter.label}</dd>
              <dt>{t('optionsCrmObjectType')}</dt>
              <dd>{result.detection.record.objectType}</dd>
              <dt>{t('optionsCrmRecordId')}</dt>
              <dd><code>{result.detection.record.recordId}</code></dd>
            </dl>
            {adapterEnabled(switches.value, result.detection.adapter.id) ? null : (
              <p class="hint">{t('optionsCrmSwitchedOff', result.detection.adapter.label)}</p>
            )}
          </>
        ) : null}
      </div>
    </section>
  );
}
