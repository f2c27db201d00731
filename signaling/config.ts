/** Everything the signaling server can be told; `resolveConfig` fills the defaults. */
export interface SignalingConfig {
  host: string;
  port: number;
  /** PEM files; both set → the server speaks https/wss. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Base of invite links; defaults to the server's own address. */
  publicUrl?: string;
  /** Extra WebSocket origins allowed besides the server's own and the desktop app's. */
  allowedOrigins: string[];
  /** Directory of the built renderer served at `/`; none → only /ws, /healthz (and /metrics with its token). */
  staticDir?: string;
  sessionTtlMs: number;
  /** How long a session keeps the place of a side whose signaling connection dropped, for it to resume. */
  resumeGraceMs: number;
  /** Reverse proxies in front of this node (their socket addresses); the client is then taken from X-Forwarded-For. */
  trustedProxies: string[];
  /** Set → sessions, tokens and limits live in Redis and signals cross nodes over its pub/sub. */
  redisUrl?: string;
  /**
   * With Redis: a node silent this long is taken for dead and its sessions handed over; each node reports alive
   * every 30 % of it. Shorter only where waiting is the cost (the multi-node tests).
   */
  nodeDeadAfterMs: number;
  stunUrls: string[];
  turnUrls: string[];
  turnSecret?: string;
  turnCredentialTtlS: number;
  maxConnectionsPerAddress: number;
  /** Token bucket per connection. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Rejected frames tolerated before a connection is closed. */
  maxRejectedMessages: number;
  heartbeatIntervalMs: number;
  /** A connection that neither opens nor joins a session in this time is closed. */
  unboundIdleTimeoutMs: number;
  /** Per-address wrong-PIN backoff: first penalty, doubled per failure, capped. */
  joinBackoffBaseMs: number;
  joinBackoffMaxMs: number;
  /** The failure of an address that starts its backoff (3: the third wrong guess waits `joinBackoffBaseMs`). */
  joinFailuresBeforeBackoff: number;
  /** Sessions one client address may open per minute (each open mints TURN credentials). */
  hostOpensPerMinute: number;
  /** Session resumes one client address may make per minute (each hands out TURN credentials, re-used while fresh). */
  resumesPerMinute: number;
  /** Sockets one address may hold open before their first request arrives in full; beyond, its oldest is cut. */
  maxPendingRequestsPerAddress: number;
  /** The same budget over all addresses (a flood from many addresses cannot use up the file descriptors). */
  maxPendingRequests: number;
  /** A socket's first request must arrive within this, and later requests' headers too (Node's default is 60 s). */
  headersTimeoutMs: number;
  sweepIntervalMs: number;
  /** Bearer token that opens `/metrics` on the main listener; without it the main listener never serves metrics. */
  metricsToken?: string;
  /** `[host:]port` of a listener serving only `/metrics` (host defaults to 127.0.0.1); none → no such listener. */
  metricsListen?: string;
  logLevel: string;
  /** Technician sign-in (OpenID Connect); see auth/README.md. No issuer (and no dev provider) → sign-in is off. */
  oidcIssuer?: string;
  oidcClientId?: string;
  oidcClientSecret?: string;
  /** Scopes asked for; add `offline_access` where the provider needs it for a refresh token (Entra ID). */
  oidcScopes: string;
  /** Who may sign in / who is an admin: `@example.com` (a domain), `a@b.c` (an email), `group:helpdesk` (a groups claim value). */
  oidcAllowed: string[];
  oidcAdmins: string[];
  /** Organisation shown for technicians whose ID token names none (no `org` / `organization` claim). */
  oidcOrgName?: string;
  /** Seals the sign-in cookie; unset → a random key per process (sign-ins end on restart). */
  sessionSecret?: string;
  /** Refuse `viewer.join` from connections that are not signed in. */
  requireSignIn: boolean;
  /** Run a local OpenID provider with a test user (loopback only) and sign in against it. */
  devIdp: boolean;
  /** The audit trail's database: `sqlite:<path>` or `postgres://…`; unset or `off` records nothing (signaling/audit/). */
  auditDb?: string;
  /** Audit records older than this many days are purged; unset keeps them all. */
  auditRetentionDays?: number;
  /** Where uploaded session recordings are kept (signaling/recordings/); unset → the server keeps none. */
  recordingsDir?: string;
  /** An upload larger than this is refused (413) and nothing of it kept. */
  recordingsMaxMib: number;
  /** Recordings older than this many days are deleted; unset → `auditRetentionDays`; both unset → kept. */
  recordingsRetentionDays?: number;
  /** Support queue (queue/): the teams a person may ask (none: one queue), and how long a request waits. */
  teams: string[];
  helpRequestTtlMs: number;
  /** A full queue refuses new requests. */
  maxQueuedRequests: number;
  helpRequestsPerAddressPerHour: number;
  /** Requests one host connection may make over its life (a Deny that requeues does not count). */
  helpRequestsPerConnection: number;
}

export const defaultConfig: SignalingConfig = {
  host: '127.0.0.1',
  port: 8787,
  allowedOrigins: [],
  trustedProxies: [],
  sessionTtlMs: 10 * 60_000,
  resumeGraceMs: 60_000,
  nodeDeadAfterMs: 10_000,
  stunUrls: [],
  turnUrls: [],
  // coturn checks the expiry only when an allocation is created; a running relay outlives it.
  turnCredentialTtlS: 300,
  maxConnectionsPerAddress: 64,
  messagesPerSecond: 50,
  messageBurst: 200,
  maxRejectedMessages: 10,
  heartbeatIntervalMs: 15_000,
  unboundIdleTimeoutMs: 60_000,
  joinBackoffBaseMs: 1_000,
  joinBackoffMaxMs: 5 * 60_000,
  joinFailuresBeforeBackoff: 3,
  hostOpensPerMinute: 20,
  // A node restart makes every side behind an office's address resume within seconds: 40 sessions are 80 resumes.
  resumesPerMinute: 120,
  // 40 browsers behind one office NAT open at once: each waits milliseconds, so this is far above any real burst.
  maxPendingRequestsPerAddress: 256,
  maxPendingRequests: 2048,
  headersTimeoutMs: 5_000,
  sweepIntervalMs: 1_000,
  logLevel: 'info',
  oidcScopes: 'openid email profile',
  oidcAllowed: [],
  oidcAdmins: [],
  requireSignIn: false,
  devIdp: false,
  recordingsMaxMib: 512,
  teams: [],
  helpRequestTtlMs: 30 * 60_000,
  maxQueuedRequests: 1000,
  helpRequestsPerAddressPerHour: 10,
  helpRequestsPerConnection: 5,
};

export function resolveConfig(partial: Partial<SignalingConfig> = {}): SignalingConfig {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  return { ...defaultConfig, ...defined };
}
