/**
 * Scoring rules: the team's thresholds, points, half-life, cooldowns, window and calendar, each
 * explained in a rep's words; a preview of what a change does to today's leads before saving; the
 * change log. Reps read; managers and admins edit.
 */
import { useEffect } from 'preact/hooks';
import { useSignal, type Signal } from '@preact/signals';
import { api, ApiError } from '../api';
import { dateTime, t, tMaybe } from '../i18n';
import type { MessageKey } from '../messages';
import { errorText, onSignedOut, type Me } from '../state';

interface Hours { start: string; end: string; days: number[]; timeZone: string; japaneseHolidays: boolean; closedDates: string[] }
interface Rules {
  hotThreshold: number; channelHotThresholds: Record<string, number>; points: Record<string, number>; halfLifeDays: number;
  recentlyLostDays: number; recentCallHours: number; contactCapCalls: number; callLookbackDays: number; callWindowMinutes: number;
  businessHours: Hours; [other: string]: unknown;
}
interface Explanation { key: string; values: (string | number)[] }
interface Change { path: string; before?: unknown; after?: unknown }
interface Audit { version: number; at: number; byName: string | null; changes: Change[] }
interface Preview { hotNow: number; hotBefore: number; more: number; fewer: number; examplesMore: { id: string; name: string; company?: string; ownerName?: string }[]; examplesFewer: { id: string; name: string; company?: string; ownerName?: string }[]; changes: Change[]; explanation: Explanation[] }
interface Alerts { instant: boolean; afterMinutes: number; address: string; ccOwner: boolean; digest: boolean; digestAt: string; locale: 'ja' | 'en' }

/** The rule explanations name event types; show their words where we have them. */
const explain = (e: Explanation): string => {
  const values = e.key.startsWith('explainWeight') ? [tMaybe(`event_${String(e.values[0])}`, String(e.values[0])), ...e.values.slice(1)] : e.values;
  return t(e.key as MessageKey, ...values);
};
const FIELD_LABELS: Record<string, MessageKey> = {
  hotThreshold: 'ruleHotThreshold', warmThreshold: 'ruleWarmThreshold', channelHotThresholds: 'ruleChannels', points: 'rulePoints', halfLifeDays: 'ruleHalfLife',
  recentlyLostDays: 'ruleLostDays', recentCallHours: 'ruleRecentCall', contactCapCalls: 'ruleContactCap', callLookbackDays: 'ruleLookback',
  callWindowMinutes: 'ruleWindow', 'businessHours.start': 'ruleHours', 'businessHours.end': 'ruleHours',
  'businessHours.days': 'ruleDays', 'businessHours.japaneseHolidays': 'ruleHolidays', 'businessHours.closedDates': 'ruleClosed',
};
/** A changed field in the manager's words: 'points.download' → "Points per action: Download". */
function fieldLabel(path: string): string {
  const exact = FIELD_LABELS[path];
  if (exact) return t(exact);
  const [head = '', ...rest] = path.split('.');
  const key = rest.join('.');
  const label = FIELD_LABELS[head];
  if (!label) return path;
  return `${t(label)}: ${head === 'points' ? tMaybe(`event_${key}`, key) : key}`;
}
function show(v: unknown, path: string): string {
  if (v === undefined || v === null) return t('none');
  if (typeof v === 'boolean') return t(v ? 'on' : 'off');
  if (Array.isArray(v)) {
    const items = path === 'businessHours.days' ? v.map((d) => t(`day${String(d)}` as MessageKey)) : v.map(String);
    return items.join(', ') || t('none');
  }
  return String(v);
}

function NumberField({ label, value, onChange, step = 1, testid }: { label: string; value: number; onChange: (n: number) => void; step?: number; testid?: string }) {
  return (
    <label class="field">
      <span>{label}</span>
      <input type="number" step={step} value={value} onInput={(e) => onChange(Number((e.currentTarget as HTMLInputElement).value))} data-testid={testid} />
    </label>
  );
}

