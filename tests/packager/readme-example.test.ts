import { twoNodes } from '../../simulator/demo/two-nodes.js';

test('the two-node example of docs/packager.md delivers the blob and gets the ack', () => {
  const lines: string[] = [];
  twoNodes((l) => lines.push(l));
  expect(lines).toEqual(['hello', 'sent on schema 0; acks received by a: 1']);
});
