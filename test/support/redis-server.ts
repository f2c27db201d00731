import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { freePort } from './free-port';
import { stopProcess } from './stop-process';

/**
 * A real `redis-server` (the Debian package) on 127.0.0.1 and a random port, with nothing persisted.
 * `restart()` kills it and starts an empty one on the same port: what nodes see when Redis is replaced.
 */
export class RedisServer {
  private proc!: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const redis = new RedisServer(await freePort());
    await redis.launch();
    return redis;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await stopProcess(this.proc);
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  private async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'];
    this.proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    for await (const line of createInterface({ input: this.proc.stdout! })) if (/Ready to accept connections/.test(line)) return;
    throw new Error('redis-server did not start');
  }
}
