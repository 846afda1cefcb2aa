/** Write-back (admins): what the server sent to the CRM / MA tool, what waits, what failed and why, with a retry. */
import { useEffect } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import { api } from '../api';
import { dateTime, t } from '../i18n';
import type { MessageKey } from '../messages';
import { errorText, onSignedOut } from '../state';

type Status = 'pending' | 'sent' | 'failed';
interface Item {
  id: string; kind: string; target: string; leadId: string; status: Status; attempts: number; nextAttemptAt: string;
  lastStatus: string | null; lastAnswer: string | null; remoteId: string | null; updatedAt: string;
}
interface Answer { targets: { id: string }[]; counts: Record<Status, number>; items: Item[] }

const STATUS_KEYS: Record<Status, MessageKey> = { pending: 'outboxPending', sent: 'outboxSent', failed: 'outboxFailed' };

export function OutboxScreen() {
  const data = useSignal<Answer | undefined>(undefined);
  const filter = useSignal<Status | ''>('');
  const error = useSignal('');
  const note = useSignal('');

  const load = () => api<Answer>('GET', `outbox${filter.value ? `?status=${filter.value}` : ''}`).then((r) => (data.value = r), (e: unknown) => {
    onSignedOut(e);
    error.value = errorText(e);
  });
  useEffect(() => void load(), [filter.value]);

  const retry = async (id: string) => {
    error.value = '';
    try {
      await api('POST', `outbox/${encodeURIComponent(id)}/retry`, {});
      note.value = t('outboxRetried');
      await load();
    } catch (e) {
      onSignedOut(e);
      error.value = errorText(e);
    }
  };

  const d = data.value;
  return (
    <section>
      <h2>{t('navOutbox')}</h2>
      <p class="help">{t('outboxIntro')}</p>
      {error.value && <p class="error" role="alert">{error.value}</p>}
      {note.value && <p class="ok" role="status">{note.value}</p>}
      {d && (d.targets.length === 0 ? <p class="muted" data-testid="outbox-no-targets">{t('outboxNoTargets')}</p>
        : <p class="muted">{t('outboxTargets', d.targets.map((x) => x.id).join(', '))}</p>)}
      {d && (
        <div class="row" role="group">
          <button type="button" class={filter.value === '' ? 'active' : ''} onClick={() => (filter.value = '')}>{t('outboxAll')}</button>
          {(['pending', 'failed', 'sent'] as const).map((s) => (
            <button type="button" key={s} class={filter.value === s ? 'active' : ''} onClick={() => (filter.value = s)} data-testid={`outbox-filter-${s}`}>
              {t('outboxCount', t(STATUS_KEYS[s]), d.counts[s])}
            </button>
          ))}
        </div>
      )}
      {d && d.items.length === 0 && <p class="muted">{t('outboxEmpty')}</p>}
      {d && d.items.length > 0 && (
        <table data-testid="outbox">
          <thead><tr>
            <th>{t('outboxUpdated')}</th><th>{t('outboxTarget')}</th><th>{t('outboxWhat')}</th><th>{t('outboxStatus')}</th>
            <th>{t('outboxAttempts')}</th><th>{t('outboxAnswer')}</th><th>{t('outboxNext')}</th><th />
          </tr></thead>
          <tbody>
            {d.items.map((i) => (
              <tr key={i.id} data-testid={`outbox-${i.id}`} data-status={i.status}>
                <td class="nowrap">{dateTime(i.updatedAt)}</td>
                <td>{i.target}</td>
                <td>{t(i.kind === 'recycle' ? 'outboxKindRecycle' : 'outboxKindCall')}</td>
                <td>{t(STATUS_KEYS[i.status])}{i.lastStatus ? <span class="muted"> ({i.lastStatus})</span> : null}</td>
                <td>{i.attempts}</td>
                {/* The vendor's own words, as text: the admin needs them verbatim to fix a credential or a field. */}
                <td class="answer"><code>{i.lastAnswer ?? ''}</code></td>
                <td class="nowrap">{i.status === 'pending' ? dateTime(i.nextAttemptAt) : ''}</td>
                <td>{i.status === 'failed' && <button type="button" onClick={() => void retry(i.id)} data-testid={`outbox-retry-${i.id}`}>{t('outboxRetry')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
