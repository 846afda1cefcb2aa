/**
 * Marketo Engage: POST /v1/connectors/marketo/<id>/<urlSecret> for the webhook template we
 * publish (trigger campaigns), plus the scheduled Lead Activities pull when switched on.
 */
import type { FastifyInstance } from 'fastify';
import { Batch, describeIssues, submit } from '../mapped';
import { WEBHOOK_ROUTE, parseJson, rawBody, safeEqual, sendError } from '../http';
import type { ConnectorDeps, ConnectorModule } from '../module';
import type { Job } from '../schedule';
import { mapWebhook } from './map';
import { clientFor, pullActivities } from './pull';
import { MarketoConfig, MarketoWebhookBody } from './schema';

function register(app: FastifyInstance, deps: ConnectorDeps, entries: readonly MarketoConfig[]): void {
  const byId = new Map(entries.map((e) => [e.id, e]));
  app.post<{ Params: { id: string; secret: string } }>('/v1/connectors/marketo/:id/:secret', WEBHOOK_ROUTE, async (req, reply) => {
    const cfg = byId.get(req.params.id);
    if (!cfg || !safeEqual(req.params.secret, cfg.urlSecret)) return sendError(reply, 401, 'bad_secret', 'unknown connector or wrong secret in the URL');
    const json = parseJson(rawBody(req.body));
    if (!json.ok) return sendError(reply, 400, 'bad_request', json.error);
    const batch = new Batch();
    const b = MarketoWebhookBody.safeParse(json.value);
    if (!b.success) batch.reject(0, describeIssues(b.error.issues));
    else batch.add(0, mapWebhook(cfg, b.data));
    const result = await submit(deps.sink, { orgId: cfg.orgId }, batch);
    if (result.rejected.length > 0) req.log.warn({ connector: cfg.id, rejected: result.rejected }, 'marketo webhook rejected');
    return reply.code(200).send(result);
  });
}

function jobs(deps: ConnectorDeps, entries: readonly MarketoConfig[]): Job[] {
  return entries.filter((e) => e.pull?.enabled).map((cfg) => {
    // One client per connector for the process: its token is reused until it nears expiry.
    const client = clientFor(cfg, deps);
    return { name: `marketo:${cfg.id}`, intervalMs: (cfg.pull?.intervalSeconds ?? 300) * 1000, run: () => pullActivities(cfg, deps, client) };
  });
}

export const marketo: ConnectorModule<MarketoConfig> = { source: 'marketo', config: MarketoConfig, register, jobs };
