/**
 * The memory benchmark's ESP32-equivalent bytes (issue 21): an array's items are slots and a Map's
 * table holds slot pointers, so their chunks are half as wide on a 32-bit MCU as in xsnap.
 * `heapOfSnapshot` finds those chunks in a real worker's snapshot.
 */
import { esp32Bytes, openXS, xsnapAvailable } from '../../simulator/xs/xsnap.mjs';

const run = xsnapAvailable() ? test : test.skip;

/** Heap of a worker that keeps `n` things made by `make` (a JS expression over `i`). */
async function heapWith(n: number, make: string) {
  const source = `globalThis.keep = []; globalThis.handleInput = (s) => { for (let i = 0; i < ${n}; i++) keep.push(${make}); return 'ok'; };`;
  const session = await openXS(source, { name: 'mycelium-heap-width' });
  try {
    await session.run('go');
    return await session.heap();
  } finally {
    await session.close();
  }
}

run('half of an array\'s items and of a Map\'s table is counted as 64-bit width, nothing else', async () => {
  const none = await heapWith(0, '0');
  const arrays = await heapWith(100, '[i, i, i, i]');
  const buffers = await heapWith(100, 'new ArrayBuffer(64)');
  const maps = await heapWith(100, 'new Map([[i, i]])');
  // 100 four-item arrays: 4 slots of 32 B each, 64 B too wide apiece, plus `keep`'s own items.
  const keepItems = (arrays.wideBytes - none.wideBytes) - 100 * 64;
  expect(keepItems).toBeGreaterThanOrEqual(100 * 16);
  expect(keepItems).toBeLessThan(200 * 16);
  // Buffers of bytes are the same width everywhere: only `keep`'s items count.
  expect(buffers.wideBytes - none.wideBytes).toBe(keepItems);
  // A Map's table: at least one pointer (4 B too wide) each.
  expect(maps.wideBytes - none.wideBytes - keepItems).toBeGreaterThanOrEqual(100 * 4);
  // In ESP32-equivalent bytes an array of 4 numbers costs its slots, 4 × 16 B of items and an 8 B
  // header: the 64-bit chunk data counted at half.
  const perArray = (esp32Bytes(arrays) - esp32Bytes(none) - keepItems) / 100;
  expect(Math.abs(perArray - (((arrays.slots - none.slots) / 100) * 16 + 4 * 16 + 8))).toBeLessThan(1); // `keep`'s own header
}, 60_000);
