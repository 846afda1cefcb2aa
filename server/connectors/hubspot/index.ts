/**
 * HubSpot webhooks v3: POST /v1/connectors/hubspot/<id>. Verify the signature over the exact
 * bytes, then map each event of the batch on its own (one bad event is rejected by index, the
 * rest kept). HubSpot retries any non-2xx, so a verified delivery is answered 200 with counts.
 */
import type { FastifyInstance } from 'fastify';
import { Batch, describeIssues, submit } from '../mapped';
import { WEBHOOK_ROUTE, header, parseJson, rawBody, sendError } from '../http';
import type { ConnectorDeps, ConnectorModule } from '../module';
import { mapHubSpotEvent } from './map';
import { HubSpotConfig, HubSpotEvent } from './schema';
import { verifyV3 } from './signature';

export function hubspotBatch(items: unknown[], cfg: HubSpotConfig): Batch {
  const batch = new Batch();
  items.forEach((item, index) => {
    const parsed = HubSpotEvent.safeParse(item);
    if (!parsed.success) batch.reject(index, describeIssues(parsed.error.issues));
    else batch.add(index, mapHubSpotEvent(parsed.data, cfg));
  });
  return batch;
}

function register(app: FastifyInstance, deps: ConnectorDeps, entries: readonly HubSpotConfig[]): void {
  const byId = new Map(entries.map((e) => [e.id, e]));
  app.post<{ Params: { id: string } }>('/v1/connectors/hubspot/:id', WEBHOOK_ROUTE, async (req, reply) => {
    const cfg = byId.get(req.params.id);
    if (!cfg) return sendError(reply, 404, 'unknown_connector', 'no HubSpot connector with this id');
    const raw = rawBody(req.body);
    const base = deps.publicBaseUrl ?? `${req.protocol}://${req.host}`;
    const verdict = verifyV3({
      secret: cfg.appSecret,
      method: req.method,
      uri: `${base.replace(/\/$/, '')}${req.url}`,
      body: raw.toString('utf8'),
      signature: header(req.headers, 'x-hubspot-signature-v3'),
      timestamp: header(req.headers, 'x-hubspot-request-timestamp'),
      now: deps.clock.now(),
    });
    if (!verdict.ok) return sendError(reply, 401, verdict.code, verdict.message);
    const json = parseJson(raw);
    if (!json.ok) return sendError(reply, 400, 'bad_request', json.error);
    if (!Array.isArray(json.value)) return sendError(reply, 400, 'bad_request', 'HubSpot sends a JSON array of events');
    const result = await submit(deps.sink, { orgId: cfg.orgId }, hubspotBatch(json.value, cfg));
    if (result.rejected.length > 0) req.log.warn({ connector: cfg.id, rejected: result.rejected }, 'hubspot items rejected');
    return reply.code(200).send(result);
  });
}

export const hubspot: ConnectorModule<HubSpotConfig> = { source: 'hubspot', config: HubSpotConfig, register };
