/**
 * Signed mode from a host's settings (issue 20): `security`, `pinned_roots`, `operator_keys` and
 * `root_work` in the board's Preferences (or mycelium-node's file) give the node a stored key
 * (its id), the signed layer and the operator's admin check — the same MeshHost wiring boards,
 * the simulator host and mycelium-node use.
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { nodeSignatures } from '../../simulator/platform/node-signatures.js';
import { hostPlatform } from '../../modules/host/platform.js';
import { Settings } from '../../modules/host/settings.js';
import { EspNowRadio } from '../../modules/host/espnow-radio.js';
import { MeshHost } from '../../modules/host/mesh-host.js';
import { NodeKey } from '../../modules/mycelium/signed/node-key.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { Air, FakePreference } from './support.js';

const OPERATOR = NodeKey.fromSeed(nodeSignatures, new Uint8Array(32).fill(9));

function signedStation(clock: VirtualClock, air: Air, index: number, settings: Record<string, string>, pref = new FakePreference()) {
  const lines: string[] = [];
  const platform = hostPlatform({
    now: () => clock.now(),
    timer: { set: (cb, ms) => clock.setTimeout(cb, ms), clear: (t) => clock.clearTimeout(t) },
    sha256: nodeHashes.sha256,
    signatures: nodeSignatures,
    write: (line) => lines.push(line),
    preference: pref,
  });
  const s = new Settings(platform.storage);
  for (const [k, v] of Object.entries(settings)) expect(s.set(k, v)).toEqual({ ok: true });
  const mac = Uint8Array.of(2, 0, 0, 0, 0, index);
  const host = new MeshHost({ platform, radio: new EspNowRadio(air.open(mac)), uniqueId: mac, write: (l) => lines.push(l) });
  return { host, lines, pref };
}

test('security=signed: the node id is its stored key, neighbours prove their keys, one root, operator trusted', () => {
  const clock = new VirtualClock(0);
  const air = new Air(clock);
  const config = { security: 'signed', operator_keys: toHex(OPERATOR.publicKey) };
  const a = signedStation(clock, air, 1, config);
  const b = signedStation(clock, air, 2, config);
  expect(a.host.signed?.mode).toBe('signed');
  expect(a.host.debug?.adminAuth?.trusts(OPERATOR.publicKey)).toBe(true);
  a.host.start();
  b.host.start();
  clock.advance(60_000);
  expect(a.host.node.packager.peers.map((p) => p.key)).toEqual([toHex(b.host.node.nodeId)]);
  expect(toHex(a.host.tree.root)).toBe(toHex(b.host.tree.root));
  expect(a.host.node.packager.counters.snapshot().signed_verify).toBeGreaterThan(0);
  // The id is the key, kept in the Preferences: the same after a restart.
  const id = toHex(a.host.node.nodeId);
  a.host.stop();
  const again = signedStation(clock, air, 1, {}, a.pref);
  expect(toHex(again.host.node.nodeId)).toBe(id);
  expect(again.host.signed?.mode).toBe('signed');
});

test('security=open (the default): upstream id, no layer, no key stored', () => {
  const clock = new VirtualClock(0);
  const a = signedStation(clock, new Air(clock), 1, {});
  expect(a.host.signed).toBeUndefined();
  expect(a.host.debug?.adminAuth).toBeUndefined();
  expect([...a.pref.data.keys()].some((k) => k.endsWith('ed25519_seed'))).toBe(false);
});

test('root_work grinds once at first start and keeps the nonce with the key', () => {
  const clock = new VirtualClock(0);
  const a = signedStation(clock, new Air(clock), 1, { security: 'signed', root_work: 'on', root_work_floor: '8' });
  expect([...a.pref.data.keys()].some((k) => k.endsWith('root_work'))).toBe(true);
});

test('key settings are checked: 64-digit hex keys, at most 4', () => {
  const s = new Settings(undefined);
  expect(s.set('pinned_roots', 'abc')).toMatchObject({ ok: false });
  expect(s.set('operator_keys', Array(5).fill('a'.repeat(64)).join(','))).toMatchObject({ ok: false });
  expect(s.set('pinned_roots', ` ${'A'.repeat(64)} , ${'b'.repeat(64)}`)).toEqual({ ok: true });
  expect(s.security.pinned_roots).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
  expect(s.set('security', 'paranoid')).toMatchObject({ ok: false });
});

test('console operator: make a key, trust it on a node, sign admin ops over the mesh; a restart keeps counting', () => {
  const clock = new VirtualClock(0);
  const air = new Air(clock);
  const a = signedStation(clock, air, 1, { security: 'signed' });
  a.host.input('operator key');
  expect(a.lines.join('\n')).toMatch(/no key yet/);
  a.host.input('operator new');
  const key = /operator key ([0-9a-f]{64})/.exec(a.lines.join('\n'))?.[1];
  expect(key).toBeDefined();
  a.host.input('operator new');
  expect(a.lines.join('\n')).toMatch(/a key exists already/);
  const seed = a.host.node.platform.storage!.get('operator_seed')!;
  expect(seed.length).toBe(32);
  expect(a.lines.join('\n')).not.toContain(toHex(seed)); // the secret is never printed
  const b = signedStation(clock, air, 2, { security: 'signed', operator_keys: key! });
  const c = signedStation(clock, air, 3, { security: 'signed' }); // trusts no operator
  for (const h of [a, b, c]) h.host.start();
  clock.advance(60_000);
  const victim = toHex(Uint8Array.from({ length: 32 }, (_, i) => i + 1));
  a.host.input(`operator admin ${toHex(b.host.node.nodeId)} ban ${victim}`);
  a.host.input(`operator admin ${toHex(c.host.node.nodeId)} ban ${victim}`);
  clock.advance(10_000);
  expect(b.host.node.packager.banned).toContain(victim);
  expect(c.host.node.packager.banned).not.toContain(victim);
  // The password path opens nothing on a signed node.
  a.host.input(`admin ${toHex(b.host.node.nodeId)} mesh unban ${victim}`);
  clock.advance(10_000);
  expect(b.host.node.packager.banned).toContain(victim);
  // The console restarts: the stored counter goes on, so its next op is above what b accepted.
  a.host.stop();
  const a2 = signedStation(clock, air, 1, {}, a.pref);
  a2.host.start();
  clock.advance(60_000);
  a2.host.input(`operator admin ${toHex(b.host.node.nodeId)} unban ${victim}`);
  expect(a2.lines.join('\n')).toMatch(/counter 3/);
  clock.advance(10_000);
  expect(b.host.node.packager.banned).not.toContain(victim);
});
