import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The compose file cannot run here (no container runtime, no registry), so it is checked for what would break it
 * silently: nodes on the ports nginx proxies to, environment names the server actually reads, the shipped configs
 * mounted where the programs look. The systemd unit is checked by systemd's own verifier.
 */
const compose = parse(readFileSync('deploy/compose.yaml', 'utf8'), { merge: true }) as {
  services: Record<string, { environment?: Record<string, string>; volumes?: string[]; env_file?: string; command?: string[] }>;
};
const envFile = readFileSync('deploy/systemd/signaling.env.example', 'utf8');
const envNames = [...envFile.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
const cli = readFileSync('signaling/cli.ts', 'utf8');
// The distinct node ports nginx proxies to (each appears in several upstreams: round robin, and per-session routing).
const nginxUpstreams = [
  ...new Set([...readFileSync('deploy/nginx/peerdesk.conf', 'utf8').matchAll(/server 127\.0\.0\.1:(\d+)/g)].map((m) => m[1])),
];

describe('deploy/compose.yaml and deploy/systemd', () => {
  it('runs one node on each port nginx proxies to, each with the shared environment', () => {
    const ports = ['signaling-a', 'signaling-b'].map((s) => compose.services[s].environment?.PEERDESK_PORT);
    expect(ports.sort()).toEqual(nginxUpstreams.sort());
    for (const s of ['signaling-a', 'signaling-b']) expect(compose.services[s].env_file).toBe('./systemd/signaling.env.example');
  });

  it('every variable in the environment file is one the server reads (a typo would be ignored silently)', () => {
    expect(envNames).toContain('REDIS_URL');
    expect(envNames).toContain('PEERDESK_TRUSTED_PROXIES');
    for (const name of envNames) expect(cli, name).toContain(`'${name}'`);
  });

  it('mounts the shipped nginx and coturn files where the programs read them', () => {
    expect(compose.services.nginx.volumes).toContain('./nginx/peerdesk.conf:/etc/nginx/conf.d/peerdesk.conf:ro');
    expect(compose.services.coturn.volumes).toContain('./coturn/turnserver.conf:/etc/coturn/turnserver.conf:ro');
    expect(compose.services.coturn.command).toEqual(['-c', '/etc/coturn/turnserver.conf']);
  });

  it('the systemd unit passes systemd-analyze verify', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerdesk-unit-'));
    const unit = join(dir, 'peerdesk-signaling@8787.service');
    copyFileSync('deploy/systemd/peerdesk-signaling@.service', unit);
    // Verify reports problems on stderr and exits non-zero for fatal ones; a clean unit prints nothing.
    const out = execFileSync('systemd-analyze', ['verify', unit], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
    expect(readFileSync(unit, 'utf8')).toContain('ExecStart=/usr/bin/node /opt/peerdesk/dist/signaling/cli.mjs');
  });
});
