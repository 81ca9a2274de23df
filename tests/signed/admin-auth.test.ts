/**
 * Signed admin (issue 20; issue 19 class 9, third bullet): in signed mode a DebugApp admin op
 * must carry an operator's signature and a counter above the last accepted one; the counter is
 * stored, so a captured request replayed after the node reboots is refused. The password no
 * longer opens anything.
 */
import { TestMesh } from '../support/mesh.js';
import { TEST_PASSWORD, TEST_PASS_HASH, strangerId, withApps } from '../apps/support.js';
import { AdminAuth, signedAdminData } from '../../modules/mycelium/signed/admin-auth.js';
import { DebugOp } from '../../modules/mycelium/wire/messages/debug.js';
import { MemoryStorage } from '../../simulator/platform/node-platform.js';
import { nodeSignatures } from '../../simulator/platform/node-signatures.js';
import { keyOf } from '../support/signed-mesh.js';

function signedNode() {
  const mesh = new TestMesh();
  const [m] = mesh.add(1);
  const n = withApps(m, { debug: { admin_pass_hash: TEST_PASS_HASH } });
  const storage = new MemoryStorage();
  const platform = { ...n.node.platform, storage, signatures: nodeSignatures };
  const operator = keyOf(900);
  const boot = () => (n.debug.adminAuth = new AdminAuth(platform, [operator.publicKey]));
  boot();
  const ban = (counter: bigint, victim: Uint8Array, key = operator) => signedAdminData((msg) => key.sign(msg), n.node.nodeId, DebugOp.REQUIRE_BAN, counter, victim);
  return { n, ban, boot, storage };
}

test('an operator-signed admin op is obeyed; its replay is refused, after a reboot too', () => {
  const { n, ban, boot } = signedNode();
  const victim = strangerId(4);
  const captured = ban(1n, victim);
  expect(n.debug.requireSigned(DebugOp.REQUIRE_BAN, n.node.nodeId, captured).ok).toBe(true);
  expect(n.packager.isBanned(victim)).toBe(true);
  n.packager.unban(victim);
  // The same bytes again (someone recorded them on the air): refused.
  n.debug.requireSigned(DebugOp.REQUIRE_BAN, n.node.nodeId, captured);
  expect(n.packager.isBanned(victim)).toBe(false);
  expect(n.packager.counters.snapshot().debug_admin_replay).toBe(1);
  // The node reboots (its clock restarts, its memory is gone; storage stays): still refused.
  boot();
  n.debug.requireSigned(DebugOp.REQUIRE_BAN, n.node.nodeId, captured);
  expect(n.packager.isBanned(victim)).toBe(false);
  expect(n.packager.counters.snapshot().debug_admin_replay).toBe(2);
  // The operator's next counter works.
  n.debug.requireSigned(DebugOp.REQUIRE_BAN, n.node.nodeId, ban(2n, victim));
  expect(n.packager.isBanned(victim)).toBe(true);
});

test('the password, another key, or a request signed for another node open nothing', () => {
  const { n, ban } = signedNode();
  const victim = strangerId(5);
  n.debug.require(DebugOp.REQUIRE_BAN, n.node.nodeId, TEST_PASSWORD, victim);
  n.debug.requireSigned(DebugOp.REQUIRE_BAN, n.node.nodeId, ban(1n, victim, keyOf(901)));
  const forOther = signedAdminData((m) => keyOf(900).sign(m), strangerId(9), DebugOp.REQUIRE_BAN, 5n, victim);
  n.debug.requireSigned(DebugOp.REQUIRE_BAN, n.node.nodeId, forOther);
  expect(n.packager.isBanned(victim)).toBe(false);
  expect(n.packager.counters.snapshot().debug_auth_error).toBe(3);
});
