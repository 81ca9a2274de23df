/**
 * The dashboard's HTTP server, on 127.0.0.1 only: the page, the trace (in full for a client that
 * connects, then appended every `flushMs` through Server-Sent Events), a live node's details,
 * and its console (POST a line, output arrives with the trace's console records).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeDetail, Trace, TraceAppend } from '../trace/types.js';
import type { WebAssets } from './bundle.js';
import type { PaceInfo } from './pace-watch.js';

export interface ConsoleState {
  readonly node: number;
  readonly prompt: string;
  readonly busy: boolean;
}

export interface ConsoleControl {
  /** Run a line on node i's console; output comes back as console records. */
  exec(i: number, line: string): ConsoleState | { error: string };
  interrupt(i: number): ConsoleState | { error: string };
  state(i: number): ConsoleState | { error: string };
  /** States of the consoles opened so far (sent to the page when they change). */
  states(): ConsoleState[];
}

export interface DashboardInfo {
  readonly mode: 'live' | 'file';
  readonly title: string;
  /** Simulated ms per wall ms of the run (the page replays at this pace by default). */
  readonly speed: number;
  readonly console: { readonly available: boolean; readonly reason?: string };
}

export interface DashboardSource {
  info(): DashboardInfo;
  /** The trace as streamed so far (a new client starts from it). */
  snapshot(): Trace | undefined;
  /** Everything recorded so far (the download); default: the snapshot. */
  current?(): Trace | undefined;
  /** What was recorded since the last call (live runs only). */
  takeAppend?(): TraceAppend | undefined;
  /** Whether the live run keeps up with its speed (live runs only). */
  pace?(): PaceInfo;
  /** Node i's details now (live runs only). */
  nodeDetail?(i: number): NodeDetail | null | undefined;
  readonly console?: ConsoleControl;
}

export interface ServerOptions {
  /** 0 = any free port. */
  readonly port: number;
  /** Append period, wall ms (default 200). */
  readonly flushMs?: number;
}

export class DashboardServer {
  readonly #source: DashboardSource;
  readonly #assets: WebAssets;
  readonly #options: ServerOptions;
  readonly #clients = new Set<ServerResponse>();
  #server: Server | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #soon: ReturnType<typeof setTimeout> | undefined;
  #consoleStates = '';
  #pace = '';

  constructor(source: DashboardSource, assets: WebAssets, options: ServerOptions) {
    this.#source = source;
    this.#assets = assets;
    this.#options = options;
  }

  /** Starts listening; resolves to the page's URL. */
  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.#handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) send(res, 500, 'text/plain', String((e as Error).message ?? e));
        else res.end();
      });
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'EADDRINUSE' ? new Error(`the dashboard's port ${this.#options.port} is in use (--port 0 takes any free port)`) : e),
      );
      server.listen(this.#options.port, '127.0.0.1', () => resolve());
    });
    if (this.#source.takeAppend) this.#timer = setInterval(() => this.flush(), this.#options.flushMs ?? 200);
    this.#keepAlive = setInterval(() => {
      for (const c of this.#clients) c.write(': keep-alive\n\n');
    }, 15000);
    return this.url;
  }

  get url(): string {
    const a = this.#server?.address() as AddressInfo | null;
    return a ? `http://127.0.0.1:${a.port}/` : '';
  }

  /** Sends what was recorded since the last flush to every page. */
  flush(): void {
    const a = this.#source.takeAppend?.();
    if (a) this.#broadcast('append', a);
    const states = this.#source.console?.states() ?? [];
    const key = JSON.stringify(states);
    if (key !== this.#consoleStates) {
      this.#consoleStates = key;
      this.#broadcast('console-state', states);
    }
    const pace = this.#source.pace?.();
    const paceKey = pace ? JSON.stringify(pace) : '';
    if (paceKey !== this.#pace) {
      this.#pace = paceKey;
      this.#broadcast('pace', pace);
    }
  }

  /** Flush shortly (console output should not wait for the next period). */
  soon(): void {
    this.#soon ??= setTimeout(() => {
      this.#soon = undefined;
      this.flush();
    }, 20);
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#keepAlive) clearInterval(this.#keepAlive);
    if (this.#soon) clearTimeout(this.#soon);
    for (const c of this.#clients) c.end();
    this.#clients.clear();
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #broadcast(event: string, data: unknown): void {
    if (this.#clients.size === 0) return;
    const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const c of this.#clients) c.write(text);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'POST' && !sameOrigin(req)) return json(res, 403, { error: 'cross-origin request refused' });
    if (method === 'GET') {
      if (path === '/' || path === '/index.html') return send(res, 200, 'text/html; charset=utf-8', this.#assets.html);
      if (path === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', this.#assets.js);
      if (path === '/style.css') return send(res, 200, 'text/css; charset=utf-8', this.#assets.css);
      if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
      if (path === '/api/info') return json(res, 200, this.#source.info());
      if (path === '/api/trace') {
        const trace = this.#source.current?.() ?? this.#source.snapshot();
        if (!trace) return json(res, 503, { error: 'no trace yet' });
        res.setHeader('Content-Disposition', `attachment; filename="${trace.scenario.replace(/[^\w.-]/g, '_')}-trace.json"`);
        return json(res, 200, trace);
      }
      if (path === '/api/events') return this.#events(req, res);
    }
    const node = /^\/api\/node\/(\d+)$/.exec(path);
    if (node && method === 'GET') {
      const d = this.#source.nodeDetail?.(Number(node[1]));
      return d === undefined ? json(res, 404, { error: 'no live node' }) : json(res, 200, d);
    }
    const con = /^\/api\/console\/(\d+)(\/interrupt)?$/.exec(path);
    if (con) {
      const control = this.#source.console;
      const i = Number(con[1]);
      if (!control) return json(res, 404, { error: this.#source.info().console.reason ?? 'no console' });
      if (method === 'GET' && !con[2]) return reply(res, control.state(i));
      if (method === 'POST' && con[2]) return reply(res, control.interrupt(i));
      if (method === 'POST') {
        const body = await readBody(req, 4096);
        let line: unknown;
        try {
          line = (JSON.parse(body) as { line?: unknown }).line;
        } catch {
          return json(res, 400, { error: 'expected JSON {"line": "..."}' });
        }
        if (typeof line !== 'string') return json(res, 400, { error: 'expected JSON {"line": "..."}' });
        const r = control.exec(i, line);
        this.soon();
        return reply(res, r);
      }
    }
    send(res, 404, 'text/plain', 'not found');
  }

  #events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write(`event: info\ndata: ${JSON.stringify(this.#source.info())}\n\n`);
    const trace = this.#source.snapshot();
    if (trace) res.write(`event: trace\ndata: ${JSON.stringify(trace)}\n\n`);
    const states = this.#source.console?.states() ?? [];
    if (states.length > 0) res.write(`event: console-state\ndata: ${JSON.stringify(states)}\n\n`);
    const pace = this.#source.pace?.();
    if (pace) res.write(`event: pace\ndata: ${JSON.stringify(pace)}\n\n`);
    this.#clients.add(res);
    req.on('close', () => this.#clients.delete(res));
  }
}

function reply(res: ServerResponse, r: ConsoleState | { error: string }): void {
  json(res, 'error' in r ? 400 : 200, r);
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value));
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
      } else {
        chunks.push(c);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
