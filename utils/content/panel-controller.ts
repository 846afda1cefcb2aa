/**
 * The panel's state machine on the content-script side: asks the background about a record,
 * applies what it pushes, and turns the panel's actions into messages. No chrome.* here: the
 * transport is passed in, so the whole flow is unit-tested with a fake one.
 */
import { cell } from '../cell';
import type { FoundState, PanelDetail, PanelState } from '../../components/LeadPanel';
import type { CallLogEntry } from '../../components/panel/LogCallForm';
import type { RecycleEntry } from '../../components/panel/RecycleForm';
import type { LeadSummary } from '../api/contract';
import type { LookupKey } from '../messaging-schema';
import { ask, type LeadPush, type MessageTransport, type PanelContext, type WriteResponse } from '../messaging';

export interface Timers {
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

/** What the panel shows for a lead, given the background's answer and context. */
export function foundState(lead: LeadSummary, detail: PanelDetail | undefined, asOf: string, stale: boolean, context?: PanelContext): FoundState {
  return {
    kind: 'found', lead, asOf, stale,
    detail: detail && { ...detail, timeline: context?.timeline ?? detail.timeline },
    ...(context ? {
      cooldowns: context.decisions?.cooldowns,
      nextAction: context.decisions?.nextAction,
      progress: context.decisions?.progress,
      calendar: context.calendar,
      callWindowMinutes: context.callWindowMinutes,
      policy: context.policy,
      followed: context.followed,
      muted: context.muted,
      ...(context.signIn ? { signIn: true } : {}),
    } : {}),
  };
}

export class PanelController {
  readonly state = cell<PanelState>({ kind: 'loading' });
  private context: PanelContext | undefined;
  private refreshTimer: number | undefined;

  constructor(private readonly transport: MessageTransport, private readonly timers: Timers, private readonly now: () => number = Date.now) {}

  /** Looks the record (or, for custom rules, the email on the page) up; a later navigation's `signal` abort drops this answer. */
  async show(record: LookupKey, signal: AbortSignal): Promise<void> {
    this.state.value = { kind: 'loading' };
    this.context = undefined;
    let next: PanelState;
    try {
      // Measured so the benchmark (and anyone profiling) can read the round trip to the background.
      const started = performance.now();
      const reply = await ask(this.transport, { type: 'lookup', record });
      performance.measure('leadlens:lookup', { start: started, end: performance.now() });
      if (reply.status === 'found') {
        this.context = reply.context;
        next = foundState(reply.lead, reply.detail, reply.asOf, reply.stale, reply.context);
      } else {
        next = reply.status === 'error' ? { kind: 'error', message: reply.message } : { kind: reply.status };
      }
    } catch (error) {
      next = { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
    if (signal.aborted) return;
    this.state.value = next;
    this.scheduleRefresh();
  }

  /**
   * Asks again about the record on screen without going through "loading" (the tab regained
   * focus): the answer replaces summary, detail and decisions together, and the background
   * revalidates the detail and pushes it when it changed.
   */
  async revalidate(record: LookupKey, signal: AbortSignal): Promise<void> {
    const current = this.state.value;
    if (current.kind !== 'found') return;
    const reply = await ask(this.transport, { type: 'lookup', record }).catch(() => undefined);
    const latest = this.state.value;
    if (signal.aborted || reply?.status !== 'found' || latest.kind !== 'found' || reply.lead.id !== latest.lead.id) return;
    this.context = reply.context ?? this.context;
    this.state.value = { ...foundState(reply.lead, reply.detail ?? latest.detail, reply.asOf, reply.stale, this.context), loadingOlder: latest.loadingOlder };
    this.scheduleRefresh();
  }

  /** A push from the background about the lead on screen. */
  apply(message: LeadPush): void {
    const current = this.state.value;
    if (current.kind !== 'found') return;
    if (message.type === 'leadlens:lead' && message.lead.id === current.lead.id) {
      this.context = message.context ?? this.context;
      this.state.value = { ...foundState(message.lead, message.detail ?? current.detail, message.asOf, message.stale, this.context), loadingOlder: current.loadingOlder };
      this.scheduleRefresh();
    } else if (message.type === 'leadlens:context' && message.leadId === current.lead.id) {
      this.setContext(message.context);
    }
  }

  /** Resolves to the outbox key, with which undoCall withdraws the log before it is sent. */
  logCall = async (entry: CallLogEntry): Promise<string | undefined> => {
    const reply = await ask(this.transport, { type: 'logCall', leadId: this.leadId(), ...entry });
    if (!reply.ok) return undefined;
    this.setContext(reply.context);
    return reply.key;
  };

  undoCall = async (key: string): Promise<boolean> => {
    const reply = await ask(this.transport, { type: 'undoCall', leadId: this.leadId(), key });
    if (reply.ok) this.setContext(reply.context);
    return reply.ok && reply.undone === true;
  };
  follow = (followed: boolean): Promise<void> => this.write({ type: 'setFollow', leadId: this.leadId(), followed });
  mute = (muted: boolean): Promise<void> => this.write({ type: 'setMute', leadId: this.leadId(), muted });
  recycle = (entry: RecycleEntry): Promise<void> => this.write({ type: 'recycle', leadId: this.leadId(), ...entry });

  loadOlder = async (): Promise<void> => {
    const current = this.state.value;
    if (current.kind !== 'found') return;
    this.state.value = { ...current, loadingOlder: true };
    const reply = await ask(this.transport, { type: 'loadOlder', leadId: current.lead.id }).catch(() => undefined);
    const latest = this.state.value;
    if (latest.kind !== 'found' || latest.lead.id !== current.lead.id) return;
    if (reply?.ok) {
      this.context = reply.context;
      this.state.value = foundState(latest.lead, reply.detail, latest.asOf, latest.stale ?? false, reply.context);
    } else {
      this.state.value = { ...latest, loadingOlder: false };
    }
  };

  dispose(): void {
    if (this.refreshTimer !== undefined) this.timers.clearTimeout(this.refreshTimer);
  }

  private leadId(): string {
    const current = this.state.value;
    if (current.kind !== 'found') throw new Error('No lead on screen');
    return current.lead.id;
  }

  private async write(request: Parameters<typeof ask>[1] & { type: 'recycle' | 'setFollow' | 'setMute' }): Promise<void> {
    const reply = (await ask(this.transport, request)) as WriteResponse;
    if (reply.ok) this.setContext(reply.context);
  }

  private setContext(context: PanelContext): void {
    const current = this.state.value;
    if (current.kind !== 'found') return;
    this.context = context;
    this.state.value = { ...foundState(current.lead, current.detail, current.asOf, current.stale ?? false, context), loadingOlder: current.loadingOlder };
    this.scheduleRefresh();
  }

  /** The decisions hold until their nextChange (a cooldown ends, a window closes): ask again then. */
  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined) this.timers.clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    const current = this.state.value;
    const at = this.context?.decisions?.nextChange;
    if (current.kind !== 'found' || at === undefined) return;
    const leadId = current.lead.id;
    // Timers beyond ~24 days overflow; a day is plenty, the refresh reschedules itself.
    const delay = Math.min(Math.max(0, at - this.now()) + 500, 86_400_000);
    this.refreshTimer = this.timers.setTimeout(() => {
      void ask(this.transport, { type: 'panelContext', leadId }).then((context) => {
        const latest = this.state.value;
        if (latest.kind === 'found' && latest.lead.id === leadId) this.setContext(context);
      }).catch(() => undefined);
    }, delay);
  }
}
