/** Voice of the customer: outcomes and loss reasons per week (count, share, change), complaints per 100 calls, notes search, CSV. */
import { useEffect } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import { api, query } from '../api';
import { dateTime, locale, t, tMaybe } from '../i18n';
import { errorText, onSignedOut } from '../state';

const OUTCOMES = ['connected', 'no_answer', 'meeting_set', 'lost', 'complaint'] as const;
const REASONS = ['price', 'timing', 'competitor', 'no_need', 'other'] as const;
interface Share { count: number; percent: number }
interface Period { period: string; calls: number; outcomes: Record<string, Share>; lossReasons: Record<string, Share>; complaintsPer100Calls: number }
interface Report { periods: Period[]; total: Omit<Period, 'period'>; trend: { outcomes: Record<string, number | null>; lossReasons: Record<string, number | null> } }
interface Note { id: string; at: string; leadName?: string; actorName: string; outcome: string; lossReason?: string; note?: string }

const trendText = (x: number | null | undefined): string => (x === null || x === undefined ? t('none') : `${x > 0 ? '+' : ''}${t('points', x)}`);

export function VocScreen() {
  const report = useSignal<Report | undefined>(undefined);
  const notes = useSignal<{ total: number; notes: Note[] } | undefined>(undefined);
  const q = useSignal('');
  const error = useSignal('');
  const fail = (e: unknown) => {
    onSignedOut(e);
    error.value = errorText(e);
  };
  const search = () => api<{ total: number; notes: Note[] }>('GET', `voc/notes${query({ q: q.value })}`).then((r) => (notes.value = r), fail);
  useEffect(() => {
    api<Report>('GET', 'voc?granularity=week').then((r) => (report.value = r), fail);
    void search();
  }, []);
  const r = report.value;
  const table = (title: string, keys: readonly string[], prefix: string, pick: (p: Omit<Period, 'period'>) => Record<string, Share>, trend: Record<string, number | null> | undefined) => r && (
    <table class="voc" data-testid={`voc-${prefix}`}>
      <thead><tr><th>{title}</th>{r.periods.map((p) => <th class="num" key={p.period}>{p.period}</th>)}<th class="num">{t('share')}</th><th class="num">{t('trend')}</th></tr></thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k}>
            <td>{tMaybe(`${prefix}_${k}`, k)}</td>
            {r.periods.map((p) => <td class="num" key={p.period}>{pick(p)[k]?.count ?? 0}</td>)}
            <td class="num">{pick(r.total)[k]?.percent ?? 0}%</td>
            <td class="num">{trendText(trend?.[k])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <section>
      <h2>{t('navVoc')}</h2>
      <p class="help">{t('vocIntro')}</p>
      {error.value && <p class="error">{error.value}</p>}
      {r && (
        <>
          <div class="kpis">
            <div class="kpi"><span>{t('calls')}</span><strong data-testid="voc-calls">{r.total.calls}</strong></div>
            <div class="kpi"><span>{t('complaintsPer100')}</span><strong data-testid="voc-complaints">{r.total.complaintsPer100Calls}</strong></div>
          </div>
          {r.periods.length === 0 ? <p>{t('noData')}</p> : (
            <div class="scroll">
              {table(t('outcome'), OUTCOMES, 'outcome', (p) => p.outcomes, r.trend.outcomes)}
              {table(t('lossReason'), REASONS, 'reason', (p) => p.lossReasons, r.trend.lossReasons)}
            </div>
          )}
        </>
      )}
      <form class="row search" onSubmit={(e) => { e.preventDefault(); void search(); }}>
        <label class="field inline">
          <span>{t('searchNotes')}</span>
          <input type="search" value={q.value} placeholder={t('searchPlaceholder')} onInput={(e) => (q.value = (e.currentTarget as HTMLInputElement).value)} data-testid="note-search" />
        </label>
        <button type="submit">{t('search')}</button>
        <a class="button" href={`/app/api/voc/export.csv${query({ q: q.value, lang: locale.value })}`} download data-testid="export-csv">{t('exportCsv')}</a>
      </form>
      {notes.value && (
        <>
          <p class="muted">{t('notesFound', notes.value.total)}</p>
          <table data-testid="notes">
            <thead><tr><th>{t('when')}</th><th>{t('rep')}</th><th>{t('lead')}</th><th>{t('outcome')}</th><th>{t('note')}</th></tr></thead>
            <tbody>
              {notes.value.notes.map((n) => (
                <tr key={n.id}>
                  <td class="nowrap">{dateTime(n.at)}</td>
                  <td>{n.actorName}</td>
                  <td>{n.leadName}</td>
                  <td>{tMaybe(`outcome_${n.outcome}`, n.outcome)}{n.lossReason ? `（${tMaybe(`reason_${n.lossReason}`, n.lossReason)}）` : ''}</td>
                  <td class="note">{n.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
