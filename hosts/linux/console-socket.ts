/**
 * The console on a local (Unix domain) socket, for a second terminal on a running node:
 * `mycelium-node --attach PATH`, or `nc -U PATH`. Each connection gets its own console session
 * (its own monitor, waits and ping tests) on the same node; `quit` there ends the connection,
 * not the node. The socket file is created with the user's umask and removed at exit.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { unlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { MeshConsole } from '../../modules/console/console.js';
import type { MeshHost } from '../../modules/host/mesh-host.js';

/** Connections served at once: each holds a console session. */
export const MAX_CONSOLE_CLIENTS = 8;

export interface ConsoleServer {
  close(): Promise<void>;
}

export async function serveConsole(path: string, host: MeshHost, _quit: () => void): Promise<ConsoleServer> {
  const clients = new Set<Socket>();
  const server = createServer((conn) => {
    if (clients.size >= MAX_CONSOLE_CLIENTS) {
      conn.end(`Error: ${MAX_CONSOLE_CLIENTS} consoles are already attached\n`);
      return;
    }
    clients.add(conn);
    const write = (line: string) => {
      if (!conn.destroyed) conn.write(line + '\n');
    };
    const session = new MeshConsole({ node: host.node, traffic: host.traffic, config: host.settings, version: 'mycelium-node', quit: () => conn.end() }, write);
    const rl = createInterface({ input: conn });
    rl.on('line', (line) => session.exec(line));
    conn.on('error', () => undefined);
    conn.on('close', () => {
      clients.delete(conn);
      session.stop();
      rl.close();
    });
  });
  await listen(server, path);
  return {
    close: () =>
      new Promise((resolve) => {
        for (const c of clients) c.destroy();
        server.close(() => resolve());
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }),
  };
}

/** Listen on `path`; a socket file left by a node that died is replaced, a live one is an error. */
async function listen(server: Server, path: string): Promise<void> {
  const attempt = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await attempt();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw new Error(`console socket ${path}: ${(e as Error).message}`);
    if (await answers(path)) throw new Error(`console socket ${path} is in use by a running node`);
    unlinkSync(path);
    await attempt();
  }
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** This terminal as a console of the node serving `path`; resolves when the node hangs up. */
export function attachConsole(path: string, stdin: NodeJS.ReadableStream, stdout: NodeJS.WritableStream): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createConnection(path);
    s.once('error', (e: NodeJS.ErrnoException) => {
      reject(new Error(e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? `no node serves a console on ${path}` : `${path}: ${e.message}`));
    });
    s.once('connect', () => {
      s.pipe(stdout as NodeJS.WritableStream, { end: false });
      stdin.pipe(s);
      s.once('close', () => {
        stdin.unpipe(s);
        resolve(0);
      });
    });
  });
}
