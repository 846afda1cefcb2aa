/**
 * Change notifications after commit: which leads of which organisation moved and the feed
 * position they moved to. In-process only; a push stream subscribes here (and, across
 * processes, relays through the database).
 */
import { EventEmitter } from 'node:events';

export interface LeadsChanged {
  orgId: string;
  leadIds: string[];
  /** The organisation's feed seq after the change. */
  seq: number;
}

export class ChangeNotifier {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  subscribe(listener: (change: LeadsChanged) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** Called after commit; a throwing listener never breaks the write that already happened. */
  emit(change: LeadsChanged): void {
    if (change.leadIds.length === 0) return;
    for (const listener of this.emitter.listeners('change') as ((c: LeadsChanged) => void)[]) {
      try {
        listener(change);
      } catch {
        // A subscriber's bug is the subscriber's; the data is committed.
      }
    }
  }
}
