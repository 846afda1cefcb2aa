/** Who is signed in, and how API errors read to the user. */
import { signal } from '@preact/signals';
import { ApiError } from './api';
import { t } from './i18n';

export interface Me { id: string; name: string; email: string; role: 'rep' | 'manager' | 'admin'; team: string | null; timeZone: string }

/** undefined = still asking the server, null = signed out. */
export const me = signal<Me | undefined | null>(undefined);

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 0) return t('networkError');
    if (e.status === 401) return t('signedOut');
    if (e.status === 403) return t('forbidden');
    return t('genericError', e.message);
  }
  return t('genericError', String(e));
}

/** A 401 anywhere means the session ended: back to the sign-in form. */
export function onSignedOut(e: unknown): void {
  if (e instanceof ApiError && e.status === 401) me.value = null;
}
