/**
 * Connection: Scoring API URL, API token, Test connection, Save. The token goes to the background
 * and is never read back into a page; Save stores it only once the server accepts it. An administrator may fix the URL (managed `apiUrl`): the
 * field then shows theirs, read-only, and that is the URL tested and saved.
 */
import { useSignal } from '@preact/signals';
import { errorWords, t } from '../../utils/i18n';
import { ask, type ConnectionStatus, type MessageTransport } from '../../utils/messaging';
import { FieldLabel } from './common';

type Result = { ok: boolean; text: string } | undefined;

export interface ConnectionSectionProps {
  transport: MessageTransport;
  status?: ConnectionStatus;
  managedApiUrl?: string;
}

export function ConnectionSection({ transport, status, managedApiUrl }: ConnectionSectionProps) {
  const apiUrl = useSignal(managedApiUrl ?? status?.apiUrl ?? '');
  const token = useSignal('');
  const hasToken = useSignal(status?.hasToken ?? false);
  const busy = useSignal(false);
  const result = useSignal<Result>(undefined);
  const managed = managedApiUrl !== undefined;

  const run = async (action: 'testConnection' | 'saveConnection') => {
    busy.value = true;
    result.value = { ok: true, text: t('optionsTesting') };
    const url = managedApiUrl ?? apiUrl.value;
    try {
      if (action === 'testConnection') {
        const reply = await ask(transport, { type: 'testConnection', apiUrl: url, token: token.value });
        result.value = reply.ok
          ? { ok: true, text: t('optionsTestOk', [reply.me.user.name, reply.me.user.email, String(reply.me.settings.callWindowMinutes), String(reply.me.settings.hotThreshold)]) }
          : { ok: false, text: errorWords(reply.error) };
      } else {
        const reply = await ask(transport, { type: 'saveConnection', apiUrl: url, token: token.value });
        if (reply.ok) {
          token.value = '';
          hasToken.value = reply.status.hasToken;
          result.value = { ok: true, text: t('optionsSaved') };
        } else {
          // Nothing was stored: the previous connection, if any, stays in use.
          result.value = { ok: false, text: t('optionsTokenNotSaved', errorWords(reply.error)) };
        }
      }
    } catch (error) {
      result.value = { ok: false, text: error instanceof Error ? error.message : String(error) };
    } finally {
      busy.value = false;
    }
  };

  return (
    <section class="options-section" aria-labelledby="connection-heading">
      <h2 id="connection-heading">{t('optionsConnection')}</h2>
      <form onSubmit={(event) => { event.preventDefault(); void run('saveConnection'); }}>
        <FieldLabel for="api-url" managedId={managed ? 'api-url-managed' : undefined}>{t('optionsApiUrl')}</FieldLabel>
        <input id="api-url" type="url" required placeholder="https://scoring.example.com" value={apiUrl.value}
          readOnly={managed} aria-describedby={managed ? 'api-url-managed' : undefined}
          onInput={(event) => { apiUrl.value = event.currentTarget.value; }} />
        <label for="api-token">{t('optionsApiToken')}</label>
        <input id="api-token" type="password" autocomplete="off" value={token.value}
          onInput={(event) => { token.value = event.currentTarget.value; }} />
        {hasToken.value ? <p class="hint">{t('optionsTokenSaved')}</p> : null}
        <div class="buttons">
          <button type="button" disabled={busy.value} onClick={() => void run('testConnection')}>{t('optionsTestConnection')}</button>
          <button type="submit" class="primary" disabled={busy.value}>{t('optionsSave')}</button>
        </div>
      </form>
      {result.value ? (
        <p class={`result ${result.value.ok ? 'ok' : 'bad'}`} role="status" data-testid="connection-result">{result.value.text}</p>
      ) : null}
    </section>
  );
}
