/**
 * The lead panel: what a salesperson sees at the right edge of a CRM record. This slice shows
 * who the lead is, the score and the band; API text is rendered as text (Preact escapes it).
 */
import type { Signal } from '@preact/signals';
import { useLayoutEffect } from 'preact/hooks';
import type { Band, LeadDetail, LeadSummary, Stage } from '../utils/api/contract';
import { t, type MessageKey } from '../utils/i18n';

export type PanelState =
  | { kind: 'loading' }
  | { kind: 'found'; lead: LeadSummary; detail?: LeadDetail; asOf: string; stale?: boolean }
  | { kind: 'not_found' }
  | { kind: 'not_connected' }
  | { kind: 'error'; message: string };

const BAND_LABEL: Record<Band, MessageKey> = { hot: 'bandHot', warm: 'bandWarm', cold: 'bandCold' };
const STAGE_LABEL: Record<Stage, MessageKey> = {
  lead: 'stageLead', process: 'stageProcess', sleep: 'stageSleep', churn: 'stageChurn',
};

export interface LeadPanelProps {
  state: Signal<PanelState>;
  collapsed: Signal<boolean>;
  onToggle(): void;
  onOpenSettings(): void;
}

export function LeadPanel({ state, collapsed, onToggle, onOpenSettings }: LeadPanelProps) {
  const current = state.value;
  const lead = current.kind === 'found' ? current.lead : undefined;
  if (collapsed.value) {
    return (
      <button type="button" class={`tab band-${lead?.band ?? 'none'}`} aria-label={t('panelExpand')} onClick={onToggle}>
        <span class="tab-score">{lead ? Math.round(lead.score) : '·'}</span>
      </button>
    );
  }
  return (
    <aside class="panel" aria-label={t('panelLabel')} data-state={current.kind} data-stale={current.kind === 'found' && current.stale ? 'true' : undefined}>
      <header class="bar">
        <span class="brand">LeadLens</span>
        <button type="button" class="icon-button" aria-label={t('panelCollapse')} onClick={onToggle}>›</button>
      </header>
      <div class="body">
        <PanelBody state={current} onOpenSettings={onOpenSettings} />
      </div>
    </aside>
  );
}

function PanelBody({ state, onOpenSettings }: { state: PanelState; onOpenSettings(): void }) {
  switch (state.kind) {
    case 'loading':
      return <p class="muted" role="status">{t('panelLoading')}</p>;
    case 'not_found':
      return <p class="muted">{t('panelNotFound')}</p>;
    case 'not_connected':
      return (
        <div>
          <p class="muted">{t('panelNotConnected')}</p>
          <button type="button" class="primary" onClick={onOpenSettings}>{t('panelOpenSettings')}</button>
        </div>
      );
    case 'error':
      return <p class="error" role="alert">{t('panelError', state.message)}</p>;
    case 'found':
      return <LeadSummaryView lead={state.lead} asOf={state.asOf} />;
  }
}

/** Marked once the lead is in the DOM: the benchmark reads it (and so can anyone profiling a slow CRM). */
export const PANEL_VISIBLE_MARK = 'leadlens:panel-visible';

function LeadSummaryView({ lead, asOf }: { lead: LeadSummary; asOf: string }) {
  useLayoutEffect(() => {
    performance.mark(PANEL_VISIBLE_MARK, { detail: lead.id });
  }, [lead.id, asOf]);
  const change = Math.round(lead.scoreChange24h);
  const changeText = `${change > 0 ? '▲ +' : change < 0 ? '▼ ' : '± '}${change}`;
  return (
    <div class="lead">
      <h2 class="name" data-testid="lead-name">{lead.name}</h2>
      {lead.company ? <p class="company">{lead.company}</p> : null}
      <div class="chips">
        <span class="chip stage">{t(STAGE_LABEL[lead.stage])}</span>
        {lead.owner ? <span class="chip owner">{t('ownerLabel', lead.owner.name)}</span> : null}
      </div>
      <div class={`score band-${lead.band}`}>
        <span class="score-label">{t('scoreLabel')}</span>
        <span class="score-value" data-testid="lead-score">{Math.round(lead.score)}</span>
        <span class="band" data-testid="lead-band">{t(BAND_LABEL[lead.band])}</span>
        <span class={`change ${change > 0 ? 'up' : change < 0 ? 'down' : 'flat'}`}>{t('scoreChange', changeText)}</span>
      </div>
      {lead.needReason ? (
        <p class="need"><span class="need-label">{t('needReasonLabel')}</span> {lead.needReason}</p>
      ) : null}
      <p class="as-of muted">{t('panelAsOf', formatClock(asOf))}</p>
    </div>
  );
}

function formatClock(iso: string): string {
  const date = new Date(iso);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