function AlertSettings() {
  const s = useSignal<Alerts | undefined>(undefined);
  const msg = useSignal('');
  useEffect(() => {
    api<{ settings: Alerts }>('GET', 'alerts').then((r) => (s.value = r.settings), (e) => (msg.value = errorText(e)));
  }, []);
  const set = (patch: Partial<Alerts>) => s.value && (s.value = { ...s.value, ...patch });
  const save = async () => {
    try {
      await api('PUT', 'alerts', { settings: s.value });
      msg.value = t('alertSaved');
    } catch (e) {
      msg.value = errorText(e);
    }
  };
  const v = s.value;
  return (
    <section class="card">
      <h3>{t('alertsTitle')}</h3>
      {v && (
        <div class="grid">
          <label class="check"><input type="checkbox" checked={v.instant} onChange={(e) => set({ instant: (e.currentTarget as HTMLInputElement).checked })} />{t('alertInstant')}</label>
          <NumberField label={t('alertAfter')} value={v.afterMinutes} onChange={(n) => set({ afterMinutes: n })} />
          <label class="field"><span>{t('alertAddress')}</span><input type="email" value={v.address} onInput={(e) => set({ address: (e.currentTarget as HTMLInputElement).value })} /></label>
          <label class="check"><input type="checkbox" checked={v.ccOwner} onChange={(e) => set({ ccOwner: (e.currentTarget as HTMLInputElement).checked })} />{t('alertCcOwner')}</label>
          <label class="check"><input type="checkbox" checked={v.digest} onChange={(e) => set({ digest: (e.currentTarget as HTMLInputElement).checked })} />{t('alertDigest')}</label>
          <label class="field"><span>{t('alertDigestAt')}</span><input class="clock" inputMode="numeric" pattern="[0-2][0-9]:[0-5][0-9]" placeholder="08:30" value={v.digestAt} onInput={(e) => set({ digestAt: (e.currentTarget as HTMLInputElement).value })} /></label>
          <label class="field"><span>{t('alertLocale')}</span>
            <select value={v.locale} onChange={(e) => set({ locale: (e.currentTarget as HTMLSelectElement).value as 'ja' | 'en' })}><option value="ja">日本語</option><option value="en">English</option></select>
          </label>
        </div>
      )}
      <button type="button" onClick={() => void save()}>{t('save')}</button>
      {msg.value && <p class="notice">{msg.value}</p>}
    </section>
  );
}

function ChannelRows({ draft, edit }: { draft: Signal<Rules | undefined>; edit: (f: (r: Rules) => Rules) => void }) {
  const newName = useSignal('');
  const r = draft.value;
  if (!r) return null;
  return (
    <fieldset>
      <legend>{t('ruleChannels')}</legend>
      {Object.entries(r.channelHotThresholds).map(([channel, value]) => (
        <div class="row" key={channel}>
          <NumberField label={channel} value={value} onChange={(n) => edit((x) => ({ ...x, channelHotThresholds: { ...x.channelHotThresholds, [channel]: n } }))} testid={`channel-${channel}`} />
          <button type="button" onClick={() => edit((x) => {
            const next = { ...x.channelHotThresholds };
            delete next[channel];
            return { ...x, channelHotThresholds: next };
          })}>{t('ruleRemove')}</button>
        </div>
      ))}
      <div class="row">
        <label class="field inline"><span>{t('ruleChannelName')}</span><input value={newName.value} onInput={(e) => (newName.value = (e.currentTarget as HTMLInputElement).value)} data-testid="new-channel" /></label>
        <button type="button" disabled={!newName.value.trim()} onClick={() => {
          const name = newName.value.trim();
          edit((x) => ({ ...x, channelHotThresholds: { ...x.channelHotThresholds, [name]: x.hotThreshold } }));
          newName.value = '';
        }} data-testid="add-channel">{t('ruleAddChannel')}</button>
      </div>
    </fieldset>
  );
}

