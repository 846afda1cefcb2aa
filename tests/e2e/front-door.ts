/**
 * A test-only front door, as a proxy that does not pass WebSocket upgrades: HTTP goes through to
 * the server, upgrades only while allowed (push e2e and the push bench).
 */
import { createServer, request, type Server } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';

export function frontDoor(target: number) {
  let upgrades = true;
  const open = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const upstream = request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket: Socket, head) => {
    if (!upgrades) return socket.destroy();
    const upstream = netConnect(target, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`), '', ''];
      upstream.write(lines.join('\r\n'));
      if (head.length) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return {
    server,
    /** Refuses new upgrades and drops the sockets already through. */
    blockUpgrades() {
      upgrades = false;
      for (const socket of open) socket.destroy();
    },
    allowUpgrades() { upgrades = true; },
  };
}
