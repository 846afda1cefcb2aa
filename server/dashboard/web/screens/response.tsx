/** Two-hour response: a trend chart (uPlot) and a table per rep; a rep's row opens their missed windows. */
import { useEffect, useRef } from 'preact/hooks';
import { signal, useSignal } from '@preact/signals';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api, query } from '../api';
import { dateTime, locale, minutesText, t } from '../i18n';
import { errorText, onSignedOut, type Me } from '../state';

interface Stats { period: string; repId?: string; repName?: string; needs: number; calledInWindow: number; missedWindows: number; waiting: number; ratePercent: number | null; medianMinutesToFirstCall: number | null }
interface Report { windowMinutes: number; team: Stats[]; reps: (Stats & { repName: string })[] }
interface Missed { leadId: string; leadName: string; company?: string; needReason?: string; needDetectedAt: string; status: 'missed' | 'late'; firstCallAt?: string; minutesToFirstCall?: number; link?: string }

const granularity = signal<'day' | 'week'>('week');

const COLORS = ['#1f6feb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626'];

function Chart({ report }: { report: Report }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || report.team.length === 0 && report.reps.length === 0) return;
    const periods = [...new Set([...report.team, ...report.reps].map((s) => s.period))].sort();
    const xs = periods.map((p) => Date.parse(`${p}T00:00:00Z`) / 1000);
    const series: { label: string; values: (number | null)[] }[] = [];
    if (report.team.length > 0) series.push({ label: t('team'), values: periods.map((p) => report.team.find((s) => s.period === p)?.ratePercent ?? null) });
    for (const rep of [...new Set(report.reps.map((r) => r.repId))]) {
      const rows = report.reps.filter((r) => r.repId === rep);
      series.push({ label: rows[0]?.repName ?? rep ?? '', values: periods.map((p) => rows.find((s) => s.period === p)?.ratePercent ?? null) });
    }
    const day = 86_400;
    const label = (sec: number) => new Intl.DateTimeFormat(locale.value === 'ja' ? 'ja-JP' : 'en-GB', { month: 'numeric', day: 'numeric', timeZone: 'UTC' }).format(sec * 1000);
    const plot = new uPlot({
      width: el.clientWidth, height: 240,
      // Periods are dates: a fixed margin keeps one or two points from stretching the axis over years.
      scales: { x: { time: false, range: [(xs[0] ?? 0) - day, (xs[xs.length - 1] ?? 0) + day] }, y: { range: [0, 100] } },
      axes: [
        { values: (_u, ticks) => ticks.map((x) => (xs.includes(x) ? label(x) : '')), splits: () => xs },
        { values: (_u, v) => v.map((x) => `${x}%`) },
      ],
      series: [
        { label: t('period'), value: (_u, v) => (v == null ? t('none') : label(v)) },
        ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: i === 0 ? 3 : 1.5, spanGaps: true, value: (_u: uPlot, v: number | null) => (v == null ? t('none') : `${v}%`) })),
      ],
    }, [xs, ...series.map((s) => s.values)], el);
    return () => plot.destroy();
  }, [report, locale.value]);
  return <div class="chart" ref={box} aria-label={t('chartTitle')} data-testid="chart" />;
}

