/**
 * The lead panel: what a salesperson sees at the right edge of a CRM record. With the summary
 * alone it shows who the lead is, the score, the call window and any block; with the detail it
 * adds the why, the interests and the timeline; with the decisions (cooldowns, next action,
 * made by utils/policy/decide.ts where the policy is known) it says when not to call and what
 * to do next; with handlers, the call log and follow/mute. API text is rendered as text only
 * (Preact escapes it; lint forbids dangerouslySetInnerHTML). Parts: components/panel/.
 */
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { Watchable } from '../utils/cell';
import type { Cooldown, LeadDetail, LeadSummary } from '../utils/api/contract';
import { t, uiLanguage } from '../utils/i18n';
import { callWindow, DEFAULT_CALL_WINDOW_MINUTES, formatDuration } from '../utils/policy/call-window';
import { DEFAULT_TEAM_POLICY } from '../utils/policy/team-policy';
import { COOLDOWN_LABELS, type EvaluatedCooldown } from '../utils/policy/cooldown-merge';
import { labelOf } from '../utils/policy/message';
import type { BusinessCalendar } from '../utils/policy/business-hours';
import type { NextAction as NextActionValue } from '../utils/policy/next-action';
import type { NeedProgress } from '../utils/policy/outcomes';
import type { TeamPolicy } from '../utils/policy/team-policy';
import { CallWindow } from './panel/CallWindow';
import { CooldownBanner } from './panel/CooldownBanner';
import { FollowMute } from './panel/FollowMute';
import { uiLocale } from './panel/format';
import { Header } from './panel/Header';
import { ResizeHandle } from './panel/ResizeHandle';
import { compactLeft, tabView, type TabView } from './panel/tab';
import { Interests } from './panel/Interests';
import { LogCallForm, type CallLogEntry, type Dial } from './panel/LogCallForm';
import { RecycleForm, type RecycleEntry } from './panel/RecycleForm';
import { NextAction } from './panel/NextAction';
import { Score } from './panel/Score';
import { ScoreBreakdown } from './panel/ScoreBreakdown';
import { Timeline, type PanelEvent } from './panel/Timeline';

/** The detail as the panel holds it: calls just logged may sit in the timeline with a status. */
export type PanelDetail = Omit<LeadDetail, 'timeline'> & { timeline: readonly PanelEvent[] };

export interface FoundState {
  kind: 'found';
  lead: LeadSummary;
  asOf: string;
  /** The full lead, once fetched or read from the cache. */
  detail?: PanelDetail;
  /** Served from the cache while the API is unreachable: the panel says "as of HH:MM". */
  stale?: boolean;
  /** The server refuses the saved token: the panel says so, with the way to settings. */
  signIn?: boolean;
  /**
   * The decisions, made where the policy and the user are known (utils/policy/decide.ts
   * panelDecisions): they stay true until its `nextChange`, the ticker keeps their texts
   * current. Without them the panel shows the API's cooldowns and the summary's block only,
   * and no next action: the policy engine stays out of the content script's bundle.
   */
  cooldowns?: readonly EvaluatedCooldown[];
  nextAction?: NextActionValue;
  /** Whether the need was answered (untried / next try / reached). */
  progress?: NeedProgress;
  /** The team's business calendar, for the countdown. */
  calendar?: BusinessCalendar;
  /** The call window's length: the API's setting, else the team policy's, else 2 h. */
  callWindowMinutes?: number;
  policy?: TeamPolicy;
  /** The user's own follow choice (preferences); lead.followed otherwise. */
  followed?: boolean;
  /** A fixed clock (ms) when no ticker is passed to the panel. */
  now?: number;
  muted?: boolean;
  loadingOlder?: boolean;
}

export type PanelState =
  | { kind: 'loading' }
  | FoundState
  | { kind: 'not_found' }
  | { kind: 'not_connected' }
  | { kind: 'error'; message: string };

