/** Checks of the app message categories: beacon, gossip, spanning_tree, ping, debug. */
import * as W from '../../modules/mycelium/wire/index.js';
import { type Case, type Check, Mismatch, big, bytesOf, hex, refused, same, value } from './util.js';

const beacon: Check = (c) => {
  switch (c.kind) {
    case 'serialize': {
      const m = { op: Number.parseInt(c.op, 16), nodeId: hex(c.peer_id), apps: (c.apps as string[]).map(hex) };
      same('blob', W.toHex(value('serialize', W.serializeBeacon(m))), c.blob);
      checkBeaconParse(c.blob, c.deserialize);
      return undefined;
    }
    case 'deserialize_partial_app':
      checkBeaconParse(c.blob, c.deserialize);
      return undefined;
    case 'get_bmsgs_chunking': {
      // The app list is recovered from the messages; chunking must rebuild them exactly.
      const msgs = (c.messages as string[]).map((m) => value('parse', W.parseBeacon(hex(m))));
      const apps = msgs.flatMap((m) => m.apps);
      same('app count', apps.length, c.n_apps);
      same('messages', value('chunk', W.beaconMessages(W.BeaconOp.BEACON, hex(c.node_id), apps)).map(W.toHex), c.messages);
      return undefined;
    }
    default:
      throw new Mismatch(`unknown beacon case kind ${c.kind}`);
  }
};

function checkBeaconParse(blob: string, d: Case): void {
  const m = value('parse', W.parseBeacon(hex(blob)));
  same('deserialize', { op: m.op.toString(16).padStart(2, '0'), peer_id: m.nodeId, apps: m.apps }, d);
}

const gossip: Check = (c, { hashes }) => {
  const m = { op: c.op, topic: hex(c.topic_id), data: hex(c.data) };
  const blob = value('serialize', W.serializeGossip(m));
  same('blob', W.toHex(blob), c.blob);
  same('message id', W.toHex(W.gossipMessageId(hashes, blob)), c.message_id);
  const back = value('parse', W.parseGossip(hex(c.blob)));
  same('deserialize', { op: back.op, topic_id: back.topic, data: back.data }, c.deserialize);
  same('forwarding', W.isLargeGossip(back.data) ? 'notify' : 'broadcast', c.forwarding);
  same('op name', Object.entries(W.GossipOp).find(([, v]) => v === c.op)?.[0], c.op_name);
  return undefined;
};

const spanningTree: Check = (c, { hashes }) => {
  if (c.kind === 'tree_message') {
    const m = { op: c.op, ts: big(c.ts), age: c.age, claim: hex(c.claim), address: hex(c.address), nodeId: hex(c.node_id) };
    same('blob', W.toHex(value('serialize', W.serializeTree(m))), c.blob);
    const back = value('parse', W.parseTree(hex(c.blob)));
    same('deserialize', { op: back.op, ts: back.ts, age: back.age, claim: back.claim, address: back.address, node_id: back.nodeId },
      { ...c.deserialize, ts: big(c.deserialize.ts) });
    return undefined;
  }
  if (c.kind === 'claim') {
    const claim = hex(c.claim);
    same('tree_state', W.treeState(hashes, claim), c.tree_state);
    const score = (t: Uint8Array) => BigInt('0x' + W.toHex(W.claimScore(claim, t))).toString();
    same('claim score', score(W.ROOT_ID_TARGETS[0]), String(c.claim_score));
    same('overlay scores', W.ROOT_ID_TARGETS.map(score), (c.claim_score_overlays as unknown[]).map(String));
    return undefined;
  }
  throw new Mismatch(`unknown spanning_tree case kind ${c.kind}`);
};

const ping: Check = (c, { hashes }) => {
  if (c.kind === 'gossip_topic') {
    const id = value('ping id', W.appId(hashes, 'Ping', 'Dev Ping App', 0));
    same('topic', W.toHex(W.nodeTopic(hashes, id, hex(c.node_id))), c.topic_id);
    return undefined;
  }
  const i = c.input;
  const m = {
    op: i.op, nonce: i.nonce, metric: i.metric, ts1: big(i.ts1), ts2: big(i.ts2), ts3: big(i.ts3),
    treeState: i.tree_state, address: bytesOf(i.address), nodeId: bytesOf(i.node_id),
  };
  same('blob', W.toHex(value('serialize', W.serializePing(m))), c.blob);
  const b = value('parse', W.parsePing(hex(c.blob)));
  const d = c.deserialize;
  same('deserialize',
    [b.op, b.nonce, b.metric, b.ts1, b.ts2, b.ts3, b.treeState, b.address, b.nodeId],
    [d.op, d.nonce, d.metric, big(d.ts1), big(d.ts2), big(d.ts3), d.tree_state, bytesOf(d.address), bytesOf(d.node_id)]);
  same('op name', Object.entries(W.PingOp).find(([, v]) => v === i.op)?.[0], c.op_name);
  return undefined;
};

const debug: Check = (c, { hashes }) => {
  if (c.kind === 'auth_check') {
    same('accepted', W.adminAuthAccepted(hashes, hex(c.data), hex(c.admin_pass_hash)), c.accepted);
    return undefined;
  }
  if (c.kind === 'gossip_topic') {
    const id = value('debug id', W.appId(hashes, 'DebugApp', 'Debug App', 0));
    same('topic', W.toHex(W.nodeTopic(hashes, id, hex(c.node_id))), c.topic_id);
    return undefined;
  }
  const i = c.input;
  const m = { op: i.op, ts: i.ts, nonce: i.nonce, fromId: bytesOf(i.from_id), data: bytesOf(i.data) };
  same('blob', W.toHex(value('serialize', W.serializeDebug(m))), c.blob);
  const b = value('parse', W.parseDebug(hex(c.blob)));
  const d = c.deserialize;
  same('deserialize', [b.op, b.ts, b.nonce, b.fromId, b.data], [d.op, d.ts, d.nonce, bytesOf(d.from_id), bytesOf(d.data)]);
  same('op name', Object.entries(W.DebugOp).find(([, v]) => v === i.op)?.[0], c.op_name);
  return undefined;
};

export const MESSAGE_CHECKS: Record<string, Check> = { beacon, gossip, spanning_tree: spanningTree, ping, debug };
export { refused };
