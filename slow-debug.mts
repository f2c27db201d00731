import { connect } from 'node:net';
import pino from 'pino';
import { startSignalingServer } from './signaling/server';
const server = await startSignalingServer({ port: 0, logger: pino({ level: 'silent' }), headersTimeoutMs: 1000 });
const start = Date.now();
let closed = 0;
const N = Number(process.env.N);
for (let i = 0; i < N; i++) {
  const s = connect({ host: '127.0.0.1', port: server.port });
  s.on('error', (e) => undefined);
  s.once('close', () => { closed++; console.log('c', Date.now()-start) });
  s.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
}
setTimeout(() => { console.log(N, 'closed total', closed, Date.now() - start); process.exit(0)}, Number(process.env.T ?? 4000));
