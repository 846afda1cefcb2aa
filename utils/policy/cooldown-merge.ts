/**
 * Cooldowns as the panel shows them, and the merge of the locally evaluated ones with the
 * API's: one per reason, the stricter kept. Small and free of the policy rules on purpose:
 * the content script uses it alone to show the API's cooldowns when nothing evaluated them.
 */
import type { Cooldown } from '../api/contract';
import type { MessageKey } from '../i18n';
import { labelOf, type MessageParam } from './message';

export type CooldownSeverity = Cooldown['severity'];

/**
 * Reasons we know, strictest first (also the display order within a severity). `blocked` is
 * ours: the summary says "no calls until …" (cooldownUntil) but no cooldown explains why.
 */
export const KNOWN_COOLDOWN_REASONS = ['do_not_call', 'recently_lost', 'blocked', 'recent_call', 'contact_cap', 'quiet_hours'] as const;
export type KnownCooldownReason = (typeof KNOWN_COOLDOWN_REASONS)[number];

/** The reason in words, for the banner's title. */
export const COOLDOWN_LABELS: Readonly<Record<KnownCooldownReason, MessageKey>> = {
  do_not_call: 'cooldownReasonDoNotCall',
  recently_lost: 'cooldownReasonRecentlyLost',
  blocked: 'cooldownReasonBlocked',
  recent_call: 'cooldownReasonRecentCall',
  contact_cap: 'cooldownReasonContactCap',
  quiet_hours: 'cooldownReasonQuietHours',
};

export interface EvaluatedCooldown {
  /** One of KNOWN_COOLDOWN_REASONS, or a reason only the server knows. */
  reason: string;
  severity: CooldownSeverity;
  /** ISO 8601; absent = no end (do not call). */
  until?: string;
  /** The reason in words. */
  labelKey: MessageKey;
  /** What happened, as a key and parameters; for an API-only cooldown the API's message (cooldownApiMsg). */
  messageKey: MessageKey;
  params: MessageParam[];
  /** The API's own message, when the API sent this cooldown. */
  apiMessage?: string;
  /** recent_call: who called (a colleague is named), whether it was the current user, the outcome. */
  actor?: string;
  byCurrentUser?: boolean;
  outcome?: string;
  /** When the triggering event happened (ISO), when known locally. */
  since?: string;
  source: 'policy' | 'api' | 'both';
}

/** A cooldown found by the local rules: everything but where it came from. */
export type LocalCooldown = Omit<EvaluatedCooldown, 'source' | 'labelKey'> & { reason: KnownCooldownReason };

/** The API marks do-not-call with a far-future cooldownUntil (demo: 9999-12-31): that is "no end". */
const OPEN_ENDED_FROM = Date.UTC(9000, 0, 1);

/** `until` as ms; Infinity for no end. */
export const untilMs = (until: string | undefined): number => {
  const ms = until === undefined ? NaN : Date.parse(until);
  return Number.isNaN(ms) || ms >= OPEN_ENDED_FROM ? Infinity : ms;
};

const RANK: Readonly<Record<CooldownSeverity, number>> = { block: 2, warn: 1 };

/** Block beats warn; with equal severity the later end wins (no end is latest). */
function stricter<T extends { severity: CooldownSeverity; until?: string }>(a: T, b: T): T {
  if (a.severity !== b.severity) return RANK[a.severity] > RANK[b.severity] ? a : b;
  return untilMs(b.until) > untilMs(a.until) ? b : a;
}

const order = (reason: string): number => {
  const i = (KNOWN_COOLDOWN_REASONS as readonly string[]).indexOf(reason);
  return i === -1 ? KNOWN_COOLDOWN_REASONS.length : i;
};

/**
 * Local and API cooldowns in force at `now`, one per reason: expired API ones are dropped (a
 * cached detail may be days old); the stricter of a pair wins, and local evidence ("Sato
 * called 2 h ago") is kept for the message since the API's entry summarises the same thing.
 * With no block left, a future summary cooldownUntil still says "not now" (reason `blocked`).
 * Blocks first, then known reasons in their order, unknown ones last.
 */
export function mergeCooldowns(
  local: readonly LocalCooldown[],
  api: readonly Cooldown[],
  cooldownUntil: string | undefined,
  now: number,
): EvaluatedCooldown[] {
  const mine = new Map<string, LocalCooldown>(local.map((c) => [c.reason, c]));
  const theirs = new Map<string, Cooldown>();
  for (const c of api) {
    if (untilMs(c.until) <= now) continue;
    const seen = theirs.get(c.reason);
    theirs.set(c.reason, seen ? stricter(seen, c) : c);
  }

  const merged: EvaluatedCooldown[] = [];
  for (const reason of new Set([...mine.keys(), ...theirs.keys()])) {
    const m = mine.get(reason);
    const a = theirs.get(reason);
    const winner = m && a ? stricter<{ severity: CooldownSeverity; until?: string }>(m, a) : (m ?? a);
    if (!winner) continue;
    const { until: _until, ...details } = m ?? { messageKey: 'cooldownApiMsg' as const, params: [a?.message ?? ''] };
    merged.push({
      ...details,
      reason,
      severity: winner.severity,
      ...(untilMs(winner.until) === Infinity ? {} : { until: winner.until }),
      labelKey: labelOf(COOLDOWN_LABELS, reason) ?? 'cooldownReasonOther',
      ...(a ? { apiMessage: a.message } : {}),
      source: m && a ? 'both' : m ? 'policy' : 'api',
    });
  }

  const summaryUntil = untilMs(cooldownUntil);
  if (cooldownUntil !== undefined && summaryUntil > now && !merged.some((c) => c.severity === 'block')) {
    merged.push({
      reason: 'blocked', severity: 'block', ...(summaryUntil === Infinity ? {} : { until: cooldownUntil }),
      labelKey: COOLDOWN_LABELS.blocked, messageKey: 'cooldownBlockedMsg', params: [], source: 'api',
    });
  }
  return merged.sort((x, y) => RANK[y.severity] - RANK[x.severity] || order(x.reason) - order(y.reason));
}
