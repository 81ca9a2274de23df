/**
 * Held messages through the mesh API (`send(..., { hold })`, docs/store-forward.md): what a mod
 * sees is an id at once, its status changing through `AppSpec.status`, and the message arriving
 * with the sender's id once the destination is back.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { runApp } from './support.js';
import { addStoreForward } from '../../modules/mycelium/apps/store-forward.js';
import type { AppMain, AppPort, HeldStatus, Received } from '../../modules/mesh-api/api.js';

const mesh = new AppMesh({ seed: 4, hello: true, tree: { pub_each_round: false, sub: true } });
const nodes = mesh.addApps(3);
mesh.wire(nodes[0], nodes[1]);
mesh.wire(nodes[1], nodes[2]);
for (const n of nodes) addStoreForward(n.node);
const ports: AppPort[] = [];
const statuses: [string, HeldStatus][] = [];
const got: [string, Received][] = [];
const main: AppMain = (api) => {
  ports.push(api.register({ name: 'held-test', receive: (d, info) => got.push([api.decodeText(d), info]), status: (id, s) => statuses.push([id, s]) }));
};
const mods = runApp(nodes, main);
mesh.startAll();
mesh.run(200_000);
nodes[2].radio.on = false;
mesh.run(30_000);
const r = ports[0].send(mods[2].id, new TextEncoder().encode('later'), { hold: { lifetimeMs: 600_000 } });
const id = r.ok ? r.id : undefined;
mesh.run(120_000);
const whileAway = { got: got.length, held: id && ports[0].held(id) };
nodes[2].radio.on = true;
mesh.run(120_000);

test('send with hold answers an id; the status goes queued, in custody, delivered', () => {
  expect(id).toMatch(/^[0-9a-f]{64}:\d+$/);
  expect(whileAway).toEqual({ got: 0, held: 'in_custody' });
  expect(statuses.map(([k, s]) => [k === id, s])).toEqual([
    [true, 'queued'],
    [true, 'in_custody'],
    [true, 'delivered'],
  ]);
  expect(id && ports[0].held(id)).toBe('delivered');
});

test('the message arrives once, with the origin named', () => {
  expect(got.map(([t, info]) => [t, info.origin])).toEqual([['later', mods[0].id]]);
});

test('a node without StoreForward refuses a held send', () => {
  const lone = new AppMesh({ seed: 2 });
  const [n] = lone.addApps(1);
  const ps: AppPort[] = [];
  runApp([n], (api) => void ps.push(api.register({ name: 'x' })));
  n.node.start();
  expect(ps[0].send(mods[1].id, new Uint8Array(1), { hold: true })).toEqual({ ok: false, error: 'no_store_forward' });
});
