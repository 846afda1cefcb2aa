/**
 * `/v1/stream`: a WebSocket per connected rep that says "your scope changed up to cursor N".
 * The extension answers with its ordinary delta sync, so the stream carries no lead data and
 * needs no second validation path. Changes come from this process's notifier and, on
 * PostgreSQL, from the other processes through the relay.
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import { StreamPing, STREAM_PATH, STREAM_TICKET_PATH } from '../../utils/api/stream';
import { requireRole } from '../app';
import type { UserCtx } from '../service/context';
import type { ChangeRelay, RelayedChange } from './relay';
import { changeReaches } from './scope';
import { issueTicket, takeTicket } from './tickets';

export interface StreamOptions {
  relay?: ChangeRelay;
  /** Server-side WebSocket ping: a peer silent for two of these is dropped. */
  heartbeatMs?: number;
  /** A burst of changes reaches each socket as at most one message per this many ms. */
  coalesceMs?: number;
}

interface Connection {
  user: UserCtx;
  socket: WebSocket;
  lastSentAt: number;
  pendingSeq: number;
  timer?: NodeJS.Timeout;
  alive: boolean;
}

/** Close codes in the private range: the client learns why without a body. */
export const CLOSE_TICKET = 4401;
export const CLOSE_ORIGIN = 4403;

export function streamPlugin(opts: StreamOptions = {}): FastifyPluginAsync {
  const heartbeatMs = opts.heartbeatMs ?? 30_000;
  const coalesceMs = opts.coalesceMs ?? 150;
  return async (app: FastifyInstance) => {
    const { deps, config, notifier } = app.leadlens;
    const byOrg = new Map<string, Set<Connection>>();
    const allowedOrigins = new Set(config.corsOrigins);

    await app.register(websocket, { options: { maxPayload: 4096 } });

    app.post(STREAM_TICKET_PATH, async (req, reply) => {
      const user = requireRole(req, ['rep', 'manager', 'admin']);
      return reply.code(201).send(await issueTicket(deps.db, user, deps.clock()));
    });

    app.get(STREAM_PATH, { websocket: true, config: { auth: false } }, async (socket, req) => {
      const origin = req.headers.origin;
      // A web page may open a socket to any host; only our extension's pages may open this one.
      if (origin && !allowedOrigins.has(origin)) return socket.close(CLOSE_ORIGIN, 'origin not allowed');
      const ticket = (req.query as { ticket?: unknown }).ticket;
      const user = typeof ticket === 'string' ? await takeTicket(deps.db, ticket, deps.clock()) : undefined;
      if (!user) return socket.close(CLOSE_TICKET, 'ticket invalid or expired');
      const conn: Connection = { user, socket, lastSentAt: 0, pendingSeq: 0, alive: true };
      let conns = byOrg.get(user.orgId);
      if (!conns) byOrg.set(user.orgId, (conns = new Set()));
      conns.add(conn);
      socket.on('close', () => {
        clearTimeout(conn.timer);
        conns.delete(conn);
        if (conns.size === 0) byOrg.delete(user.orgId);
      });
      socket.on('pong', () => { conn.alive = true; });
      socket.on('message', (data) => {
        conn.alive = true;
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(data));
        } catch {
          return;
        }
        if (StreamPing.safeParse(parsed).success) send(conn, { type: 'pong', at: new Date(deps.clock()).toISOString() });
      });
      const org = await deps.db.selectFrom('orgs').select('seq').where('id', '=', user.orgId).executeTakeFirst();
      send(conn, { type: 'hello', cursor: String(org?.seq ?? 0) });
    });

    function send(conn: Connection, message: object): void {
      if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(message));
    }

    function changed(conn: Connection, seq: number): void {
      conn.pendingSeq = Math.max(conn.pendingSeq, seq);
      if (conn.timer) return;
      const wait = conn.lastSentAt + coalesceMs - Date.now();
      const flush = () => {
        conn.timer = undefined;
        conn.lastSentAt = Date.now();
        send(conn, { type: 'changed', cursor: String(conn.pendingSeq) });
      };
      if (wait <= 0) flush();
      else conn.timer = setTimeout(flush, wait);
    }

    async function dispatch(change: RelayedChange): Promise<void> {
      const conns = byOrg.get(change.orgId);
      if (!conns?.size) return;
      if (!change.leadIds) {
        for (const conn of conns) changed(conn, change.seq);
        return;
      }
      if (change.leadIds.length === 0) return;
      const rows = await deps.db.selectFrom('leads').select(['id', 'owner_id', 'team', 'prev_owner_id', 'prev_team'])
        .where('org_id', '=', change.orgId).where('id', 'in', change.leadIds).execute();
      const userIds = [...new Set([...conns].map((c) => c.user.userId))];
      const follows = await deps.db.selectFrom('follows').select(['user_id', 'lead_id'])
        .where('org_id', '=', change.orgId).where('lead_id', 'in', change.leadIds).where('user_id', 'in', userIds).execute();
      const followed = new Set(follows.map((f) => `${f.user_id}\n${f.lead_id}`));
      for (const conn of conns) {
        if (rows.some((row) => changeReaches(conn.user, row, followed.has(`${conn.user.userId}\n${row.id}`)))) changed(conn, change.seq);
      }
    }

    const report = (err: unknown) => app.log.error({ err }, 'stream dispatch failed');
    const unsubscribeLocal = notifier.subscribe((change) => {
      void dispatch(change).catch(report);
      void opts.relay?.publish(change).catch(report);
    });
    const unsubscribeRelay = opts.relay?.subscribe((change) => void dispatch(change).catch(report));

    const heartbeat = setInterval(() => {
      for (const conns of byOrg.values()) {
        for (const conn of conns) {
          if (!conn.alive) {
            conn.socket.terminate();
            continue;
          }
          conn.alive = false;
          conn.socket.ping();
        }
      }
    }, heartbeatMs);
    heartbeat.unref();

    app.addHook('onClose', async () => {
      clearInterval(heartbeat);
      unsubscribeLocal();
      unsubscribeRelay?.();
      for (const conns of byOrg.values()) for (const conn of conns) conn.socket.close(1001, 'server shutting down');
    });
  };
}
