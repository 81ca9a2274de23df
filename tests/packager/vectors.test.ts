import { readFileSync } from 'node:fs';
import { runPackagerVectors } from './packager-vectors.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';

const cases = JSON.parse(readFileSync('tests/vectors/upstream-vectors.json', 'utf8')).categories.packager.cases;

test('a real Packager puts upstream\'s bytes on the air for all 78 packager vectors', () => {
  const r = runPackagerVectors(cases, nodeHashes);
  expect(r.failures).toEqual([]);
  expect(r.passed).toBe(78);
});

test('the replay catches a wrong byte', () => {
  const bad = JSON.parse(JSON.stringify(cases.filter((c: { kind: string }) => c.kind === 'send_direct').slice(0, 1)));
  bad[0].datagrams[0] = bad[0].datagrams[0].slice(0, 8) + 'ff' + bad[0].datagrams[0].slice(10);
  expect(runPackagerVectors(bad, nodeHashes).failed).toBe(1);
});
