/**
 * The chat mod (mods/chat): its wire format, its tables, and the app itself run through
 * AppRunner on virtual-clock meshes — a DM across a 6-node line with its receipt, a SAY that
 * reaches every node, duplicates, lookups, limits and option errors.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { line, runApp, runUntil, type ModNode, type OptionsOf } from './support.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { bytesEqual, fromHex as hostFromHex } from '../../modules/mycelium/wire/bytes.js';
import chat from '../../mods/chat/chat.js';
import { MAX_TEXT_BYTES, OP_DM, OP_HELLO, OP_RECEIPT, OP_SAY, decode, encode, type ChatMessage } from '../../mods/chat/codec.js';
import { cutUtf8 } from '../../mods/common/bytes.js';
import { Directory, addressIn, findNode } from '../../mods/chat/directory.js';
import { Inbox } from '../../mods/chat/inbox.js';

const text = { encodeText: (s: string) => new TextEncoder().encode(s), decodeText: (b: Uint8Array) => new TextDecoder().decode(b) };
const A = '01'.repeat(32);
const B = 'ab'.repeat(32);

describe('wire format', () => {
  const samples: ChatMessage[] = [
    { op: OP_DM, id: 0xfeedbeef, sender: A, text: 'hello, café ☕' },
    { op: OP_RECEIPT, id: 7, receiver: B },
    { op: OP_SAY, id: 1, sender: B, name: 'Zoë', text: 'x'.repeat(MAX_TEXT_BYTES) },
    { op: OP_HELLO, seq: 123456, node: A, address: '1-10::', name: 'n0' },
    { op: OP_HELLO, seq: 0, node: B, address: '', name: '' },
  ];

  test.each(samples.map((m) => [m.op, m] as const))('op %i round-trips', (_op, m) => {
    expect(decode(encode(m, text), text)).toEqual(m);
  });

  test('a DM is op 1, big-endian id, the raw sender id, then the UTF-8 text', () => {
    const bytes = encode({ op: OP_DM, id: 0x01020304, sender: A, text: 'hi' }, text);
    expect([...bytes.subarray(0, 5)]).toEqual([1, 1, 2, 3, 4]);
    expect(bytes.subarray(5, 37)).toEqual(hostFromHex(A));
    expect(text.decodeText(bytes.subarray(37))).toBe('hi');
  });

  test('malformed messages decode to undefined and never throw', () => {
    const hello = encode({ op: OP_HELLO, seq: 1, node: A, address: '1-10::', name: 'n0' }, text);
    const say = encode({ op: OP_SAY, id: 1, sender: A, name: 'name', text: 'hi' }, text);
    const receipt = encode({ op: OP_RECEIPT, id: 1, receiver: A }, text);
    const bad: Uint8Array[] = [
      new Uint8Array(0),
      Uint8Array.of(OP_DM),
      encode({ op: OP_DM, id: 1, sender: A, text: 'x' }, text).subarray(0, 37), // no text
      new Uint8Array([OP_DM, ...new Uint8Array(36), ...new Uint8Array(MAX_TEXT_BYTES + 1).fill(65)]), // text too long
      receipt.subarray(0, 36), // truncated
      Uint8Array.of(...receipt, 0), // trailing byte
      hello.subarray(0, hello.length - 1), // truncated name
      Uint8Array.of(...hello, 0),
      say.subarray(0, 38 + 2), // name cut
      Uint8Array.of(...say.subarray(0, 37), 33, ...new Uint8Array(33).fill(65), 65), // name over 32 bytes
      Uint8Array.of(OP_HELLO, ...new Uint8Array(36), 49, ...new Uint8Array(49).fill(49), 0), // address over 48 bytes
      Uint8Array.of(0, ...receipt.subarray(1)), // op 0
      Uint8Array.of(5, ...say.subarray(1)), // op 5
      Uint8Array.of(255, ...say.subarray(1)),
    ];
    for (const b of bad) expect(decode(b, text)).toBeUndefined();
    // Seeded noise: whatever it decodes to, it does not throw.
    let seed = 1;
    for (let n = 0; n < 2000; n++) {
      const noise = new Uint8Array(n % 120).map(() => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24);
      if (noise.length) noise[0] = 1 + (n % 4);
      expect(() => decode(noise, text)).not.toThrow();
    }
  });

  test('text over 180 bytes is not encoded, and cuts keep whole characters', () => {
    expect(() => encode({ op: OP_DM, id: 1, sender: A, text: 'é'.repeat(91) }, text)).toThrow(RangeError);
    const e = text.encodeText('aé€😀');
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => text.decodeText(cutUtf8(e, n)))).toEqual(['a', 'a', 'aé', 'aé', 'aé', 'aé€', 'aé€', 'aé€', 'aé€', 'aé€😀']);
  });
});

describe('tables', () => {
  test('the directory keeps 32 nodes, evicting the one heard least recently', () => {
    const d = new Directory(32);
    const id = (n: number) => n.toString(16).padStart(64, '0');
    for (let n = 0; n < 32; n++) d.heard(id(n), 1000 + n, `node${n}`);
    d.heard(id(0), 5000); // heard again: now the freshest
    d.heard(id(99), 6000, 'late');
    expect(d.size).toBe(32);
    expect(d.get(id(1))).toBeUndefined();
    expect(d.get(id(0))?.name).toBe('node0');
    expect(d.list()[0].name).toBe('late');
  });

  test('a contact keeps its last 3 addresses; sending picks the newest in our tree', () => {
    const d = new Directory(4);
    const c = d.heard(A, 1, 'a', '5-10::');
    d.heard(A, 2, '', '7-11::'); // the tree re-forming: a new tree
    d.heard(A, 3, '', '5-12::'); // a late copy from the old tree
    expect(addressIn(c, '5-::')).toBe('5-12::');
    expect(addressIn(c, '7-1::')).toBe('7-11::');
    expect(addressIn(c, '9-::')).toBeUndefined();
    expect(addressIn(c, undefined)).toBeUndefined();
    d.heard(A, 4, '', '8-1::');
    d.heard(A, 5, '', '7-11::'); // heard again: newest, not twice
    expect(c.addresses).toEqual(['5-12::', '8-1::', '7-11::']);
    expect(c.name).toBe('a');
  });

  test('findNode: a full id, a unique prefix of 4+ digits, a name; errors name the problem', () => {
    const d = new Directory(8);
    d.heard('abcd' + '0'.repeat(60), 1, 'alice');
    d.heard('abce' + '0'.repeat(60), 1, 'bob');
    d.heard('9999' + '0'.repeat(60), 1, 'bob');
    const peer = '1234' + 'f'.repeat(60);
    expect(findNode('abcd', d, [{ id: peer }])).toEqual({ ok: true, id: 'abcd' + '0'.repeat(60) });
    expect(findNode('ALICE', d, [])).toEqual({ ok: true, id: 'abcd' + '0'.repeat(60) });
    expect(findNode('1234f', d, [{ id: peer }])).toEqual({ ok: true, id: peer });
    expect(findNode('me', d, [{ id: peer, name: 'me' }])).toEqual({ ok: true, id: peer });
    expect(findNode('e'.repeat(64), d, [])).toEqual({ ok: true, id: 'e'.repeat(64) });
    expect(findNode('abc', d, [])).toEqual({ ok: false, error: 'no such node "abc" (try who)' });
    expect(findNode('abc0', d, [])).toMatchObject({ ok: false, error: expect.stringContaining('no such node') });
    expect(findNode('bob', d, [])).toMatchObject({ ok: false, error: expect.stringMatching(/^ambiguous "bob": (abce0000, 99990000|99990000, abce0000)$/) });
  });

  test('the inbox keeps its limit and stores a repeated DM once', () => {
    const inbox = new Inbox(2);
    const m = { kind: 'dm' as const, id: 1, from: A, name: '', text: 'one', at: 0 };
    expect(inbox.add(m)).toBe(true);
    expect(inbox.add({ ...m, at: 1000 })).toBe(false); // a retry
    expect(inbox.add({ ...m, at: 120_000 })).toBe(true); // same id and text much later: a new message
    expect(inbox.add({ ...m, id: 2, text: 'two', at: 121_000 })).toBe(true);
    expect(inbox.list().map((x) => x.at)).toEqual([120_000, 121_000]);
  });
});

/** One tree, and every node lists every other at an address in that tree. */
function everyoneKnown(mesh: AppMesh, apps: readonly ModNode[]): boolean {
  if (!mesh.converged()) return false;
  const tree = `${apps[0].mesh.packager.address?.treeState}-`;
  return apps.every((a) => {
    const who = a.exec('who').slice(1);
    return who.length === apps.length - 1 && who.every((l) => l.includes(` at ${tree}`));
  });
}

