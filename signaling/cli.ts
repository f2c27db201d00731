#!/usr/bin/env node
import { Command, InvalidArgumentError, Option, type OptionValues } from 'commander';
import pino from 'pino';
import { auditCommand } from './audit/audit-cli';
import { defaultAuditDbUrl } from './audit/audit-service';
import { defaultConfig } from './config';
import { startSignalingServer } from './server';

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`not a non-negative integer: ${v}`);
  return n;
};
const opt = (flags: string, description: string, env: string) => new Option(flags, description).env(env);

const program = new Command('peerdesk-signaling')
  .description('PeerDesk signaling server: introduces a host and a viewer, relays their WebRTC signals, serves the browser viewer.')
  .addOption(opt('--host <address>', 'address to listen on', 'PEERDESK_HOST').default(defaultConfig.host))
  .addOption(opt('--port <port>', 'port to listen on (0 = any free port)', 'PEERDESK_PORT').argParser(int).default(defaultConfig.port))
  .addOption(opt('--tls-cert <file>', 'PEM certificate; with --tls-key serves https/wss', 'PEERDESK_TLS_CERT'))
  .addOption(opt('--tls-key <file>', 'PEM private key', 'PEERDESK_TLS_KEY'))
  .addOption(opt('--public-url <url>', 'base URL used in invite links', 'PEERDESK_PUBLIC_URL'))
  .addOption(opt('--allowed-origins <list>', 'extra WebSocket origins, comma-separated', 'PEERDESK_ALLOWED_ORIGINS').argParser(list))
  .addOption(
    opt(
      '--trusted-proxies <list>',
      'reverse proxies whose X-Forwarded-For names the client, comma-separated',
      'PEERDESK_TRUSTED_PROXIES',
    ).argParser(list),
  )
  .addOption(opt('--static-dir <dir>', 'built renderer to serve at /', 'PEERDESK_STATIC_DIR'))
  .addOption(opt('--session-ttl <seconds>', 'lifetime of an unused session code', 'PEERDESK_SESSION_TTL').argParser(int))
  .addOption(opt('--resume-grace <seconds>', 'how long a dropped side may resume its session', 'PEERDESK_RESUME_GRACE').argParser(int))
  .addOption(opt('--redis-url <url>', 'share sessions and limits with other nodes through this Redis', 'REDIS_URL'))
  .addOption(
    opt('--node-dead-after <seconds>', 'with Redis: a node silent this long is taken for dead', 'PEERDESK_NODE_DEAD_AFTER').argParser(int),
  )
  .addOption(opt('--stun-urls <list>', 'STUN URLs handed to peers', 'PEERDESK_STUN_URLS').argParser(list))
  .addOption(opt('--turn-urls <list>', 'TURN URLs handed to peers', 'PEERDESK_TURN_URLS').argParser(list))
  .addOption(opt('--turn-secret <secret>', "coturn's static-auth-secret (credentials are minted per peer)", 'PEERDESK_TURN_SECRET'))
  .addOption(
    opt(
      '--max-connections-per-address <n>',
      'cap of WebSocket connections per client address',
      'PEERDESK_MAX_CONNECTIONS_PER_ADDRESS',
    ).argParser(int),
  )
  .addOption(
    opt('--host-opens-per-minute <n>', 'sessions one client address may open per minute', 'PEERDESK_HOST_OPENS_PER_MINUTE').argParser(int),
  )
  .addOption(
    opt('--resumes-per-minute <n>', 'session resumes one client address may make per minute', 'PEERDESK_RESUMES_PER_MINUTE').argParser(int),
  )
  .addOption(opt('--metrics-token <token>', 'serve /metrics on the main listener to requests bearing this token', 'PEERDESK_METRICS_TOKEN'))
  .addOption(
    opt(
      '--metrics-listen <[host:]port>',
      'serve /metrics on a listener of its own (host defaults to 127.0.0.1)',
      'PEERDESK_METRICS_LISTEN',
    ),
  )
  .addOption(opt('--oidc-issuer <url>', 'technician sign-in: the OpenID provider (issuer URL)', 'PEERDESK_OIDC_ISSUER'))
  .addOption(opt('--oidc-client-id <id>', 'client id registered at the provider', 'PEERDESK_OIDC_CLIENT_ID'))
  .addOption(opt('--oidc-client-secret <secret>', 'client secret registered at the provider', 'PEERDESK_OIDC_CLIENT_SECRET'))
  .addOption(opt('--oidc-scopes <scopes>', 'scopes asked for (space-separated)', 'PEERDESK_OIDC_SCOPES').default(defaultConfig.oidcScopes))
  .addOption(
    opt(
      '--oidc-allowed <list>',
      'who may sign in: @domain, email, group:<name>, comma-separated (default: anyone)',
      'PEERDESK_OIDC_ALLOWED',
    ).argParser(list),
  )
  .addOption(opt('--oidc-admins <list>', 'admins, in the same forms as --oidc-allowed', 'PEERDESK_OIDC_ADMINS').argParser(list))
  .addOption(opt('--oidc-org <name>', 'organisation shown when the ID token names none', 'PEERDESK_OIDC_ORG'))
  .addOption(
    opt('--session-secret <secret>', 'key material sealing sign-in cookies (default: random per process)', 'PEERDESK_SESSION_SECRET'),
  )
  .addOption(opt('--require-sign-in', 'refuse joins from technicians who are not signed in', 'PEERDESK_REQUIRE_SIGN_IN'))
  .addOption(opt('--dev-idp', 'run a local test OpenID provider (loopback only; tech@example.com, any password)', 'PEERDESK_DEV_IDP'))
  .addOption(opt('--teams <list>', 'support queue teams a person may ask, comma-separated', 'PEERDESK_TEAMS').argParser(list))
  .addOption(opt('--help-request-ttl <seconds>', 'how long a help request waits in the queue', 'PEERDESK_HELP_REQUEST_TTL').argParser(int))
  .addOption(opt('--max-queued-requests <n>', 'a full support queue refuses new requests', 'PEERDESK_MAX_QUEUED_REQUESTS').argParser(int))
  .addOption(
    opt('--help-requests-per-hour <n>', 'help requests one client address may make per hour', 'PEERDESK_HELP_REQUESTS_PER_HOUR').argParser(
      int,
    ),
  )
  .addOption(
    opt('--audit-db <url>', 'audit trail database: sqlite:<path>, postgres://… or off', 'PEERDESK_AUDIT_DB').default(
      defaultAuditDbUrl(),
      'an SQLite file in $XDG_DATA_HOME/peerdesk',
    ),
  )
  .addOption(opt('--audit-retention-days <days>', 'purge audit records older than this', 'PEERDESK_AUDIT_RETENTION_DAYS').argParser(int))
  .addOption(opt('--recordings-dir <path>', 'keep session recordings technicians upload, in this directory', 'PEERDESK_RECORDINGS_DIR'))
  .addOption(
    opt('--recordings-max-mib <n>', 'largest recording kept, in MiB', 'PEERDESK_RECORDINGS_MAX_MIB')
      .argParser(int)
      .default(defaultConfig.recordingsMaxMib),
  )
  .addOption(
    opt(
      '--recordings-retention-days <days>',
      'delete recordings older than this (default: --audit-retention-days)',
      'PEERDESK_RECORDINGS_RETENTION_DAYS',
    ).argParser(int),
  )
  .addOption(opt('--log-level <level>', 'pino log level', 'PEERDESK_LOG_LEVEL').default(defaultConfig.logLevel))
  .action(serve);
