/**
 * Chat: short text messages to one node (`dm`, routed through the mesh) or to every node on a
 * topic (`say`, flooded by Gossip), with an end-to-end delivery receipt for each DM, because
 * the mesh only acknowledges hop by hop.
 *
 * Nodes several hops away are not in each other's route tables, so a DM needs the target's
 * tree address: every node announces itself (HELLO: id, address, name) on the topic shortly
 * after start, every `announce_s`, and when its address has changed (the tree re-formed), and
 * the directory keeps what it heard (a few addresses per node: DMs use the one in our tree).
 * The receiver answers a DM with a RECEIPT routed back to the origin's address as the mesh
 * reported it.
 *
 * Our own SAY comes back to us through Gossip like everyone else's, so it is in our inbox too;
 * our own HELLO does not go into our directory. Wire format: codec.ts.
 *
 * Commands: dm, say, inbox, who. Screen: the last messages.
 */
import type { AppInstance, MeshApi, Received, SendResult } from '../../modules/mesh-api/api.js';
import { MAX_TEXT_BYTES, OP_DM, OP_HELLO, OP_RECEIPT, OP_SAY, decode, encode, type Dm, type Hello, type Receipt, type Say } from './codec.js';
import { Directory, addressIn, findNode } from './directory.js';
import { Inbox } from './inbox.js';
import { Outbox } from './outbox.js';
import { chatOptions } from './options.js';
import { age, shortId } from './format.js';

const DIRECTORY_LIMIT = 32;
const SENT_LIMIT = 16;
/**
 * How often presence is checked: the first HELLO goes out at the first check (after the Beacon
 * has found peers to flood it to), then every `announce_s`, or sooner when the address changed.
 */
const PRESENCE_CHECK_MS = 5_000;
/** Longest random delay added to the first HELLO. */
const HELLO_SPREAD_MS = 20_000;
/** A changed address is announced once it held for one check, and not twice within this. */
const CHANGE_GAP_MS = 15_000;
/** Messages on the screen page (9 rows at most). */
const SCREEN_MESSAGES = 8;
const SCREEN_LABEL_CHARS = 8;

