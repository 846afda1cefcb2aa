/**
 * Recycle to nurture for an MA tool without a Marketo-style API: a webhook the admin configures.
 * POST <url> with a JSON body ({ type: "lead.recycled", id, lead, track, frequency, at, by }) and
 *   X-LeadLens-Timestamp: <unix seconds>
 *   X-LeadLens-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *   Idempotency-Key: <the recycle's id> (the same on every retry: the receiver keeps the first)
 * The receiver recomputes the signature over the exact bytes and refuses a timestamp more than
 * five minutes old. Any 2xx is delivered; 429 and 5xx are retried; other answers fail.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { ConnectorBase } from '../module';
import { secret } from '../writeback/secret';
import { outcomeOf, type OutboxTarget, type SendOutcome } from '../writeback/types';

export const RecycleWebhook = ConnectorBase.extend({
  url: z.url(),
  /** Shared with the receiver: at least 24 characters. */
  secret: secret().refine((s) => s.length >= 24, 'at least 24 characters'),
});
export type RecycleWebhook = z.infer<typeof RecycleWebhook>;

export function webhookSignature(secretValue: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secretValue).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export function recycleWebhookTarget(cfg: RecycleWebhook): OutboxTarget {
  return {
    id: `webhook:${cfg.id}`,
    vendor: 'webhook',
    orgId: cfg.orgId,
    kind: 'recycle',
    async send(item, deps): Promise<SendOutcome> {
      if (item.kind !== 'recycle') return { ok: false, status: 400, answer: 'the recycle webhook takes recycles only', permanent: true };
      const body = JSON.stringify({
        type: 'lead.recycled', id: item.activityId, lead: { id: item.leadId, email: item.email },
        track: item.track, frequency: item.frequency, at: item.at, by: item.actor,
      });
      const ts = String(Math.floor(deps.now() / 1000));
      const res = await deps.fetch(cfg.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json', 'X-LeadLens-Timestamp': ts,
          'X-LeadLens-Signature': webhookSignature(cfg.secret, ts, body), 'Idempotency-Key': item.activityId,
        },
        body,
      });
      return outcomeOf(res, () => undefined);
    },
  };
}