program.addCommand(auditCommand());
await program.parseAsync();

/** The default command: run the server until SIGINT/SIGTERM. */
async function serve(o: OptionValues) {
  const log = pino({ level: o.logLevel, name: 'peerdesk-signaling' });

  const server = await startSignalingServer({
    host: o.host,
    port: o.port,
    tlsCertFile: o.tlsCert,
    tlsKeyFile: o.tlsKey,
    publicUrl: o.publicUrl,
    allowedOrigins: o.allowedOrigins,
    trustedProxies: o.trustedProxies,
    staticDir: o.staticDir ?? new URL('../renderer', import.meta.url).pathname,
    sessionTtlMs: o.sessionTtl !== undefined ? o.sessionTtl * 1000 : undefined,
    resumeGraceMs: o.resumeGrace !== undefined ? o.resumeGrace * 1000 : undefined,
    redisUrl: o.redisUrl,
    nodeDeadAfterMs: o.nodeDeadAfter !== undefined ? o.nodeDeadAfter * 1000 : undefined,
    stunUrls: o.stunUrls,
    turnUrls: o.turnUrls,
    turnSecret: o.turnSecret,
    maxConnectionsPerAddress: o.maxConnectionsPerAddress,
    hostOpensPerMinute: o.hostOpensPerMinute,
    resumesPerMinute: o.resumesPerMinute,
    metricsToken: o.metricsToken,
    metricsListen: o.metricsListen,
    oidcIssuer: o.oidcIssuer,
    oidcClientId: o.oidcClientId,
    oidcClientSecret: o.oidcClientSecret,
    oidcScopes: o.oidcScopes,
    oidcAllowed: o.oidcAllowed,
    oidcAdmins: o.oidcAdmins,
    oidcOrgName: o.oidcOrg,
    sessionSecret: o.sessionSecret,
    requireSignIn: o.requireSignIn,
    devIdp: o.devIdp,
    teams: o.teams,
    helpRequestTtlMs: o.helpRequestTtl !== undefined ? o.helpRequestTtl * 1000 : undefined,
    maxQueuedRequests: o.maxQueuedRequests,
    helpRequestsPerAddressPerHour: o.helpRequestsPerHour,
    auditDb: o.auditDb,
    auditRetentionDays: o.auditRetentionDays,
    recordingsDir: o.recordingsDir,
    recordingsMaxMib: o.recordingsMaxMib,
    recordingsRetentionDays: o.recordingsRetentionDays,
    logger: log,
  });
  console.log(`PeerDesk signaling on ${server.url} (WebSocket ${server.wsUrl})`);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      server.close().then(() => process.exit(0));
    });
  }
}
