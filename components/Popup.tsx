/**
 * The toolbar popup. This slice shows the connection: who we are signed in as, or what is
 * wrong, with a way to the settings. The hot-lead list comes with the sync engine.
 */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { t } from '../utils/i18n';
import { ask, type ConnectionStatus, type MessageTransport } from '../utils/messaging';

export function Popup({ transport, openOptions }: { transport: MessageTransport; openOptions(): void }) {
  const status = useSignal<ConnectionStatus | undefined>(undefined);
  useEffect(() => {
    void ask(transport, { type: 'status' }).then((value) => { status.value = value; });
  }, [transport]);
  const current = status.value;
  return (
    <main class="popup" style={{ width: '360px', boxSizing: 'border-box', padding: '14px 16px' }}>
      <h1>{t('popupTitle')}</h1>
      <p class="status" data-testid="popup-status">{current ? describe(current) : '…'}</p>
      <div class="buttons">
        <button type="button" class="primary" onClick={openOptions}>{t('popupOpenSettings')}</button>
      </div>
    </main>
  );
}

function describe(status: ConnectionStatus): string {
  if (!status.apiUrl || !status.hasToken) return t('popupNotConnected');
  if (status.lastError) return t('popupConnectionProblem', status.lastError);
  return t('popupConnectedAs', [new URL(status.apiUrl).host, status.user?.name ?? '?']);
}
