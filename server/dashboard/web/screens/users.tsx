/** Users and tokens: add/remove reps, issue a token (shown once, with a copy button and setup steps), revoke, last sync. */
import { useEffect } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import { api, ApiError } from '../api';
import { dateTime, t } from '../i18n';
import { errorText, onSignedOut, type Me } from '../state';

interface Token { id: string; createdAt: number; revokedAt: number | null; lastUsedAt: number | null }
interface User { id: string; name: string; email: string; role: 'rep' | 'manager' | 'admin' | 'ingest'; team: string | null; lastSyncAt: number | null; tokens: Token[] }

const ROLE_KEYS = { rep: 'roleRep', manager: 'roleManager', admin: 'roleAdmin', ingest: 'roleIngest' } as const;

export function UsersScreen({ user }: { user: Me }) {
  const users = useSignal<User[] | undefined>(undefined);
  const error = useSignal('');
  const issued = useSignal<{ name: string; token: string } | undefined>(undefined);
  const copied = useSignal(false);
  const name = useSignal('');
  const email = useSignal('');

  const fail = (e: unknown) => {
    onSignedOut(e);
    error.value = e instanceof ApiError && e.code === 'email_taken' ? t('emailTaken') : errorText(e);
  };
  const load = () => api<{ users: User[] }>('GET', 'users').then((r) => (users.value = r.users), fail);
  useEffect(() => void load(), []);

  const add = async (e: Event) => {
    e.preventDefault();
    error.value = '';
    try {
      await api('POST', 'users', { name: name.value, email: email.value, role: 'rep' });
      name.value = '';
      email.value = '';
      await load();
    } catch (err) {
      fail(err);
    }
  };
  const remove = async (u: User) => {
    if (!confirm(t('confirmRemove', u.name))) return;
    await api('DELETE', `users/${encodeURIComponent(u.id)}`).then(load, fail);
  };
  const issue = async (u: User) => {
    try {
      const r = await api<{ token: string }>('POST', `users/${encodeURIComponent(u.id)}/tokens`, {});
      issued.value = { name: u.name, token: r.token };
      copied.value = false;
      await load();
    } catch (e) {
      fail(e);
    }
  };
  const revoke = (id: string) => api('DELETE', `tokens/${encodeURIComponent(id)}`).then(load, fail);
  const copy = async () => {
    if (!issued.value) return;
    await navigator.clipboard.writeText(issued.value.token);
    copied.value = true;
  };

  return (
    <section>
      <h2>{t('navUsers')}</h2>
      <p class="help">{t('usersIntro')}</p>
      {error.value && <p class="error" role="alert">{error.value}</p>}
      {issued.value && (
        <div class="card token" role="dialog" aria-label={t('tokenIssuedTitle', issued.value.name)} data-testid="issued">
          <h3>{t('tokenIssuedTitle', issued.value.name)}</h3>
          <p class="warn">{t('tokenOnce')}</p>
          <div class="row">
            <code data-testid="issued-token">{issued.value.token}</code>
            <button type="button" onClick={() => void copy()} data-testid="copy">{copied.value ? t('copied') : t('copy')}</button>
          </div>
          <p>{t('tokenHowTo', location.origin)}</p>
          <button type="button" onClick={() => (issued.value = undefined)}>{t('close')}</button>
        </div>
      )}
      {users.value && (
        <table data-testid="users">
          <thead><tr><th>{t('name')}</th><th>{t('email')}</th><th>{t('role')}</th><th>{t('lastSync')}</th><th>{t('tokens')}</th><th /></tr></thead>
          <tbody>
            {users.value.map((u) => (
              <tr key={u.id} data-testid={`user-${u.id}`}>
                <td>{u.name}</td>
                <td class="email">{u.email}</td>
                <td>{t(ROLE_KEYS[u.role])}</td>
                <td class="nowrap">{u.lastSyncAt ? dateTime(u.lastSyncAt) : t('never')}</td>
                <td>
                  <ul class="tokens">
                    {u.tokens.map((tk) => (
                      <li key={tk.id}>
                        <span class="muted">{dateTime(tk.createdAt)}</span>{' '}
                        {tk.revokedAt ? <span class="muted">{t('revoked')}</span> : <button type="button" onClick={() => void revoke(tk.id)} data-testid={`revoke-${tk.id}`}>{t('revoke')}</button>}
                      </li>
                    ))}
                  </ul>
                </td>
                <td class="nowrap">
                  <button type="button" onClick={() => void issue(u)} data-testid={`issue-${u.id}`}>{t('issueToken')}</button>
                  {u.id !== user.id && u.role === 'rep' && <button type="button" onClick={() => void remove(u)}>{t('remove')}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="card row" onSubmit={add}>
        <strong>{t('addUser')}</strong>
        <label class="field inline"><span>{t('name')}</span><input value={name.value} onInput={(e) => (name.value = (e.currentTarget as HTMLInputElement).value)} required data-testid="new-name" /></label>
        <label class="field inline"><span>{t('email')}</span><input type="email" value={email.value} onInput={(e) => (email.value = (e.currentTarget as HTMLInputElement).value)} required data-testid="new-email" /></label>
        <button type="submit" class="primary" data-testid="add-user">{t('add')}</button>
      </form>
    </section>
  );
}
