import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startSignalingServer, type RunningSignalingServer, type StartOptions } from '../../signaling/server';

export interface TlsServer {
  server: RunningSignalingServer;
  /** The certificate a client must trust to reach it. */
  cert: Buffer;
  close(): Promise<void>;
}

/** The real signaling server on https/wss, with a real certificate for 127.0.0.1 made by openssl for this run. */
export async function startTlsServer(options: StartOptions = {}): Promise<TlsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'peerdesk-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' }); // prettier-ignore
  const cert = readFileSync(join(dir, 'cert.pem'));
  const server = await startSignalingServer({
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
    tlsCertFile: join(dir, 'cert.pem'),
    tlsKeyFile: join(dir, 'key.pem'),
    ...options,
  }).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  });
  return {
    server,
    cert,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