/** A line of `count` chat nodes named n0…, run until everyone is known. */
function chatLine(count: number, options: OptionsOf = {}) {
  const mesh = new AppMesh({ seed: 3 });
  const nodes = line(mesh, count);
  const apps = runApp(nodes, chat, options, { name: (i) => `n${i}` });
  mesh.startAll();
  runUntil(mesh, () => everyoneKnown(mesh, apps), 600_000);
  expect(everyoneKnown(mesh, apps)).toBe(true);
  return { mesh, nodes, apps };
}

function chatFrames(mesh: AppMesh, from: ModNode, appId: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of mesh.medium.log) {
    if (!bytesEqual(f.from, from.mesh.radio.mac)) continue;
    const p = parsePacket(f.frame);
    const pkg = p.ok ? parsePackage(p.value.body) : undefined;
    if (pkg?.ok && bytesEqual(pkg.value.appId, appId)) out.push(pkg.value.blob);
  }
  return out;
}

describe('chat on a 6-node line', () => {
  test('a DM from one end reaches the other over 5 hops, and the receipt comes back', () => {
    const { mesh, apps } = chatLine(6);
    const [first, , , , , last] = apps;
    const sent = first.exec(`dm n5 hello over there`);
    expect(sent).toEqual([expect.stringMatching(new RegExp(`^dm #\\d+ to ${last.short}: sent$`))]);
    const id = /#(\d+)/.exec(sent[0])?.[1];
    runUntil(mesh, () => first.logs.some((l) => l.includes('delivered')), 30_000, 100);

    expect(last.logs).toContain(`chat: dm from ${first.short} (5 hops): hello over there`);
    expect(last.exec('inbox')).toEqual(['chat: 1 received, 0 sent, 0 dropped', expect.stringMatching(/^\d+s n0 \[dm\]: hello over there$/)]);
    expect(first.logs).toContain(`chat: dm #${id} delivered to ${last.short}`);
    expect(first.exec('inbox')).toEqual(['chat: 0 received, 1 sent, 0 dropped', expect.stringMatching(new RegExp(`^\\d+s to n5 #${id} delivered: hello over there$`))]);
    expect(last.screen).toEqual({ title: 'Chat', lines: [{ label: 'n0', value: 'hello over there' }] });
    expect(apps.flatMap((a) => a.failures)).toEqual([]);
  });

  test('a DM by id prefix, of the full 180 bytes, arrives whole', () => {
    const { mesh, apps } = chatLine(6);
    const long = 'ü'.repeat(90);
    expect(apps[4].exec(`dm ${apps[1].id.slice(0, 6)} ${long}`)[0]).toMatch(/: sent$/);
    runUntil(mesh, () => apps[4].exec('inbox').some((l) => l.includes('delivered')), 30_000, 100);
    expect(apps[1].exec('inbox')[1]).toMatch(new RegExp(`n4 \\[dm\\]: ${long}$`));
    expect(apps[4].exec('inbox')[1]).toContain('delivered');
  });

  test('a SAY reaches every node, the sender included, and shows on their screens', () => {
    const { mesh, apps } = chatLine(6);
    expect(apps[2].exec('say hello everyone')).toEqual([expect.stringMatching(/^say #\d+: sent on "chat"$/)]);
    runUntil(mesh, () => apps.every((a) => a.exec('inbox').length === 2), 30_000, 100);
    for (const a of apps) {
      expect(a.exec('inbox')).toEqual(['chat: 1 received, 0 sent, 0 dropped', expect.stringMatching(/^\d+s n2 \[say\]: hello everyone$/)]);
      expect(a.screen?.lines).toEqual([{ label: 'n2', value: 'hello everyone' }]);
    }
    expect(apps[5].logs).toContain('chat: n2 says: hello everyone');
    expect(apps[2].logs).toEqual([]); // its own SAY is in its inbox, not in its log
    expect(apps[2].exec('who')).toHaveLength(6); // nor in its directory
    apps[4].exec('say and a reply');
    runUntil(mesh, () => apps[0].exec('inbox').length === 3, 30_000, 100);
    expect(apps[0].screen?.lines).toEqual([{ label: 'n4', value: 'and a reply' }, { label: 'n2', value: 'hello everyone' }]); // newest first
  });

  test('a SAY of the full 180 bytes (too big for Gossip to re-flood, so announced and fetched) reaches every node', () => {
    const { mesh, apps } = chatLine(6);
    const long = '€'.repeat(60);
    expect(apps[0].exec(`say ${long}`)[0]).toMatch(/: sent on "chat"$/);
    runUntil(mesh, () => apps.every((a) => a.exec('inbox').length === 2), 60_000, 100);
    for (const a of apps) expect(a.exec('inbox')[1]).toMatch(new RegExp(`n0 \\[say\\]: ${long}$`));
  });

  test('a node announces its new address when the tree forms, long before announce_s', () => {
    const mesh = new AppMesh({ seed: 3 });
    const apps = runApp(line(mesh, 6), chat, { announce_s: 600 }, { name: (i) => `n${i}` });
    mesh.startAll();
    const formed = runUntil(mesh, () => mesh.converged(), 300_000);
    const known = runUntil(mesh, () => everyoneKnown(mesh, apps), 600_000);
    expect(formed + known).toBeLessThan(300_000);
    expect(known).toBeLessThan(90_000);
    expect(apps[5].exec('dm n0 found you')[0]).toMatch(/: sent$/);
  });

  test('a late HELLO from another tree does not hide the address in ours', () => {
    const { mesh, nodes, apps } = chatLine(3);
    const tree = nodes[0].packager.address?.treeState as number;
    const addressOf2 = () => apps[0].exec('who').find((l) => l.startsWith(apps[2].short))?.split(' at ')[1];
    expect(addressOf2()).toBe(nodes[2].packager.address?.toString());
    const topic = hostFromHex([...(apps[2].runner.handle?.apps[0].topics.keys() ?? [])][0]) as Uint8Array;
    const hello = (address: string) => encode({ op: OP_HELLO, seq: mesh.clock.now(), node: apps[2].id, address, name: 'n2' }, text);
    nodes[2].gossip.publish(topic, hello(`${(tree + 1) % 256}-1::`));
    mesh.run(2000);
    expect(addressOf2()).toBe(nodes[2].packager.address?.toString());
    expect(apps[0].exec('dm n2 still there?')[0]).toMatch(/: sent$/);
    mesh.run(2000);
    expect(apps[2].exec('inbox')[1]).toMatch(/n0 \[dm\]: still there\?$/);
    nodes[2].gossip.publish(topic, hello(`${tree}-1234::`));
    mesh.run(2000);
    expect(addressOf2()).toBe(`${tree}-1234::`);
  });

  test('dm to a node nobody knows, or to an ambiguous name, is refused with the reason', () => {
    const { mesh, apps } = chatLine(3, {});
    expect(apps[0].exec('dm beef hi')).toEqual(['dm: no such node "beef" (try who)']);
    expect(apps[0].exec('dm n9 hi')).toEqual(['dm: no such node "n9" (try who)']);
    expect(apps[0].exec('dm n1')).toEqual(['usage: dm <node> <text...>']);
    expect(apps[0].exec(`dm n2 ${'x'.repeat(181)}`)).toEqual(['dm: text is 181 bytes, at most 180']);
    expect(apps[0].exec('dm n0 me')).toEqual(['dm: that is this node']);
    // A full id that is not in the mesh: the mesh's own error.
    expect(apps[0].exec(`dm ${'ee'.repeat(32)} hi`)).toEqual([expect.stringMatching(/^dm #\d+ to eeeeeeee: not sent \(no_route; no address for it in our tree yet, see who\)$/)]);
    mesh.run(1000);
    expect(apps[0].exec('inbox')).toEqual(['chat: 0 received, 0 sent, 0 dropped']);
  });

  test('two nodes with one name make the name ambiguous', () => {
    const { apps } = chatLine(3, (i) => ({ name: i === 0 ? 'me' : 'twin' }));
    expect(apps[0].exec('dm twin hi')).toEqual([expect.stringMatching(/^dm: ambiguous "twin": [0-9a-f]{8}, [0-9a-f]{8}$/)]);
    expect(apps[0].exec(`dm ${apps[2].short} hi`)[0]).toMatch(/: sent$/);
  });
});

describe('chat between two neighbours', () => {
  function pair(options: Record<string, unknown> = {}) {
    const mesh = new AppMesh({ seed: 5 });
    const nodes = line(mesh, 2);
    const apps = runApp(nodes, chat, options, { name: (i) => `p${i}` });
    mesh.startAll();
    runUntil(mesh, () => apps.every((a) => a.exec('who').length === 2), 60_000);
    return { mesh, apps };
  }

  test('a DM that arrives twice is stored once, and answered with a receipt each time', () => {
    const { mesh, apps } = pair();
    const [a, b] = apps;
    const appId = a.runner.handle?.apps[0].id as Uint8Array;
    const id = Number(/#(\d+)/.exec(a.exec('dm p1 only once')[0])?.[1]);
    // The same DM again, byte for byte, as a resend would carry it, once the mesh's own
    // duplicate filter (10 s) has forgotten the first.
    mesh.run(12_000);
    a.mesh.packager.send(appId, encode({ op: OP_DM, id, sender: a.id, text: 'only once' }, text), { nodeId: b.mesh.node.nodeId });
    mesh.run(2000);
    const receipts = chatFrames(mesh, b, appId).filter((blob) => blob[0] === OP_RECEIPT);
    expect(receipts.map((r) => decode(r, text))).toEqual([
      { op: OP_RECEIPT, id, receiver: b.id },
      { op: OP_RECEIPT, id, receiver: b.id },
    ]);
    expect(b.exec('inbox').filter((l) => l.includes('[dm]'))).toHaveLength(1);
    expect(b.logs.filter((l) => l.includes('dm from'))).toHaveLength(1);
    expect(a.logs.filter((l) => l.includes('delivered'))).toHaveLength(1);
  });

  test('the inbox option bounds what is kept: the oldest goes first', () => {
    const { mesh, apps } = pair({ inbox: 2 });
    for (const word of ['one', 'two', 'three']) {
      apps[0].exec(`say ${word}`);
      mesh.run(1000);
    }
    expect(apps[1].exec('inbox').slice(1).map((l) => l.split(': ')[1])).toEqual(['two', 'three']);
  });

  test('a malformed or misdirected chat message is dropped and counted', () => {
    const { mesh, apps } = pair();
    const appId = apps[0].runner.handle?.apps[0].id as Uint8Array;
    apps[0].mesh.packager.send(appId, Uint8Array.of(9, 1, 2, 3), { nodeId: apps[1].mesh.node.nodeId });
    // A SAY must come on the topic, not as a send.
    apps[0].mesh.packager.send(appId, encode({ op: OP_SAY, id: 1, sender: apps[0].id, name: 'x', text: 'sneaky' }, text), { nodeId: apps[1].mesh.node.nodeId });
    mesh.run(1000);
    expect(apps[1].exec('inbox')).toEqual(['chat: 0 received, 0 sent, 2 dropped']);
    expect(apps[1].failures).toEqual([]);
  });
});

describe('options', () => {
  test('the name defaults to the board name, else the first 8 hex digits of the id', () => {
    const mesh = new AppMesh();
    const nodes = mesh.addApps(2);
    const apps = runApp(nodes, chat, {}, { name: (i) => (i === 0 ? 'kitchen' : '') });
    expect(apps[0].exec('who')[0]).toBe(`chat: 0 known; me: kitchen ${apps[0].short} on "chat"`);
    expect(apps[1].exec('who')[0]).toBe(`chat: 0 known; me: ${apps[1].short} ${apps[1].short} on "chat"`);
  });

  test.each([
    [{ inbox: 100 }, 'TypeError: chat: option "inbox" must be an integer 1-64, not 100'],
    [{ announce_s: 5 }, 'TypeError: chat: option "announce_s" must be 0 (never) or 10-86400 seconds, not 5'],
    [{ name: 'x'.repeat(33) }, 'TypeError: chat: option "name" must be a non-empty string of at most 32 UTF-8 bytes'],
    [{ topic: '' }, 'TypeError: chat: option "topic" must be a string of 1-64 characters'],
  ])('a bad option %j stops the app with an error naming it', (options, error) => {
    const mesh = new AppMesh();
    const [app] = runApp(mesh.addApps(1), chat, options);
    expect(app.runner.status).toEqual({ name: 'app0', state: 'failed', error });
    expect(app.failures).toEqual([error]);
  });

  test('announce_s 0: the node sends no HELLO, so others do not list it', () => {
    const mesh = new AppMesh({ seed: 3 });
    const nodes = line(mesh, 2);
    const apps = runApp(nodes, chat, (i) => ({ announce_s: i === 0 ? 0 : 10 }));
    mesh.startAll();
    mesh.run(60_000);
    expect(apps[0].exec('who')).toHaveLength(2); // it hears node 1
    expect(apps[1].exec('who')).toHaveLength(1); // node 1 never hears of it
  });
});
