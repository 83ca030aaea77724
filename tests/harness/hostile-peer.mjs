// A WebSocket peer that plays nats-server for the handshake (INFO, a PONG
// to every PING), then sends `bytes` once: how tests show what a broken or
// hostile server does to a client.
import { WebSocketServer } from 'ws';

/**
 * @param {string} bytes sent (latin1) after the handshake's PONG; '' for none
 * @param {{maxPayload?: number}} [opts] INFO's max_payload
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function startHostilePeer(bytes, opts = {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const maxPayload = opts.maxPayload ?? 1048576;
  wss.on('connection', (ws) => {
    ws.send(Buffer.from(`INFO {"server_id":"X","version":"2.9.10","proto":1,"headers":true,"max_payload":${maxPayload}}\r\n`));
    let answered = false;
    ws.on('message', (data) => {
      if (!data.toString().includes('PING\r\n')) return;
      ws.send(Buffer.from('PONG\r\n'));
      if (!answered && bytes) setImmediate(() => ws.send(Buffer.from(bytes, 'latin1')));
      answered = true;
    });
  });
  return {
    url: `ws://127.0.0.1:${wss.address().port}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}
