/**
 * Write-back to kintone: each call logged in LeadLens becomes a comment on the lead's record
 * (POST /k/v1/record/comment.json with app, record, comment.text; API token in
 * X-Cybozu-API-Token). kintone has no idempotency key for comments, so every comment ends with
 * the activity id, and when an earlier attempt may have landed (timeout, 5xx, a worker that
 * stopped mid-send) the newest comments (GET /k/v1/record/comments.json) are read first: the
 * comment is written only if it is not already there.
 * https://cybozu.dev/ja/kintone/docs/rest-api/records/add-comment/
 * https://cybozu.dev/ja/kintone/docs/rest-api/records/get-comments/
 * https://cybozu.dev/ja/kintone/docs/overview/kintone-rest-api-overview/ (errors: { code, id, message })
 */
import { z } from 'zod';
import { canonicalTenant } from '../../../utils/crm/tenant';
import { ConnectorBase } from '../module';
import { secret } from '../writeback/secret';
import { callBody, callSubject } from '../writeback/text';
import { outcomeOf, trimAnswer, type OutboxTarget, type SendOutcome } from '../writeback/types';

export const KintoneWriteBack = ConnectorBase.extend({
  /** The tenant, e.g. example.cybozu.com. */
  host: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, 'a host name such as example.cybozu.com'),
  /** API token(s) of the lead apps with view and "add comments" permission (comma-join several). */
  apiToken: secret(),
  /** Which apps' records get comments (the leads apps); absent = any kintone record of the lead. */
  apps: z.array(z.string().regex(/^\d+$/)).optional(),
  baseUrl: z.url().optional(),
  locale: z.enum(['ja', 'en']).default('ja'),
});
export type KintoneWriteBack = z.infer<typeof KintoneWriteBack>;

const Comments = z.object({ comments: z.array(z.object({ id: z.string(), text: z.string() })) });

/** kintone answers some request errors with a 5xx status; these codes will not heal by waiting. */
const PERMANENT_CODES = /^(CB_VA|CB_NO|CB_IJ|GAIA_RE|GAIA_AP|GAIA_IA|GAIA_NO)/;

export function kintoneTarget(cfg: KintoneWriteBack): OutboxTarget {
  const tenant = canonicalTenant('kintone', cfg.host);
  const base = (cfg.baseUrl ?? `https://${cfg.host}`).replace(/\/$/, '');
  return {
    id: `kintone:${cfg.id}`,
    vendor: 'kintone',
    orgId: cfg.orgId,
    kind: 'call',
    pick: (refs) => refs.find((r) => r.crm === 'kintone' && (r.host === '' || r.host === tenant) && (!cfg.apps || cfg.apps.includes(r.objectType))),
    async send(item, deps): Promise<SendOutcome> {
      if (item.kind !== 'call') return { ok: false, status: 400, answer: 'kintone write-back takes calls only', permanent: true };
      const app = item.ref.objectType;
      const record = item.ref.recordId;
      const marker = `[${item.activityId}]`;
      if (deps.mayHaveLanded) {
        const q = new URLSearchParams({ app, record, order: 'desc', limit: '10' });
        const res = await deps.fetch(`${base}/k/v1/record/comments.json?${q.toString()}`, { headers: { 'X-Cybozu-API-Token': cfg.apiToken } });
        if (!res.ok) return classify(await outcomeOf(res, () => undefined));
        const found = Comments.safeParse(await res.json().catch(() => undefined));
        const mine = found.success ? found.data.comments.find((c) => c.text.includes(marker)) : undefined;
        if (mine) return { ok: true, status: 200, answer: trimAnswer(`already there: comment ${mine.id}`), remoteId: mine.id };
      }
      const text = `${callSubject(item, cfg.locale)}\n${callBody(item, cfg.locale)}`;
      const res = await deps.fetch(`${base}/k/v1/record/comment.json`, {
        method: 'POST',
        headers: { 'X-Cybozu-API-Token': cfg.apiToken, 'Content-Type': 'application/json' },
        body: JSON.stringify({ app, record, comment: { text } }),
      });
      return classify(await outcomeOf(res, (body) => (body && typeof body === 'object' && 'id' in body ? String((body as { id: unknown }).id) : undefined)));
    },
  };
}

function classify(outcome: SendOutcome): SendOutcome {
  if (outcome.ok) return outcome;
  let code = '';
  try { code = String((JSON.parse(outcome.answer) as { code?: unknown }).code ?? ''); } catch { /* not kintone's JSON: judge by status */ }
  return PERMANENT_CODES.test(code) ? { ...outcome, permanent: true } : outcome;
}
