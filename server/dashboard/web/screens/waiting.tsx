/** Waiting now: uncalled hot leads by time left, refreshed every 30 s; a manager reassigns one to another rep. */
import { useEffect } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import { api } from '../api';
import { dateTime, minutesText, t } from '../i18n';
import { errorText, onSignedOut, type Me } from '../state';

interface Row { leadId: string; leadName: string; company?: string; ownerId?: string; ownerName?: string; needReason?: string; needDetectedAt: string; windowEndsAt: string; timeLeftMs: number; link?: string }
interface User { id: string; name: string; role: string }

const REFRESH_MS = 30_000;

export function WaitingScreen({ user }: { user: Me }) {
  const rows = useSignal<Row[] | undefined>(undefined);
  const asOf = useSignal('');
  const reps = useSignal<User[]>([]);
  const error = useSignal('');
  const notice = useSignal('');
  const choice = useSignal<Record<string, string>>({});
  const manager = user.role !== 'rep';

  const load = async () => {
    try {
      const r = await api<{ now: string; waiting: Row[] }>('GET', 'waiting');
      rows.value = r.waiting;
      asOf.value = r.now;
      error.value = '';
    } catch (e) {
      onSignedOut(e);
      error.value = errorText(e);
    }
  };
  useEffect(() => {
    void load();
    if (manager) api<{ users: User[] }>('GET', 'users').then((r) => (reps.value = r.users.filter((u) => u.role === 'rep' || u.role === 'manager')), () => undefined);
    // Polling keeps several server processes equal: nothing to subscribe to in memory.
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const reassign = async (row: Row) => {
    const to = choice.value[row.leadId];
    if (!to) return;
    try {
      await api('POST', `leads/${encodeURIComponent(row.leadId)}/reassign`, { to });
      notice.value = t('reassignDone', row.leadName, reps.value.find((u) => u.id === to)?.name ?? to);
      await load();
    } catch (e) {
      onSignedOut(e);
      error.value = errorText(e);
    }
  };

  return (
    <section>
      <div class="row"><h2>{t('navWaiting')}</h2>{asOf.value && <span class="muted">{t('updatedAt', dateTime(asOf.value))}</span>}</div>
      <p class="help">{t('waitingIntro')}</p>
      {error.value && <p class="error">{error.value}</p>}
      {notice.value && <p class="notice" role="status" data-testid="notice">{notice.value}</p>}
      {rows.value?.length === 0 && <p>{t('nobodyWaiting')}</p>}
      {rows.value && rows.value.length > 0 && (
        <table data-testid="waiting-table">
          <thead><tr><th>{t('timeLeft')}</th><th>{t('lead')}</th><th>{t('reason')}</th><th>{t('owner')}</th>{manager && <th>{t('reassign')}</th>}<th /></tr></thead>
          <tbody>
            {rows.value.map((r) => (
              <tr key={r.leadId} data-testid={`waiting-${r.leadId}`} class={r.timeLeftMs < 0 ? 'late' : ''}>
                <td class="num">{r.timeLeftMs >= 0 ? minutesText(r.timeLeftMs / 60_000) : t('overdue', minutesText(-r.timeLeftMs / 60_000))}</td>
                <td>{r.leadName}{r.company ? <small class="sub">{r.company}</small> : null}</td>
                <td>{r.needReason ?? t('none')}<small class="sub">{dateTime(r.needDetectedAt)}</small></td>
                <td data-testid="owner">{r.ownerName ?? t('stock')}</td>
                {manager && (
                  <td class="nowrap">
                    <select aria-label={t('reassignTo')} value={choice.value[r.leadId] ?? ''} onChange={(e) => (choice.value = { ...choice.value, [r.leadId]: (e.currentTarget as HTMLSelectElement).value })} data-testid="reassign-to">
                      <option value="">{t('reassignTo')}</option>
                      {reps.value.filter((u) => u.id !== r.ownerId).map((u) => <option value={u.id} key={u.id}>{u.name}</option>)}
                    </select>
                    <button type="button" onClick={() => void reassign(r)} disabled={!choice.value[r.leadId]} data-testid="reassign">{t('reassign')}</button>
                  </td>
                )}
                <td>{r.link ? <a href={r.link} target="_blank" rel="noopener noreferrer">{t('openInCrm')}</a> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
