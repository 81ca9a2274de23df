/** Proof-of-work weighting of root claims (signed/root-work.ts): the arithmetic and the bounds. */
import { WorkBook, creditedBits, grindWork, leadingZeroBits, loadRootWork, weightedScore, workBits, ROOT_WORK_STORAGE } from '../../modules/mycelium/signed/root-work.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { compareBytes } from '../../modules/mycelium/wire/bytes.js';
import { ROOT_ID_TARGETS } from '../../modules/mycelium/wire/ids.js';
import { seal, unseal } from '../../modules/mycelium/signed/tree-seal.js';
import { keyOf } from '../support/signed-mesh.js';
import type { Platform } from '../../modules/mycelium/platform/platform.js';

test('leading zero bits', () => {
  expect(leadingZeroBits(Uint8Array.of(0x80))).toBe(0);
  expect(leadingZeroBits(Uint8Array.of(0, 0x01, 0xff))).toBe(15);
  expect(leadingZeroBits(new Uint8Array(32))).toBe(256);
});

test('grinding finds the best nonce of its budget, and its bits verify with one hash', () => {
  const key = keyOf(3).publicKey;
  const w = grindWork(portableHashes, key, 4096);
  expect(w.bits).toBeGreaterThanOrEqual(8); // best of 2^12 attempts: ≈ 12 bits, ≥ 8 with overwhelming odds
  expect(workBits(portableHashes, key, w.nonce)).toBe(w.bits);
  expect(workBits(portableHashes, key, w.nonce.subarray(1))).toBe(0); // malformed: no work
});

test('work ranks before the claim score: the best possible id without work loses to any work', () => {
  const best = ROOT_ID_TARGETS[0]; // claim score 0
  const worst = ROOT_ID_TARGETS[0].map((b) => b ^ 0xff);
  expect(compareBytes(weightedScore(worst, 1), weightedScore(best, 0))).toBeLessThan(0);
  expect(compareBytes(weightedScore(best, 5), weightedScore(worst, 5))).toBeLessThan(0); // equal work: upstream's order
});

test('the work book keeps the most-worked keys; keys without enough work cannot evict them', () => {
  const book = new WorkBook('own', { nonce: new Uint8Array(8), bits: 3 }, () => 3);
  book.learn('honest', new Uint8Array(8), 12);
  book.learn('a', new Uint8Array(8), 5);
  for (let i = 0; i < 100; i++) book.learn(`flood${i}`, new Uint8Array(8), 4); // less than every kept key
  expect(book.bits('honest')).toBe(12);
  expect(book.bits('a')).toBe(5);
  expect(book.bits('own')).toBe(3);
  book.learn('b', new Uint8Array(8), 20); // more work: the weakest other than our own goes
  expect(book.bits('a')).toBe(0);
  expect(book.bits('own')).toBe(3);
  book.learn('honest', new Uint8Array(8), 11); // less than held: ignored
  expect(book.bits('honest')).toBe(12);
});

test('the node grinds once and keeps its nonce in storage; a new key grinds again', () => {
  const store = new Map<string, Uint8Array>();
  let hashes = 0;
  const platform = {
    sha256: (d: Uint8Array) => (hashes++, portableHashes.sha256(d)),
    storage: { get: (k: string) => store.get(k), set: (k: string, v: Uint8Array) => void store.set(k, v) },
  } as unknown as Platform;
  const key = keyOf(1).publicKey;
  const first = loadRootWork(platform, key, 1000);
  expect(hashes).toBe(1000);
  expect(store.get(ROOT_WORK_STORAGE)?.length).toBe(40);
  const again = loadRootWork(platform, key, 1000);
  expect(hashes).toBe(1001); // one hash to check the stored nonce
  expect(again).toEqual(first);
  loadRootWork(platform, keyOf(2).publicKey, 1000);
  expect(hashes).toBe(2001);
});

test('a sealed claim carries the root work nonce after its signature, and unseals without it as before', () => {
  const sender = new Uint8Array(32).fill(3);
  const inner = new Uint8Array(90).fill(7);
  inner.set(sender, 58); // the sender's node id, the message's last field, left out on the air
  const sig = new Uint8Array(64).fill(9);
  const nonce = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const sealed = seal(inner, 5, sig);
  expect(sealed.length).toBe(126);
  const plain = unseal(sealed, sender)!;
  expect(plain.work).toBeUndefined();
  expect(Array.from(plain.inner)).toEqual(Array.from(inner));
  const withWork = unseal(seal(inner, 5, sig, nonce), sender)!;
  expect(Array.from(withWork.work!)).toEqual(Array.from(nonce));
  expect(Array.from(withWork.inner)).toEqual(Array.from(inner));
  expect(unseal(new Uint8Array(126 + 5), sender)).toBeUndefined();
  expect(unseal(new Uint8Array(90 + 68), sender)).toBeUndefined(); // the form before session 8
  expect(unseal(sealed, new Uint8Array(31))).toBeUndefined();
});

test('with a floor F, every score bit claimed costs at least 2^F hash attempts', () => {
  for (const floor of [10, 20]) {
    expect(creditedBits(floor - 1, floor)).toBe(0); // below the floor: nothing
    for (let w = floor; w <= floor + 16; w++) {
      const bits = creditedBits(w, floor);
      expect(bits).toBe(w - floor + 1);
      expect(2 ** w / bits).toBeGreaterThanOrEqual(2 ** floor); // expected attempts for w bits, per score bit
    }
  }
  // Below the floor, more work buys nothing; from it on, one bit more is a better score.
  const claim = new Uint8Array(32).fill(7);
  expect(weightedScore(claim, 19, 20)).toEqual(weightedScore(claim, 0, 20));
  expect(compareBytes(weightedScore(claim, 21, 20), weightedScore(claim, 20, 20))).toBeLessThan(0);
});

test('grinding to the floor stops at the first nonce that reaches it', () => {
  const key = new Uint8Array(32).fill(9);
  const w = grindWork(portableHashes, key, 1 << 16, 0, 8);
  expect(w.bits).toBeGreaterThanOrEqual(8);
  expect(workBits(portableHashes, key, w.nonce)).toBe(w.bits);
});
