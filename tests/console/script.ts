/**
 * One scripted console session over a converged 3-node line: the same code runs on Node and
 * inside XS (xs.test.ts), and both must print the same lines.
 */
import { attach, converge, hostOf, line, memoryStore } from './support.js';

export function consoleScript(): string[] {
  const { mesh, nodes } = line(3);
  converge(mesh);
  const [a, b, c3] = nodes;
  const c = attach(hostOf(a, { config: memoryStore(), battery: () => 64, version: 'xs-check' }));
  for (const cmd of ['help', 'version', 'status', 'get node_id', 'get addrs', 'get peers', 'get routes', `get next_hop ${c3.packager.address?.toString()} cpl`, 'config get', 'config set channel 99', 'config set channel 3', 'app ping invoke get_ping_responses', 'get nonsense', 'x'.repeat(2000), '']) {
    c.run(cmd);
  }
  c.run(`ping ${c3.idHex} 2`);
  mesh.run(5_000);
  c.run('monitor receive');
  b.beacon.broadcast();
  mesh.run(100);
  c.console.interrupt();
  c.run(`debug ${b.idHex} routes`);
  mesh.run(2_000);
  c.console.stop();
  return c.out;
}
