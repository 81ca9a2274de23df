/** A `mycelium-node` child process driven through its stdin/stdout, for tests. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const NODE_BIN = join(ROOT, 'bin', 'mycelium-node.mjs');

export class NodeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<number>;
  #partial = '';

  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [NODE_BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => {
      const parts = (this.#partial + chunk).split('\n');
      this.#partial = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code ?? -1)));
  }

  send(line: string): void {
    this.child.stdin.write(line + '\n');
  }

  /** Output from line `from` on. */
  since(from: number): string[] {
    return this.lines.slice(from);
  }

  /** Polls `test` on the output until it gives a value; fails after `ms` saying what was awaited. */
  async waitFor<T>(what: string, test: (lines: readonly string[]) => T | undefined, ms = 30_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = test(this.lines);
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${this.lines.join('\n')}\nstderr:\n${this.stderr}`);
      await sleep(100);
    }
  }

  /** The node id from the start-up banner ("… node 1a2b3c4d on …" gives the short id). */
  async shortId(): Promise<string> {
    return this.waitFor('the banner', (lines) => lines.map((l) => /: node ([0-9a-f]{8}) on /.exec(l)?.[1]).find((x) => x !== undefined));
  }

  /** `quit`, then the exit code. */
  async quit(): Promise<number> {
    if (this.child.exitCode === null) this.send('quit');
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `n` UDP ports free right now on loopback (the OS picks them, so parallel runs do not collide). */
export async function freePorts(n: number): Promise<number[]> {
  const sockets = Array.from({ length: n }, () => createSocket('udp4'));
  const ports = await Promise.all(sockets.map((s) => new Promise<number>((r) => s.bind(0, '127.0.0.1', () => r(s.address().port)))));
  await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}