export interface PanelActions {
  /** Shown only when given: the call-log form. Resolves to a handle for onUndoCall. */
  onLogCall?(entry: CallLogEntry): Promise<string | undefined> | void;
  onUndoCall?(handle: string): Promise<boolean>;
  /** Shown only when given: "Send to nurture". */
  onRecycle?(entry: RecycleEntry): void;
  /** Shown only when both are given: the follow / mute toggles. */
  onFollowChange?(followed: boolean): void;
  onMuteChange?(muted: boolean): void;
  /** The timeline's "older" button, when the detail has a timelineCursor. */
  onLoadOlder?(): void;
}

/** Where the docked panel sits: its width, how far down the CRM's own header reaches, the widest the window allows. */
export interface DockLayout {
  width: number;
  top: number;
  max: number;
}

/** Before the content script has measured the page (and in tests): the default column. */
const UNDOCKED: DockLayout = { width: 320, top: 0, max: 320 };

export interface LeadPanelProps extends PanelActions {
  state: Watchable<PanelState>;
  /** Folded to the tab: the rep's choice, or no lead behind the record. */
  collapsed: Watchable<boolean>;
  dock?: Watchable<DockLayout>;
  /** The resize handle, shown when given: live while dragging (commit false), then the width to remember. */
  onResize?(width: number, commit: boolean): void;
  onToggle(): void;
  onOpenSettings(): void;
  /** The parent's single minute ticker (epoch ms): countdowns re-render on it. */
  now?: Watchable<number>;
  /** Defaults to the browser UI language; the time zone to the browser's. */
  locale?: string;
  timeZone?: string;
  /**
   * A lead's first paint holds only what the rep reads first (who, score, blocks, the call window,
   * the next action); the controls and the detail's sections follow right after that paint. The
   * content script sets it: the timeline's rows alone took 5-35 ms of a full load's first render.
   */
  staged?: boolean;
}

/**
 * Renders again when one of the watched values changes. The content script passes its own cells
 * (utils/cell.ts), not signals with @preact/signals' Preact integration (its size is budgeted);
 * the panel reads them here, at its root, so this is all of the integration it needs.
 */
function useWatched(values: readonly (Watchable<unknown> | undefined)[]): void {
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const rendered = useRef<unknown[]>([]);
  rendered.current = values.map((v) => v?.peek());
  useLayoutEffect(() => {
    // subscribe() calls back at once: that call renders again only if a value changed since the render.
    const changed = () => {
      if (values.some((v, i) => !Object.is(v?.peek(), rendered.current[i]))) rerender(0);
    };
    const stops = values.map((v) => v?.subscribe(changed));
    return () => stops.forEach((stop) => stop?.());
  }, values);
}

export function LeadPanel({ state, collapsed, dock, onResize, onToggle, onOpenSettings, now, locale, timeZone, staged, ...actions }: LeadPanelProps) {
  useWatched([state, collapsed, dock, now]);
  const current = state.value;
  const layout = dock?.value ?? UNDOCKED;
  if (collapsed.value) {
    const clock = now?.value ?? (current.kind === 'found' ? current.now : undefined) ?? Date.now();
    const view = current.kind === 'found' ? foundTab(current, clock) : tabView(undefined, [], { state: 'none' }, clock);
    const label = tabLabel(view, current.kind, locale ?? uiLocale());
    return (
      <button type="button" lang={uiLanguage()} class={`tab band-${view.band} mark-${view.mark}`} style={{ top: `${layout.top + 8}px` }}
        aria-label={label} title={label} data-testid="panel-tab" data-mark={view.mark} onClick={onToggle}>
        {view.mark === 'none' ? null : <span class="tab-mark" aria-hidden="true">{view.mark === 'block' ? '⛔' : '⚠'}</span>}
        <span class="tab-score">{view.score ?? '·'}</span>
        {view.leftMs === undefined ? null : <span class={`tab-left${view.paused ? ' paused' : ''}`}>{compactLeft(view.leftMs)}</span>}
      </button>
    );
  }
  return (
    <>
    {onResize ? (
      <div class="resize-edge" style={{ top: `${layout.top}px`, right: `${layout.width - 4}px` }}>
        <ResizeHandle width={layout.width} max={layout.max} onResize={onResize} />
      </div>
    ) : null}
    <aside class="panel" lang={uiLanguage()} style={{ top: `${layout.top}px`, width: `${layout.width}px` }} aria-label={t('panelLabel')} data-state={current.kind} data-stale={current.kind === 'found' && current.stale ? 'true' : undefined}>
      <header class="bar">
        <span class="brand">LeadLens</span>
        <button type="button" class="icon-button" aria-label={t('panelCollapse')} onClick={onToggle}>›</button>
      </header>
      <div class="body">
        {current.kind === 'found' && current.signIn ? (
          <p class="sign-in warn-text" role="alert" data-testid="panel-sign-in">
            {t('panelSignInNeeded')} <button type="button" class="link" onClick={onOpenSettings}>{t('panelOpenSettings')}</button>
          </p>
        ) : null}
        {current.kind === 'found' ? (
          <LeadView
            key={current.lead.id}
            state={current}
            now={now?.value ?? current.now ?? Date.now()}
            locale={locale ?? uiLocale()}
            timeZone={timeZone}
            actions={actions}
            staged={staged}
          />
        ) : (
          <PanelMessage state={current} onOpenSettings={onOpenSettings} />
        )}
      </div>
    </aside>
    </>
  );
}

