/**
 * Runs one signaling server in its own process for the signaling benchmark:
 *   node --import tsx bench/signaling-servers.ts peerdesk|peerjs <port>
 * Prints "listening" when ready. Its own process so that RSS and the open-file limit are the server's alone.
 */
import pino from 'pino';
import { startSignalingServer } from '../signaling/server';

const [kind, portArg] = process.argv.slice(2);
const port = Number(portArg);

if (kind === 'peerdesk') {
  await startSignalingServer({
    host: '127.0.0.1',
    port,
    logger: pino({ level: 'silent' }),
    // All load comes from one address here; the per-address cap is for the internet, not this test.
    maxConnectionsPerAddress: 1_000_000,
    unboundIdleTimeoutMs: 10 * 60_000,
  });
} else {
  const { PeerServer } = await import('peer');
  PeerServer({ host: '127.0.0.1', port, path: '/', allow_discovery: false, concurrent_limit: 1_000_000 });
  await new Promise((r) => setTimeout(r, 500)); // PeerServer offers no listening callback
}
process.send?.('listening');
console.log('listening');