export function RulesScreen({ user }: { user: Me }) {
  const loaded = useSignal<{ team: string; version: number; rules: Rules; explanation: Explanation[]; audit: Audit[] } | undefined>(undefined);
  const draft = useSignal<Rules | undefined>(undefined);
  const preview = useSignal<Preview | undefined>(undefined);
  const msg = useSignal('');
  const error = useSignal('');
  const canEdit = user.role !== 'rep';

  const load = async () => {
    try {
      const r = await api<{ team: string; version: number; rules: Rules; explanation: Explanation[]; audit: Audit[] }>('GET', 'rules');
      loaded.value = r;
      draft.value = structuredClone(r.rules);
      preview.value = undefined;
    } catch (e) {
      onSignedOut(e);
      error.value = errorText(e);
    }
  };
  useEffect(() => void load(), []);
  const edit = (f: (r: Rules) => Rules) => {
    if (draft.value) draft.value = f(draft.value);
    preview.value = undefined;
    msg.value = '';
  };
  const hours = (patch: Partial<Hours>) => edit((r) => ({ ...r, businessHours: { ...r.businessHours, ...patch } }));
  const fail = (e: unknown) => {
    onSignedOut(e);
    error.value = e instanceof ApiError && e.status === 409 ? t('stale') : e instanceof ApiError && e.status === 400 ? t('invalidRules', e.message) : errorText(e);
  };
  const runPreview = async () => {
    error.value = '';
    try {
      preview.value = await api<Preview>('POST', 'rules/preview', { rules: draft.value });
    } catch (e) {
      fail(e);
    }
  };
  const save = async () => {
    error.value = '';
    try {
      const r = await api<{ version: number }>('PUT', 'rules', { baseVersion: loaded.value?.version ?? 0, rules: draft.value });
      await load();
      msg.value = t('saved', r.version);
    } catch (e) {
      fail(e);
    }
  };

  const r = draft.value;
  const l = loaded.value;
  return (
    <section>
      <h2>{t('navRules')}</h2>
      <p class="help">{t('rulesIntro')}</p>
      {l && <p class="muted">{t('rulesTeam', l.team || t('orgDefault'))}</p>}
      {error.value && <p class="error" role="alert">{error.value}</p>}
      {msg.value && <p class="notice" role="status">{msg.value}</p>}
      <div class="two">
        <div>
          {l && (
            <section class="card explain" data-testid="explanation">
              <h3>{t('explainTitle')}</h3>
              <ul>{(preview.value?.explanation ?? l.explanation).map((e, i) => <li key={i}>{explain(e)}</li>)}</ul>
            </section>
          )}
          {canEdit && r && (
            <form class="card rules" onSubmit={(e) => e.preventDefault()}>
              <div class="grid">
                <NumberField label={t('ruleHotThreshold')} value={r.hotThreshold} onChange={(n) => edit((x) => ({ ...x, hotThreshold: n }))} testid="hot-threshold" />
                <NumberField label={t('ruleHalfLife')} value={r.halfLifeDays} step={0.5} onChange={(n) => edit((x) => ({ ...x, halfLifeDays: n }))} />
                <NumberField label={t('ruleWindow')} value={r.callWindowMinutes} onChange={(n) => edit((x) => ({ ...x, callWindowMinutes: n }))} />
                <NumberField label={t('ruleLostDays')} value={r.recentlyLostDays} onChange={(n) => edit((x) => ({ ...x, recentlyLostDays: n }))} />
                <NumberField label={t('ruleRecentCall')} value={r.recentCallHours} onChange={(n) => edit((x) => ({ ...x, recentCallHours: n }))} />
                <NumberField label={t('ruleContactCap')} value={r.contactCapCalls} onChange={(n) => edit((x) => ({ ...x, contactCapCalls: n }))} />
                <NumberField label={t('ruleLookback')} value={r.callLookbackDays} onChange={(n) => edit((x) => ({ ...x, callLookbackDays: n }))} />
              </div>
              <ChannelRows draft={draft} edit={edit} />
              <fieldset>
                <legend>{t('rulePoints')}</legend>
                <div class="grid">
                  {Object.entries(r.points).map(([type, points]) => (
                    <NumberField key={type} label={tMaybe(`event_${type}`, type)} value={points} onChange={(n) => edit((x) => ({ ...x, points: { ...x.points, [type]: n } }))} />
                  ))}
                </div>
              </fieldset>
              <fieldset>
                <legend>{t('ruleHours')}</legend>
                <div class="row">
                  <input class="clock" inputMode="numeric" pattern="[0-2][0-9]:[0-5][0-9]" value={r.businessHours.start} onInput={(e) => hours({ start: (e.currentTarget as HTMLInputElement).value })} aria-label={t('ruleHours')} />
                  <span>〜</span>
                  <input class="clock" inputMode="numeric" pattern="[0-2][0-9]:[0-5][0-9]" value={r.businessHours.end} onInput={(e) => hours({ end: (e.currentTarget as HTMLInputElement).value })} aria-label={t('ruleHours')} />
                </div>
                <div class="days" role="group" aria-label={t('ruleDays')}>
                  {[1, 2, 3, 4, 5, 6, 0].map((d) => (
                    <label class="check" key={d}>
                      <input type="checkbox" checked={r.businessHours.days.includes(d)} onChange={(e) => hours({ days: (e.currentTarget as HTMLInputElement).checked ? [...r.businessHours.days, d].sort() : r.businessHours.days.filter((x) => x !== d) })} />
                      {t(`day${d}` as MessageKey)}
                    </label>
                  ))}
                </div>
                <label class="check"><input type="checkbox" checked={r.businessHours.japaneseHolidays} onChange={(e) => hours({ japaneseHolidays: (e.currentTarget as HTMLInputElement).checked })} />{t('ruleHolidays')}</label>
                <label class="field">
                  <span>{t('ruleClosed')}</span>
                  <textarea rows={3} value={r.businessHours.closedDates.join('\n')} onInput={(e) => hours({ closedDates: (e.currentTarget as HTMLTextAreaElement).value.split(/\s+/).filter(Boolean) })} />
                </label>
              </fieldset>
              <div class="row">
                <button type="button" onClick={() => void runPreview()} data-testid="preview">{t('preview')}</button>
                <button type="button" class="primary" onClick={() => void save()} disabled={!preview.value} data-testid="save-rules">{t('save')}</button>
              </div>
            </form>
          )}
        </div>
        <div>
          {preview.value && (
            <section class="card" data-testid="preview-result">
              <p class="big">{t('previewResult', preview.value.hotNow, preview.value.more, preview.value.fewer)}</p>
              {preview.value.changes.length === 0 && <p>{t('noChanges')}</p>}
              <ul>{preview.value.changes.map((c) => <li key={c.path}>{t('auditChange', fieldLabel(c.path), show(c.before, c.path), show(c.after, c.path))}</li>)}</ul>
              {preview.value.examplesMore.length > 0 && <><h4>{t('examplesMore')}</h4><ul>{preview.value.examplesMore.map((x) => <li key={x.id}>{x.name}{x.company ? `（${x.company}）` : ''}{x.ownerName ? ` — ${x.ownerName}` : ''}</li>)}</ul></>}
              {preview.value.examplesFewer.length > 0 && <><h4>{t('examplesFewer')}</h4><ul>{preview.value.examplesFewer.map((x) => <li key={x.id}>{x.name}{x.company ? `（${x.company}）` : ''}{x.ownerName ? ` — ${x.ownerName}` : ''}</li>)}</ul></>}
            </section>
          )}
          {canEdit && l && (
            <section class="card" data-testid="audit">
              <h3>{t('auditTitle')}</h3>
              {l.audit.length === 0 && <p>{t('noAudit')}</p>}
              <ul>
                {l.audit.map((a) => (
                  <li key={a.version}>
                    {t('auditEntry', a.version, dateTime(a.at), a.byName ?? t('none'))}
                    <ul>{a.changes.map((c) => <li key={c.path}>{t('auditChange', fieldLabel(c.path), show(c.before, c.path), show(c.after, c.path))}</li>)}</ul>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {canEdit && <AlertSettings />}
        </div>
      </div>
    </section>
  );
}