/** What the folded tab shows for a lead: the same cooldowns and window the open panel shows. */
function foundTab(state: FoundState, now: number): TabView {
  const shown: LeadSummary = state.detail ?? state.lead;
  const windowMinutes = state.callWindowMinutes ?? state.policy?.callWindowMinutes ?? DEFAULT_CALL_WINDOW_MINUTES;
  const cooldowns = state.cooldowns ?? apiCooldowns(state.detail?.cooldowns, shown.cooldownUntil, now);
  return tabView(shown, cooldowns, callWindow(shown.needDetectedAt, windowMinutes, now, state.calendar), now);
}

/** The tab's words for screen readers and the tooltip: what the marks and numbers mean. */
function tabLabel(view: TabView, kind: PanelState['kind'], locale: string): string {
  const parts = [t('panelExpand')];
  if (view.mark === 'block') parts.push(t('panelTabBlock'));
  if (view.mark === 'warn') parts.push(t('panelTabWarn'));
  if (view.score !== undefined) parts.push(t('panelTabScore', String(view.score)));
  if (view.leftMs !== undefined) parts.push(t(view.paused ? 'panelTabLeftPaused' : 'panelTabLeft', formatDuration(view.leftMs, locale)));
  if (kind === 'not_found') parts.push(t('panelTabNoLead'));
  return parts.join(' — ');
}

function PanelMessage({ state, onOpenSettings }: { state: Exclude<PanelState, FoundState>; onOpenSettings(): void }) {
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
  }
}

const DEFAULT_LOST_COOLDOWN_DAYS = DEFAULT_TEAM_POLICY.lostCooldownDays;

/** Marked once the lead is in the DOM: the benchmark reads it (and so can anyone profiling a slow CRM). */
export const PANEL_VISIBLE_MARK = 'leadlens:panel-visible';

interface LeadViewProps {
  state: FoundState;
  now: number;
  locale: string;
  timeZone: string | undefined;
  actions: PanelActions;
  staged?: boolean;
}

