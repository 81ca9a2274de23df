/**
 * What Hello's link estimate adds to a Packager's tables on the device engine (issue 21): a
 * Packager told of 64 peers with their routes (bench/memory-table.ts, as the memory benchmark's
 * "with Hello's link estimate" row weighs it) with and without an estimate each, weighed in XS in
 * ESP32-equivalent bytes. Five numbers in 4 B words and a presence byte, in columns sized to the
 * peer cap: 46 B a peer when the numbers were 8 B floats (session 24), 26 B in words.
 */
import { fileURLToPath } from 'node:url';
import { bundleForXS } from '../../simulator/xs/bundle.mjs';
import { esp32Bytes, openXS, xsnapAvailable } from '../../simulator/xs/xsnap.mjs';

const run = xsnapAvailable() ? test : test.skip;
const PEERS = 64;

run("a peer's link estimate adds under 30 B to the Packager's tables in XS", async () => {
  const script = await bundleForXS(fileURLToPath(new URL('../../bench/memory-entry.ts', import.meta.url)));
  const weigh = async (hello: boolean) => {
    const session = await openXS(script, { name: 'mycelium-estimate-heap' });
    try {
      await session.run(JSON.stringify({ op: 'tables', peers: PEERS, hello }));
      return esp32Bytes(await session.heap());
    } finally {
      await session.close();
    }
  };
  const perEstimate = ((await weigh(true)) - (await weigh(false))) / PEERS;
  expect(perEstimate).toBeGreaterThan(20); // the words themselves
  expect(perEstimate).toBeLessThan(30);
}, 60_000);