function MissedList({ rep, name, onClose }: { rep: string; name: string; onClose: () => void }) {
  const rows = useSignal<Missed[] | undefined>(undefined);
  const error = useSignal('');
  useEffect(() => {
    api<{ missed: Missed[] }>('GET', `response/missed${query({ rep })}`).then((r) => (rows.value = r.missed), (e) => {
      onSignedOut(e);
      error.value = errorText(e);
    });
  }, [rep]);
  return (
    <section class="card" data-testid="missed">
      <header class="row"><h3>{t('missedOf', name)}</h3><button type="button" onClick={onClose}>{t('closeList')}</button></header>
      {error.value && <p class="error">{error.value}</p>}
      {rows.value?.length === 0 && <p>{t('noMissed')}</p>}
      {rows.value && rows.value.length > 0 && (
        <table>
          <thead><tr><th>{t('lead')}</th><th>{t('reason')}</th><th>{t('detectedAt')}</th><th>{t('firstCall')}</th><th /></tr></thead>
          <tbody>
            {rows.value.map((m) => (
              <tr key={`${m.leadId}${m.needDetectedAt}`}>
                <td>{m.leadName}{m.company ? <small class="sub">{m.company}</small> : null}</td>
                <td>{m.needReason ?? t('none')}</td>
                <td>{dateTime(m.needDetectedAt)}</td>
                <td>{m.status === 'late' && m.minutesToFirstCall !== undefined ? t('calledLate', minutesText(m.minutesToFirstCall)) : t('notCalled')}</td>
                <td>{m.link ? <a href={m.link} target="_blank" rel="noopener noreferrer">{t('openInCrm')}</a> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ResponseScreen({ user }: { user: Me }) {
  const report = useSignal<Report | undefined>(undefined);
  const error = useSignal('');
  const open = useSignal<{ rep: string; name: string } | undefined>(undefined);
  useEffect(() => {
    report.value = undefined;
    api<Report>('GET', `response${query({ granularity: granularity.value })}`).then((r) => (report.value = r), (e) => {
      onSignedOut(e);
      error.value = errorText(e);
    });
  }, [granularity.value]);
  const r = report.value;
  const row = (s: Stats, label: string, rep?: string) => (
    <tr key={`${s.period}-${rep ?? 'team'}`} class={rep ? '' : 'team-row'}>
      <td>{s.period}</td>
      <td>{rep ? <button type="button" class="link" onClick={() => (open.value = { rep, name: label })} data-testid={`rep-${rep}`}>{label}</button> : <strong>{label}</strong>}</td>
      <td class="num">{s.needs}</td>
      <td class="num">{s.calledInWindow}</td>
      <td class="num" data-testid="rate">{s.ratePercent === null ? t('none') : `${s.ratePercent}%`}</td>
      <td class="num">{s.medianMinutesToFirstCall === null ? t('none') : minutesText(s.medianMinutesToFirstCall)}</td>
      <td class="num">{s.missedWindows}</td>
      <td class="num">{s.waiting}</td>
    </tr>
  );
  return (
    <section>
      <div class="row">
        <h2>{t('navResponse')}</h2>
        <div class="seg" role="group">
          <button type="button" class={granularity.value === 'day' ? 'on' : ''} onClick={() => (granularity.value = 'day')} data-testid="by-day">{t('byDay')}</button>
          <button type="button" class={granularity.value === 'week' ? 'on' : ''} onClick={() => (granularity.value = 'week')} data-testid="by-week">{t('byWeek')}</button>
        </div>
      </div>
      {r && <p class="help">{t('responseIntro', r.windowMinutes)} {t('responseWorking')}</p>}
      {error.value && <p class="error">{error.value}</p>}
      {!r && !error.value && <p>{t('loading')}</p>}
      {r && r.team.length === 0 && r.reps.length === 0 && <p>{t('noData')}</p>}
      {r && (r.team.length > 0 || r.reps.length > 0) && (
        <>
          <h3 class="sub-title">{t('chartTitle')}</h3>
          <Chart report={r} />
          <table data-testid="response-table">
            <thead><tr><th>{t('period')}</th><th>{t('rep')}</th><th class="num">{t('needs')}</th><th class="num">{t('calledInWindow')}</th><th class="num">{t('rate')}</th><th class="num">{t('median')}</th><th class="num">{t('missedWindows')}</th><th class="num">{t('waitingCount')}</th></tr></thead>
            <tbody>
              {[...new Set([...r.team, ...r.reps].map((s) => s.period))].sort().reverse().flatMap((p) => [
                ...r.team.filter((s) => s.period === p).map((s) => row(s, t('team'))),
                ...r.reps.filter((s) => s.period === p).map((s) => row(s, s.repName, s.repId)),
              ])}
            </tbody>
          </table>
        </>
      )}
      {open.value && (user.role !== 'rep' || open.value.rep === user.id) && <MissedList rep={open.value.rep} name={open.value.name} onClose={() => (open.value = undefined)} />}
    </section>
  );
}
