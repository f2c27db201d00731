import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { freePort } from './free-port';
import { stopProcess } from './stop-process';

/**
 * The built standalone server (`dist/signaling/cli.mjs`) as its own process, so a test can SIGKILL it and start it
 * again on the same port — what a crash and a restart look like to the browsers.
 */
export class SignalingProcess {
  private proc!: ChildProcess;
  stderr = '';

  private constructor(
    readonly port: number,
    private args: string[],
    private env: NodeJS.ProcessEnv,
  ) {}

  static async start(args: string[] = [], env: NodeJS.ProcessEnv = {}, port?: number): Promise<SignalingProcess> {
    const server = new SignalingProcess(port ?? (await freePort()), args, env);
    await server.launch();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGKILL');
    await exited;
  }

  /** Starts it again on the same port, with other flags (and environment: e.g. no Redis) if given. */
  async restart(args = this.args, env = this.env): Promise<void> {
    await this.kill();
    this.args = args;
    this.env = env;
    await this.launch();
  }

  async close(): Promise<void> {
    await stopProcess(this.proc);
  }

  private async launch(): Promise<void> {
    const argv = ['dist/signaling/cli.mjs', '--host', '127.0.0.1', '--port', String(this.port), '--log-level', 'warn', ...this.args];
    this.proc = spawn(process.execPath, argv, { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d) => (this.stderr += d));
    for await (const line of createInterface({ input: this.proc.stdout! })) if (line.startsWith('PeerDesk signaling on')) return;
    throw new Error(`the signaling server did not start: ${this.stderr}`);
  }
}