function LeadView({ state, now, locale, timeZone: givenZone, actions, staged }: LeadViewProps) {
  const { lead, asOf, detail } = state;
  // Times are the team's wall clock (the calendar's zone), whatever zone the machine is in.
  const timeZone = givenZone ?? state.calendar?.timeZone ?? state.policy?.businessHours.timeZone;
  useLayoutEffect(() => {
    performance.mark(PANEL_VISIBLE_MARK, { detail: lead.id });
  }, [lead.id, asOf]);
  // Keyed by the lead: each lead shown starts with the summary alone. useEffect runs after the paint.
  const [whole, setWhole] = useState(!staged);
  useEffect(() => {
    if (!whole) setWhole(true);
  }, []);
  // The detail is newer than or as new as the summary it came with; fall back field by field.
  const shown: LeadSummary = detail ?? lead;
  const windowMinutes = state.callWindowMinutes ?? state.policy?.callWindowMinutes ?? DEFAULT_CALL_WINDOW_MINUTES;
  const cooldowns = state.cooldowns ?? apiCooldowns(detail?.cooldowns, shown.cooldownUntil, now);
  const { onLogCall, onUndoCall, onRecycle, onFollowChange, onMuteChange, onLoadOlder } = actions;
  const label = shown.company ? t('notifyLeadWithCompany', [shown.name, shown.company]) : shown.name;
  // The rep clicked the number: the call log gets ready for that call (LogCallForm).
  const [dial, setDial] = useState<Dial | undefined>();
  return (
    <div class="lead">
      <Header lead={shown} blocked={cooldowns.some((c) => c.severity === 'block' && (c.until === undefined || Date.parse(c.until) > now))}
        onDial={onLogCall ? (phone) => setDial({ phone, at: Date.now() }) : undefined} />
      <Score lead={shown} />
      <CooldownBanner cooldowns={cooldowns} now={now} locale={locale} timeZone={timeZone} />
      <CallWindow needDetectedAt={shown.needDetectedAt} needReason={shown.needReason} windowMinutes={windowMinutes} now={now} locale={locale}
        timeZone={timeZone} calendar={state.calendar} progress={state.progress} />
      {state.nextAction ? <NextAction action={state.nextAction} now={now} locale={locale} timeZone={timeZone} /> : null}
      {whole && onFollowChange && onMuteChange ? (
        <FollowMute followed={state.followed ?? shown.followed ?? false} muted={state.muted ?? false} onFollowChange={onFollowChange} onMuteChange={onMuteChange} />
      ) : null}
      {whole && onLogCall ? (
        <LogCallForm key={lead.id} onSubmit={onLogCall} onUndo={onUndoCall} leadLabel={label} dial={dial} locale={locale} timeZone={timeZone}
          lostCooldownDays={state.policy?.lostCooldownDays ?? DEFAULT_LOST_COOLDOWN_DAYS} />
      ) : null}
      {whole && onRecycle ? <RecycleForm key={lead.id} defaultEmail={shown.email} tracks={detail?.interests.map((i) => i.topic) ?? []} onSubmit={onRecycle} /> : null}
      {whole && detail ? (
        <>
          <ScoreBreakdown factors={detail.breakdown} locale={locale} timeZone={timeZone} />
          <Interests interests={detail.interests} />
          <Timeline
            events={detail.timeline}
            cursor={detail.timelineCursor}
            onLoadOlder={onLoadOlder}
            loadingOlder={state.loadingOlder}
            now={now}
            locale={locale}
            timeZone={timeZone}
          />
        </>
      ) : null}
      <p class={`as-of muted${state.stale ? ' stale' : ''}`}>{t('panelAsOf', formatClock(asOf))}</p>
    </div>
  );
}

/**
 * Until the decisions arrive: the API's own cooldowns still in force, as the server words them,
 * or the summary's "no calls until". Deliberately not mergeCooldowns(): the content script's
 * bundle has no room for the policy code, and the background sends the merged list anyway.
 */
function apiCooldowns(api: readonly Cooldown[] | undefined, cooldownUntil: string | undefined, now: number): EvaluatedCooldown[] {
  const inForce = (until?: string) => !until || Date.parse(until) > now;
  // The API marks "do not call" with a far-future date (9999-12-31): no end to show.
  const end = (until?: string) => (until && until < '9000' ? { until } : {});
  const list: EvaluatedCooldown[] = (api ?? []).filter((c) => inForce(c.until)).map((c) => ({
    reason: c.reason, severity: c.severity, ...end(c.until), labelKey: labelOf(COOLDOWN_LABELS, c.reason) ?? 'cooldownReasonOther', messageKey: 'cooldownApiMsg', params: [c.message], source: 'api',
  }));
  if (cooldownUntil && !list.some((c) => c.severity === 'block') && Date.parse(cooldownUntil) > now) {
    list.push({ reason: 'blocked', severity: 'block', ...end(cooldownUntil), labelKey: COOLDOWN_LABELS.blocked, messageKey: 'cooldownBlockedMsg', params: [], source: 'api' });
  }
  return list.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'block' ? -1 : 1));
}

function formatClock(iso: string): string {
  const date = new Date(iso);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
