/**
 * Zoom webinars: POST /v1/connectors/zoom/<id>. Every request is signed, the URL validation
 * challenge included (Zoom re-validates every 72 h); it is answered at once, nothing stored.
 */
import type { FastifyInstance } from 'fastify';
import { Batch, describeIssues, submit } from '../mapped';
import { WEBHOOK_ROUTE, header, parseJson, rawBody, sendError } from '../http';
import type { ConnectorDeps, ConnectorModule } from '../module';
import { mapZoomEvent } from './map';
import { UrlValidation, ZoomConfig, ZoomEnvelope } from './schema';
import { encryptedToken, verifyZoom } from './signature';

function register(app: FastifyInstance, deps: ConnectorDeps, entries: readonly ZoomConfig[]): void {
  const byId = new Map(entries.map((e) => [e.id, e]));
  app.post<{ Params: { id: string } }>('/v1/connectors/zoom/:id', WEBHOOK_ROUTE, async (req, reply) => {
    const cfg = byId.get(req.params.id);
    if (!cfg) return sendError(reply, 404, 'unknown_connector', 'no Zoom connector with this id');
    const raw = rawBody(req.body);
    const verdict = verifyZoom({
      secret: cfg.secretToken,
      body: raw.toString('utf8'),
      signature: header(req.headers, 'x-zm-signature'),
      timestamp: header(req.headers, 'x-zm-request-timestamp'),
      now: deps.clock.now(),
    });
    if (!verdict.ok) return sendError(reply, 401, verdict.code, verdict.message);
    const json = parseJson(raw);
    if (!json.ok) return sendError(reply, 400, 'bad_request', json.error);
    const envelope = ZoomEnvelope.safeParse(json.value);
    if (!envelope.success) return sendError(reply, 400, 'bad_request', describeIssues(envelope.error.issues));
    const { event, payload, event_ts: eventTs } = envelope.data;

    if (event === 'endpoint.url_validation') {
      const v = UrlValidation.safeParse(payload);
      if (!v.success) return sendError(reply, 400, 'bad_request', describeIssues(v.error.issues));
      return reply.code(200).send({ plainToken: v.data.plainToken, encryptedToken: encryptedToken(cfg.secretToken, v.data.plainToken) });
    }
    const batch = new Batch();
    batch.add(0, mapZoomEvent(event, payload, eventTs));
    const result = await submit(deps.sink, { orgId: cfg.orgId }, batch);
    if (result.rejected.length > 0) req.log.warn({ connector: cfg.id, event, rejected: result.rejected }, 'zoom event rejected');
    return reply.code(200).send(result);
  });
}

export const zoom: ConnectorModule<ZoomConfig> = { source: 'zoom', config: ZoomConfig, register };
