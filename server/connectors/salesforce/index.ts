/**
 * Salesforce Outbound Messages: POST /v1/connectors/salesforce/<id>/<urlSecret> with SOAP.
 * The organisation id in the message must be the configured one. Salesforce keeps resending a
 * message until it gets <Ack>true</Ack>, so we acknowledge once the message is stored — also
 * when some notifications were rejected (logged for the admin): resending cannot fix them.
 */
import type { FastifyInstance } from 'fastify';
import { Batch, submit } from '../mapped';
import { WEBHOOK_ROUTE, rawBody, safeEqual, sendError } from '../http';
import type { ConnectorDeps, ConnectorModule } from '../module';
import { toEighteenCharId } from '../../../utils/crm/salesforce';
import { mapNotification } from './map';
import { ACK, readOutboundMessage, SalesforceConfig, type OutboundMessage } from './schema';

function soapFault(message: string): string {
  const esc = message.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>${esc}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
}

export function salesforceBatch(cfg: SalesforceConfig, msg: OutboundMessage): Batch {
  const batch = new Batch();
  msg.notifications.forEach((n, index) => {
    if ('error' in n) batch.reject(index, n.error);
    else batch.add(index, mapNotification(msg.organizationId, cfg, n));
  });
  return batch;
}

function register(app: FastifyInstance, deps: ConnectorDeps, entries: readonly SalesforceConfig[]): void {
  const byId = new Map(entries.map((e) => [e.id, e]));
  app.post<{ Params: { id: string; secret: string } }>('/v1/connectors/salesforce/:id/:secret', WEBHOOK_ROUTE, async (req, reply) => {
    const cfg = byId.get(req.params.id);
    if (!cfg || !safeEqual(req.params.secret, cfg.urlSecret)) return sendError(reply, 401, 'bad_secret', 'unknown connector or wrong secret in the URL');
    let msg: OutboundMessage;
    try {
      msg = readOutboundMessage(rawBody(req.body).toString('utf8'));
    } catch (err) {
      return reply.code(400).type('text/xml; charset=utf-8').send(soapFault((err as Error).message));
    }
    if (toEighteenCharId(msg.organizationId) !== toEighteenCharId(cfg.organizationId)) {
      return reply.code(401).type('text/xml; charset=utf-8').send(soapFault('OrganizationId is not this connector\'s organisation'));
    }
    const result = await submit(deps.sink, { orgId: cfg.orgId }, salesforceBatch(cfg, msg));
    req.log.info({ connector: cfg.id, result: { ...result, rejected: result.rejected.length } }, 'salesforce outbound message');
    if (result.rejected.length > 0) req.log.warn({ connector: cfg.id, rejected: result.rejected }, 'salesforce notifications rejected');
    return reply.code(200).type('text/xml; charset=utf-8').send(ACK);
  });
}

export const salesforce: ConnectorModule<SalesforceConfig> = { source: 'salesforce', config: SalesforceConfig, register };
