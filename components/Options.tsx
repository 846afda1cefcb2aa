/**
 * The settings page: Connection, CRM sites, Custom CRM rules, Notifications, Team policy, Language — one component
 * each under components/options/, composed here. Everything is read once when the page opens.
 *
 * Saving: the connection has its Save button (the token goes to the background and is never read
 * back into a page); every other setting is saved as soon as it changes — switches at once, text
 * and number fields when their value is complete (blur or Enter). A section is written only when
 * all of it is valid; otherwise the fields say what is wrong and nothing is stored. Each section
 * says "Saved." in its own status line.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { t } from '../utils/i18n';
import type { MessageTransport } from '../utils/messaging';
import { say, TimeZoneList } from './options/common';
import { ConnectionSection } from './options/ConnectionSection';
import { CrmSitesSection } from './options/CrmSitesSection';
import { CustomRulesSection, type SiteAccess } from './options/CustomRulesSection';
import { LanguageSection } from './options/LanguageSection';
import { loadOptionsData, type OptionsData } from './options/load';
import { NotificationsSection } from './options/NotificationsSection';
import { TeamPolicySection } from './options/TeamPolicySection';

/** `siteAccess`: the browser's host permissions, replaced in tests. */
export function Options({ transport, siteAccess }: { transport: MessageTransport; siteAccess?: SiteAccess }) {
  const data = useSignal<OptionsData | undefined>(undefined);

  useEffect(() => {
    let live = true;
    void loadOptionsData(transport).then((loaded) => {
      if (live) data.value = loaded;
    });
    return () => { live = false; };
  }, [transport]);

  const d = data.value;
  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      {d === undefined ? (
        <p class="status" role="status">{t('optionsLoading')}</p>
      ) : (
        <>
          <p class="hint">{t('optionsAutoSaveHint')}</p>
          {d.prefsReset.length > 0 ? (
            <div class="notice" role="alert">
              <p>{t('prefResetNotice')}</p>
              <ul>{d.prefsReset.map((issue) => <li key={issue.path}>{say(issue.text)}</li>)}</ul>
            </div>
          ) : null}
          {d.managedDropped.length > 0 ? (
            <p class="notice">{t('optionsManagedDropped', d.managedDropped.map((f) => f.path || '—').join(', '))}</p>
          ) : null}
          <ConnectionSection transport={transport} status={d.status} managedApiUrl={d.managed.apiUrl} />
          <CrmSitesSection adapters={d.prefs.adapters} />
          <CustomRulesSection managedRules={d.managed.customRules} ownRules={d.customRules} {...(siteAccess ? { access: siteAccess } : {})} />
          <NotificationsSection prefs={d.prefs} leadNames={d.leadNames} />
          <TeamPolicySection policy={d.teamPolicy} pollSeconds={d.pollSeconds} managed={d.managed} server={d.serverPolicy} />
          <LanguageSection language={d.prefs.language} />
          <TimeZoneList />
        </>
      )}
    </main>
  );
}
