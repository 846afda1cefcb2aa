/**
 * The manager's dashboard: sign-in, then six screens (write-back for admins only) chosen by the URL hash. Reps see only the
 * screens about their own numbers; the server enforces the same on every route.
 */
import { render } from 'preact';
import { signal } from '@preact/signals';
import { api, ApiError } from './api';
import { locale, setLocale, t, timeZone } from './i18n';
import type { MessageKey } from './messages';
import { ResponseScreen } from './screens/response';
import { WaitingScreen } from './screens/waiting';
import { VocScreen } from './screens/voc';
import { RulesScreen } from './screens/rules';
import { UsersScreen } from './screens/users';
import { OutboxScreen } from './screens/outbox';
import { errorText, me, type Me } from './state';
import './styles.css';

const route = signal(location.hash.replace(/^#\/?/, '') || 'response');
window.addEventListener('hashchange', () => {
  route.value = location.hash.replace(/^#\/?/, '') || 'response';
});

const SCREENS: { id: string; label: MessageKey; managers: boolean; admins?: boolean }[] = [
  { id: 'response', label: 'navResponse', managers: false },
  { id: 'waiting', label: 'navWaiting', managers: false },
  { id: 'voc', label: 'navVoc', managers: false },
  { id: 'rules', label: 'navRules', managers: false },
  { id: 'users', label: 'navUsers', managers: true },
  { id: 'outbox', label: 'navOutbox', managers: true, admins: true },
];

function LanguageSwitch() {
  return (
    <label class="lang">
      <span>{t('language')}</span>
      <select value={locale.value} onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value as 'ja' | 'en')} data-testid="language">
        <option value="ja">日本語</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

const token = signal('');
const signInError = signal('');

function SignIn() {
  const submit = async (e: Event) => {
    e.preventDefault();
    signInError.value = '';
    try {
      const r = await api<{ user: Me }>('POST', 'session', { token: token.value.trim() });
      token.value = '';
      me.value = r.user;
    } catch (err) {
      signInError.value = err instanceof ApiError && err.status === 401 ? t('badToken')
        : err instanceof ApiError && err.status === 403 ? t('connectorToken') : errorText(err);
    }
  };
  return (
    <main class="signin">
      <header class="signin-head"><h1>{t('appName')}</h1><LanguageSwitch /></header>
      <form onSubmit={submit} class="card">
        <h2>{t('signInTitle')}</h2>
        <p class="help">{t('signInHelp')}</p>
        <label class="field">
          <span>{t('tokenLabel')}</span>
          <input type="password" autocomplete="off" value={token.value} onInput={(e) => (token.value = (e.currentTarget as HTMLInputElement).value)} data-testid="token" required />
        </label>
        {signInError.value && <p class="error" role="alert">{signInError.value}</p>}
        <button type="submit" class="primary" data-testid="sign-in">{t('signIn')}</button>
      </form>
    </main>
  );
}

function Shell({ user }: { user: Me }) {
  const manager = user.role !== 'rep';
  const screens = SCREENS.filter((s) => (manager || !s.managers) && (user.role === 'admin' || !s.admins));
  const current = screens.find((s) => s.id === route.value)?.id ?? 'response';
  const signOut = async () => {
    await api('DELETE', 'session').catch(() => undefined);
    me.value = null;
  };
  return (
    <div class="shell">
      <header class="top">
        <h1>{t('appName')}</h1>
        <span class="who" data-testid="who">{t('whoRole', user.name, t(user.role === 'admin' ? 'roleAdmin' : user.role === 'manager' ? 'roleManager' : 'roleRep'))}</span>
        <LanguageSwitch />
        <button type="button" onClick={signOut} data-testid="sign-out">{t('signOut')}</button>
      </header>
      <nav class="tabs">
        {screens.map((s) => (
          <a href={`#/${s.id}`} class={s.id === current ? 'active' : ''} data-testid={`nav-${s.id}`} key={s.id}>{t(s.label)}</a>
        ))}
      </nav>
      <main class="screen">
        {current === 'response' && <ResponseScreen user={user} />}
        {current === 'waiting' && <WaitingScreen user={user} />}
        {current === 'voc' && <VocScreen />}
        {current === 'rules' && <RulesScreen user={user} />}
        {current === 'users' && manager && <UsersScreen user={user} />}
        {current === 'outbox' && user.role === 'admin' && <OutboxScreen />}
      </main>
    </div>
  );
}

function App() {
  if (me.value) timeZone.value = me.value.timeZone;
  if (me.value === undefined) return <p class="loading">{t('loading')}</p>;
  if (me.value === null) return <SignIn />;
  return <Shell user={me.value} />;
}

document.documentElement.lang = locale.value;
api<{ user: Me }>('GET', 'me').then((r) => (me.value = r.user), () => (me.value = null));
render(<App />, document.getElementById('app') as HTMLElement);
