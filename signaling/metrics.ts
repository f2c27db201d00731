import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per server instance, so embedded and test servers never share counters. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'peerdesk_signaling_' });
  return {
    registry,
    connections: new Gauge({ name: 'peerdesk_signaling_connections', help: 'Open WebSocket connections', registers: [registry] }),
    sessions: new Gauge({ name: 'peerdesk_signaling_sessions', help: 'Open sessions (codes)', registers: [registry] }),
    joins: new Counter({
      name: 'peerdesk_signaling_joins_total',
      help: 'Join attempts by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'peerdesk_signaling_rejected_messages_total',
      help: 'Frames rejected, by error code',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    resumes: new Counter({
      name: 'peerdesk_signaling_resumes_total',
      help: 'Resume attempts: the role that resumed, or failed',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    relayed: new Counter({ name: 'peerdesk_signaling_relayed_signals_total', help: 'Signals relayed', registers: [registry] }),
  };
}
export type SignalingMetrics = ReturnType<typeof createMetrics>;