export default function start(mesh: MeshApi, options: Readonly<Record<string, unknown>>): AppInstance {
  const o = chatOptions(options, mesh);
  const me = mesh.nodeId;
  const directory = new Directory(DIRECTORY_LIMIT);
  const inbox = new Inbox(o.inbox);
  const outbox = new Outbox(SENT_LIMIT);
  /** Malformed or misdirected messages, shown by `inbox`. */
  let dropped = 0;
  /** 0 until the first message (see newId). */
  let nextId = 0;
  /** Our last HELLO: when, with which address; and the address at the last presence check. */
  let announcedAt: number | undefined;
  /**
   * The first HELLO waits for the Beacon to find peers (one check), plus a random spread of up
   * to HELLO_SPREAD_MS: a hundred nodes started at once would otherwise flood HELLOs together.
   */
  const firstHelloAt = mesh.now() + PRESENCE_CHECK_MS + randomBelow(Math.min(o.announceMs, HELLO_SPREAD_MS));
  let announcedAddress = '';
  let checkedAddress = '';

  const port = mesh.register({ name: 'chat', description: 'mycelium chat', version: 1, receive });
  const following = port.subscribe(o.topic);
  if (!following.ok) mesh.log(`chat: cannot follow topic "${o.topic}" (${following.error}): say and presence are off, dm still works`);

  function receive(data: Uint8Array, info: Received): void {
    const m = decode(data, mesh);
    // SAY and HELLO come only on our topic, DM and RECEIPT only as sends: anything else is
    // someone else's format (or a forgery) and is dropped.
    const onTopic = m !== undefined && (m.op === OP_SAY || m.op === OP_HELLO);
    if (!m || (onTopic ? info.topic !== o.topic : info.topic !== undefined)) {
      dropped++;
      return;
    }
    if (m.op === OP_DM) onDm(m, info);
    else if (m.op === OP_RECEIPT) onReceipt(m, info);
    else if (m.op === OP_SAY) onSay(m);
    else onHello(m);
  }

  function onDm(m: Dm, info: Received): void {
    learn(m.sender, '', info.from);
    const stored = inbox.add({ kind: 'dm', id: m.id, from: m.sender, name: directory.get(m.sender)?.name ?? '', text: m.text, at: mesh.now() });
    // A duplicate is answered too: the first receipt may be the one that was lost.
    const r = sendTo(m.sender, encode({ op: OP_RECEIPT, id: m.id, receiver: me }, mesh), info.from);
    if (!r.ok) mesh.log(`chat: receipt for dm #${m.id} to ${shortId(m.sender)} not sent (${r.error})`);
    if (!stored) return;
    mesh.log(`chat: dm from ${shortId(m.sender)} (${info.hops ?? '?'} hops): ${m.text}`);
    showScreen();
  }

  function onReceipt(m: Receipt, info: Received): void {
    learn(m.receiver, '', info.from);
    if (outbox.deliver(m.id, m.receiver)) mesh.log(`chat: dm #${m.id} delivered to ${shortId(m.receiver)}`);
  }

  function onSay(m: Say): void {
    learn(m.sender, m.name, undefined);
    if (!inbox.add({ kind: 'say', id: m.id, from: m.sender, name: m.name, text: m.text, at: mesh.now() })) return;
    if (m.sender !== me) mesh.log(`chat: ${m.name || shortId(m.sender)} says: ${m.text}`);
    showScreen();
  }

  function onHello(m: Hello): void {
    learn(m.node, m.name, m.address);
  }

  /** Note what a message tells about its sender (never about us: we are not in our directory). */
  function learn(id: string, name: string, address: string | undefined): void {
    if (id !== me) directory.heard(id, mesh.now(), name, address);
  }

  /** Its newest address in the tree we are in (an address in another tree routes nowhere). */
  function addressOf(id: string): string | undefined {
    return addressIn(directory.get(id), mesh.address());
  }

  /**
   * By address when we know one (the only way to a node we have no route to), else by id
   * (a peer, or a node in the mesh's route table).
   */
  function sendTo(id: string, data: Uint8Array, address: string | undefined): SendResult {
    if (address) {
      const r = port.send(id, data, { address });
      if (r.ok) return r;
      // The address may be stale (the tree changed): the mesh may still know a route by id.
    }
    return port.send(id, data);
  }

  /**
   * Message ids count up from the clock reading at the first message, not from 1: a restarted
   * node must not repeat its last run's ids, or Gossip (which drops a message it has seen
   * before) would swallow its first SAYs and receivers would take its DMs for duplicates.
   */
  function newId(): number {
    if (nextId === 0) nextId = Math.floor(mesh.now()) >>> 0 || 1;
    const id = nextId;
    nextId = (nextId + 1) >>> 0 || 1;
    return id;
  }

  function textError(text: string): string | undefined {
    const n = mesh.encodeText(text).length;
    if (n === 0) return 'nothing to send';
    return n > MAX_TEXT_BYTES ? `text is ${n} bytes, at most ${MAX_TEXT_BYTES}` : undefined;
  }

  /** Every PRESENCE_CHECK_MS: HELLO when due, or when a new address has held for one check. */
  function checkPresence(): void {
    const now = mesh.now();
    const address = mesh.address() ?? '';
    const settled = address === checkedAddress;
    checkedAddress = address;
    const due = announcedAt === undefined ? now >= firstHelloAt : now - announcedAt >= o.announceMs;
    const moved = announcedAt !== undefined && settled && address !== announcedAddress && now - announcedAt >= CHANGE_GAP_MS;
    if (!due && !moved) return;
    // Seq from the clock: each HELLO differs from the last, so Gossip floods it (see codec.ts).
    const r = port.publish(o.topic, encode({ op: OP_HELLO, seq: Math.floor(now) >>> 0, node: me, address, name: o.name }, mesh));
    // A failure (Gossip not started yet) leaves it due: the next check tries again.
    if (!r.ok) return;
    announcedAt = now;
    announcedAddress = address;
  }

  /** A random whole number of ms in [0, n). */
  function randomBelow(n: number): number {
    if (n < 1) return 0;
    const b = mesh.randomBytes(4);
    return (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) % n;
  }

  function nameOf(id: string, name = ''): string {
    if (id === me) return o.name;
    return name || directory.get(id)?.name || shortId(id);
  }

  function showScreen(): void {
    // Newest first: a long message wraps over several rows, and the host drops rows from the bottom.
    const last = inbox.last(SCREEN_MESSAGES).reverse();
    const lines = last.map((m) => ({ label: nameOf(m.from, m.name).slice(0, SCREEN_LABEL_CHARS), value: m.text }));
    mesh.screen('Chat', lines.length ? lines : [{ label: o.name.slice(0, SCREEN_LABEL_CHARS), value: 'no messages yet' }]);
  }

  mesh.command({
    name: 'dm',
    help: 'dm <node> <text...>: message one node (64-hex id, id prefix or name), with a receipt',
    run(args, print) {
      if (args.length < 2) return print('usage: dm <node> <text...>');
      const found = findNode(args[0], directory, [{ id: me, name: o.name }, ...mesh.peers(), ...mesh.routes()]);
      if (!found.ok) return print(`dm: ${found.error}`);
      if (found.id === me) return print('dm: that is this node');
      const text = args.slice(1).join(' ');
      const bad = textError(text);
      if (bad) return print(`dm: ${bad}`);
      const id = newId();
      const address = addressOf(found.id);
      const r = sendTo(found.id, encode({ op: OP_DM, id, sender: me, text }, mesh), address);
      if (!r.ok) {
        const hint = address ? '' : '; no address for it in our tree yet, see who';
        return print(`dm #${id} to ${shortId(found.id)}: not sent (${r.error}${hint})`);
      }
      outbox.add(id, found.id, text, mesh.now());
      print(`dm #${id} to ${shortId(found.id)}: sent`);
    },
  });

  mesh.command({
    name: 'say',
    help: 'say <text...>: message every node on the chat topic',
    run(args, print) {
      if (args.length < 1) return print('usage: say <text...>');
      const text = args.join(' ');
      const bad = textError(text);
      if (bad) return print(`say: ${bad}`);
      if (!following.ok) return print(`say: not sent (not on topic "${o.topic}": ${following.error})`);
      const id = newId();
      const r = port.publish(o.topic, encode({ op: OP_SAY, id, sender: me, name: o.name, text }, mesh));
      print(r.ok ? `say #${id}: sent on "${o.topic}"` : `say: not sent (${r.error})`);
    },
  });

  mesh.command({
    name: 'inbox',
    help: 'inbox: messages received (oldest first), then the DMs sent and their receipts',
    run(_args, print) {
      const now = mesh.now();
      const received = inbox.list();
      const sent = outbox.list();
      print(`chat: ${received.length} received, ${sent.length} sent, ${dropped} dropped`);
      for (const m of received) print(`${age(now - m.at)} ${nameOf(m.from, m.name)} [${m.kind}]: ${m.text}`);
      for (const s of sent) print(`${age(now - s.at)} to ${nameOf(s.to)} #${s.id} ${s.delivered ? 'delivered' : 'pending'}: ${s.text}`);
    },
  });

  mesh.command({
    name: 'who',
    help: 'who: the nodes heard on the chat topic, most recent first',
    run(_args, print) {
      const now = mesh.now();
      print(`chat: ${directory.size} known; me: ${o.name} ${shortId(me)} on "${o.topic}"`);
      for (const c of directory.list()) {
        const newest = c.addresses[c.addresses.length - 1];
        const at = addressOf(c.id) ?? (newest ? `${newest} (not our tree)` : '?');
        print(`${shortId(c.id)} ${c.name || '-'} heard ${age(now - c.heard)} ago at ${at}`);
      }
    },
  });

  if (o.announceMs > 0 && following.ok) {
    // Checks start at a random phase: nodes powered on together then announce apart.
    mesh.setTimeout(() => {
      checkPresence();
      mesh.setInterval(checkPresence, PRESENCE_CHECK_MS);
    }, randomBelow(PRESENCE_CHECK_MS));
  }
  showScreen();

  return {
    stop(): void {
      // Timers, topic, commands and the screen page are the runner's to undo; nothing else is held.
    },
  };
}
