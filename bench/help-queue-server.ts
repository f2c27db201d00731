/**
 * One signaling node for the help-queue benchmark, in a process of its own (so its CPU is its own, read from /proc
 * by the bench):   node --import tsx bench/help-queue-server.ts <port>   (REDIS_URL set: one node of several)
 * Sign-in is on through the dev provider, with the session secret (BENCH_SESSION_SECRET) the probe
 * seals technicians' cookies with.
 */
import pino from 'pino';
import { startSignalingServer } from '../signaling/server';

const port = Number(process.argv[2]);
await startSignalingServer({
  host: '127.0.0.1',
  port,
  logger: pino({ level: 'silent' }),
  devIdp: true,
  sessionSecret: process.env.BENCH_SESSION_SECRET,
  redisUrl: process.env.REDIS_URL,
  // Every person and technician comes from one address here; the per-address caps are for the internet.
  maxConnectionsPerAddress: 1_000_000,
  hostOpensPerMinute: 1_000_000_000,
  maxPendingRequestsPerAddress: 1_000_000,
  maxPendingRequests: 1_000_000,
  helpRequestsPerAddressPerHour: 1_000_000_000,
  unboundIdleTimeoutMs: 60 * 60_000,
  // 1,000 wait and the measured requests come and go on top.
  maxQueuedRequests: 10_000,
  helpRequestTtlMs: 60 * 60_000,
});
process.send?.('listening');
process.on('SIGTERM', () => process.exit(0));
