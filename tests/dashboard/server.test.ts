/** The dashboard server without a browser: page, trace stream, node details, consoles, view mode. */
import { ConsoleSessions } from '../../simulator/dashboard/server/console-sessions.js';
import { DashboardSession, serveTrace } from '../../simulator/dashboard/server/session.js';
import type { Trace } from '../../simulator/dashboard/trace/types.js';
import { runScenario } from '../../simulator/runner/run.js';
import { ROOT, recorded, shipped } from './helpers.js';

/** The first `event: name` of a Server-Sent Events stream, parsed. */
async function firstEvent(url: string, name: string): Promise<unknown> {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before "${name}"`);
      text += decoder.decode(value, { stream: true });
      const m = new RegExp(`(?:^|\\n)event: ${name}\\ndata: (.*)\\n\\n`).exec(text);
      if (m) return JSON.parse(m[1]) as unknown;
    }
  } finally {
    ac.abort();
  }
}

async function until<T>(f: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test('a live run: page, trace stream, node details and a console on 127.0.0.1; consoles still answer after the run', async () => {
  const lines: string[] = [];
  const session = new DashboardSession({ root: ROOT, serve: true, port: 0, speed: 20, log: (l) => lines.push(l), awakeMs: 5000 });
  const running = runScenario(shipped('line-3', { duration_ms: 30_000 }), session.wrap({}));
  try {
    const url = await until(() => session.url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(lines[0]).toContain(url);
    const html = await (await fetch(url)).text();
    expect(html).toContain('<script src="/app.js">');
    const js = await fetch(`${url}app.js`);
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(50_000);
    expect(await (await fetch(`${url}api/info`)).json()).toMatchObject({ mode: 'live', title: 'line-3', speed: 20, console: { available: true } });

    const trace = (await firstEvent(`${url}api/events`, 'trace')) as Trace;
    expect(trace.nodes).toHaveLength(3);
    expect(trace.format).toBe('mycelium-dashboard-trace/1');
    const append = (await firstEvent(`${url}api/events`, 'append')) as { now: number };
    expect(append.now).toBeGreaterThan(0);

    // Live details of a node, and its console.
    await until(async () => ((await (await fetch(`${url}api/node/1`)).json()) as { peers?: number[] }).peers?.length === 2);
    const status = await post(`${url}api/console/1`, { line: 'status' });
    expect(status).toMatchObject({ status: 200, json: { node: 1, busy: false } });
    const consoleOf = async (i: number) => ((await (await fetch(`${url}api/trace`)).json()) as Trace).console.filter((c) => c[1] === i).map((c) => c[2]);
    expect((await consoleOf(1)).join('\n')).toMatch(/status\nNode ID: [0-9a-f]{64}/);
    // Requests from other origins, unknown nodes and bad bodies are refused.
    expect((await post(`${url}api/console/1`, { line: 'status' }, { Origin: 'http://example.com' })).status).toBe(403);
    expect((await post(`${url}api/console/9`, { line: 'status' })).status).toBe(400);
    expect((await post(`${url}api/console/1`, { nope: 1 })).status).toBe(400);

    const result = await running;
    expect(result.ok).toBe(true);
    await session.finish(result);
    expect(session.recorder.trace!.summary).not.toBeNull();
    // After the run the nodes still run for the console: ping the root by its address.
    const root = result.ok ? result.report.per_node.findIndex((n) => n.root === n.node_id) : -1;
    const from = root === 0 ? 2 : 0;
    expect((await post(`${url}api/console/${from}`, { line: `ping @${root} 2` })).status).toBe(200);
    const out = await until(async () => {
      const text = (await consoleOf(from)).join('\n');
      return text.includes('Ping report') ? text : undefined;
    });
    expect(out).toContain('success_rate: 100%');
  } finally {
    await running.catch(() => undefined);
    await session.close();
  }
  expect(session.url).toBe('');
}, 60_000);

test('view: a saved trace is served as it is, without a console', async () => {
  const { trace } = await recorded(shipped('line-3', { duration_ms: 20_000 }));
  const server = await serveTrace(trace, { root: ROOT, port: 0, log: () => {} });
  try {
    const url = server.url;
    expect(await (await fetch(`${url}api/info`)).json()).toMatchObject({ mode: 'file', console: { available: false } });
    expect(JSON.stringify(await (await fetch(`${url}api/trace`)).json())).toBe(JSON.stringify(trace));
    expect((await post(`${url}api/console/0`, { line: 'status' })).status).toBe(404);
    expect((await fetch(`${url}api/node/0`)).status).toBe(404);
    expect((await fetch(`${url}nope`)).status).toBe(404);
  } finally {
    await server.close();
  }
});

test('console lines: n<i> is node i’s id, @<i> its address; anything else is left alone', () => {
  const sessions = new ConsoleSessions({
    n: 3,
    simNode: () => undefined,
    nodeId: (i) => `${i}`.repeat(64),
    address: (i) => (i === 2 ? undefined : `7-${i}0::`),
    write: () => {},
  });
  expect(sessions.expand('ping n1 3')).toBe(`ping ${'1'.repeat(64)} 3`);
  expect(sessions.expand('ping @0')).toBe('ping 7-00::');
  expect(sessions.expand('ping @2 n9 n1x @')).toBe('ping @2 n9 n1x @');
  expect(sessions.exec(5, 'status')).toEqual({ error: 'no node 5 (the scenario has 3)' });
  expect(sessions.exec(1, 'status')).toEqual({ node: 1, prompt: '', busy: false });
});
