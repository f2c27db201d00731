import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { freePort } from './free-port';

const BIN = '/usr/lib/postgresql/15/bin';

/** As root, PostgreSQL must run as its own user (it refuses root); otherwise as whoever runs the tests. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Debian's real PostgreSQL 15, a fresh cluster in a temp dir on 127.0.0.1 and a random port (trust auth, no fsync:
 * a test database). `stop()` then `start()` again keeps the data: what a database restart looks like to a client.
 */
export class PostgresServer {
  private proc?: ChildProcess;
  private exited?: Promise<unknown>;

  private constructor(
    readonly port: number,
    /** The cluster's directory: its processes' command lines name it (the benchmark sums their CPU). */
    readonly dir: string,
    private readonly user: { uid: number; gid: number } | undefined,
    private readonly durable = false,
  ) {}

  /** `durable`: fsync and synchronous commits as a production server has them (the audit benchmark); tests skip them. */
  static async start(options: { durable?: boolean } = {}): Promise<PostgresServer> {
    const user = runAs();
    const dir = mkdtempSync(join(tmpdir(), 'peerdesk-pg-'));
    if (user) chownSync(dir, user.uid, user.gid);
    execFileSync(`${BIN}/initdb`, ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'], {
      ...user,
      stdio: 'ignore',
    });
    const server = new PostgresServer(await freePort(), dir, user, options.durable);
    await server.start();
    return server;
  }

  /** A URL for `database` (created first if it is not `postgres`). */
  async database(name: string): Promise<string> {
    if (name !== 'postgres') {
      const client = new pg.Client({ connectionString: this.url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
    }
    return this.url(name);
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const args = ['-D', join(this.dir, 'data'), '-h', '127.0.0.1', '-p', String(this.port), '-k', this.dir];
    const fast = this.durable ? [] : ['fsync=off', 'full_page_writes=off', 'synchronous_commit=off'];
    const settings = [...fast, 'max_connections=50'].flatMap((s) => ['-c', s]);
    const proc = spawn(`${BIN}/postgres`, [...args, ...settings], { ...this.user, stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.once('exit', resolve));
    let log = '';
    for await (const line of createInterface({ input: proc.stderr! })) {
      log += `${line}\n`;
      if (/database system is ready to accept connections/.test(line)) {
        proc.stderr!.resume();
        return;
      }
    }
    throw new Error(`postgres did not start:\n${log}`);
  }

  /** Fast shutdown (SIGINT): clients are cut off at once, as in a restart. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGINT');
    await this.exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
