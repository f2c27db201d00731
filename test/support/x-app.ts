import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * A small Tk program on the test's X display, driven line by line over stdin.
 * Every command resolves when the program answers, so tests wait on events.
 */
export class XApp {
  private readonly lines: string[] = [];
  private waiters: Array<(line: string) => void> = [];
  windowId = '';

  private constructor(private readonly proc: ChildProcessWithoutNullStreams) {
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const w = this.waiters.shift();
      if (w) w(line);
      else this.lines.push(line);
    });
  }

  static async start(script: string, args: Record<string, string>, env: NodeJS.ProcessEnv = process.env): Promise<XApp> {
    const proc = spawn(
      'python3',
      [new URL(`./x-apps/${script}`, import.meta.url).pathname, ...Object.entries(args).map(([k, v]) => `${k}=${v}`)],
      {
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const app = new XApp(proc);
    const ready = await Promise.race([
      // Python and Tk starting on a machine under full load (the whole suite) have taken over 10 s.
      app.readLine(30_000),
      new Promise<string>((_, reject) => proc.once('exit', (code) => reject(new Error(`${script} exited ${code}: ${stderr}`)))),
    ]);
    app.windowId = String(Number(ready.split(' ')[1]));
    return app;
  }

  readLine(timeoutMs = 10_000): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('x app did not answer')), timeoutMs);
      this.waiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  }

  async command(line: string): Promise<string> {
    this.proc.stdin.write(`${line}\n`);
    return this.readLine();
  }

  /** Collects reported button presses until there are `n` (the app clears its list on each read). */
  async waitForClicks(n: number, timeoutMs = 5000): Promise<Array<[button: number, x: number, y: number]>> {
    const seen: Array<[number, number, number]> = [];
    const deadline = Date.now() + timeoutMs;
    while (seen.length < n && Date.now() < deadline)
      seen.push(...(JSON.parse(await this.command('clicks')) as Array<[number, number, number]>));
    return seen;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.stdin.end();
    this.proc.kill('SIGTERM');
    await exited;
  }
}
