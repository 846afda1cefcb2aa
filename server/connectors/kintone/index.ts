/**
 * kintone: POST /v1/connectors/kintone/<id>/<urlSecret> for webhooks (kintone signs nothing, so
 * the secret in the URL is the credential), plus the scheduled REST pull when switched on.
 */
import type { FastifyInstance } from 'fastify';
import { Batch, describeIssues, submit } from '../mapped';
import { WEBHOOK_ROUTE, parseJson, rawBody, safeEqual, sendError } from '../http';
import type { ConnectorDeps, ConnectorModule } from '../module';
import { mapNotification } from './map';
import { pullOnce } from './pull';
import { KintoneConfig, KintoneNotification } from './schema';

function register(app: FastifyInstance, deps: ConnectorDeps, entries: readonly KintoneConfig[]): void {
  const byId = new Map(entries.map((e) => [e.id, e]));
  app.post<{ Params: { id: string; secret: string } }>('/v1/connectors/kintone/:id/:secret', WEBHOOK_ROUTE, async (req, reply) => {
    const cfg = byId.get(req.params.id);
    // One answer for an unknown id and a wrong secret: the URL reveals nothing by probing.
    if (!cfg || !safeEqual(req.params.secret, cfg.urlSecret)) return sendError(reply, 401, 'bad_secret', 'unknown connector or wrong secret in the URL');
    const json = parseJson(rawBody(req.body));
    if (!json.ok) return sendError(reply, 400, 'bad_request', json.error);
    const batch = new Batch();
    const n = KintoneNotification.safeParse(json.value);
    if (!n.success) batch.reject(0, describeIssues(n.error.issues));
    else batch.add(0, mapNotification(cfg, n.data));
    const result = await submit(deps.sink, { orgId: cfg.orgId }, batch);
    if (result.rejected.length > 0) req.log.warn({ connector: cfg.id, rejected: result.rejected }, 'kintone notification rejected');
    return reply.code(200).send(result);
  });
}

function jobs(deps: ConnectorDeps, entries: readonly KintoneConfig[]) {
  return entries.filter((e) => e.pull?.enabled).map((cfg) => ({
    name: `kintone:${cfg.id}`,
    intervalMs: (cfg.pull?.intervalSeconds ?? 300) * 1000,
    run: () => pullOnce(cfg, deps),
  }));
}

export const kintone: ConnectorModule<KintoneConfig> = { source: 'kintone', config: KintoneConfig, register, jobs };
