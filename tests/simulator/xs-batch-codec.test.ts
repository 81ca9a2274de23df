/** The XS runner's batches in bytes (xs-batch-codec.ts) give the worker the jobs the host queued. */
import { decodeBatch, encodeBatch, type TextCodec } from '../../simulator/xs/xs-batch-codec.js';
import { encodeOutlook, Outlook, type JobBatch } from '../../simulator/xs/xs-protocol.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';

const text: TextCodec = {
  encode: (s) => new TextEncoder().encode(s),
  decode: (b) => new TextDecoder().decode(b),
};

/** The bytes of an encoded batch in an ArrayBuffer of their own, as xsnap hands them over. */
function roundTrip(batch: JobBatch): JobBatch {
  const bytes = encodeBatch(batch, text);
  return decodeBatch(bytes.slice().buffer, text);
}

test('frames, MACs, fates, ticks and the other jobs come back as queued, in order, with the horizon', () => {
  const frame = Uint8Array.from({ length: 250 }, (_, k) => (k * 7) & 255);
  const batch: JobBatch = {
    now: 123_456.789,
    id: 98_765,
    ahead: [130_000.5, 99_001, Infinity],
    jobs: [
      { k: 'rx', i: 3, frame, mac: Uint8Array.of(1, 2, 3, 4, 5, 6), rssi: -71.25, linkLoss: 0.3183098861837907 },
      { k: 'sent', i: 70_000, mac: null, delivered: true },
      { k: 'tick', due: 129_999.125, id: 99_000 },
      { k: 'send', i: 2, order: { kind: 'ping', messageId: 17, size: 40, metric: Metric.dTree, dstId: 'ab'.repeat(32), dstAddress: undefined, dstTreeState: 0 } },
      { k: 'rx', i: 0, frame: new Uint8Array(0), mac: null, rssi: 0, linkLoss: 0 },
      { k: 'sent', i: 1, mac: Uint8Array.of(9, 8, 7, 6, 5, 4), delivered: false },
      { k: 'cmd', i: 4, line: 'ping ü → 🙂' },
      { k: 'views' },
    ],
  };
  expect(roundTrip(batch)).toEqual(batch);
  const { ahead, ...noAhead } = batch;
  expect(ahead).toBeDefined();
  expect(roundTrip(noAhead)).toEqual(noAhead);
  expect(roundTrip({ now: 0, id: 1, jobs: [] })).toEqual({ now: 0, id: 1, jobs: [] });
});

test("the nodes' outlook comes back byte for byte, with or without the horizon", () => {
  const outlook = encodeOutlook([
    { up: true, radioOn: true, room: 16, oneTimerPerFrame: true, busyUntil: -Infinity },
    { up: true, radioOn: false, room: 40, oneTimerPerFrame: false, busyUntil: 1234.5 },
    { up: false, radioOn: true, room: -1, oneTimerPerFrame: true, busyUntil: 7 },
  ]);
  expect(Array.from(outlook.subarray(0, 3))).toEqual([
    Outlook.UP | Outlook.RADIO_ON | Outlook.ONE_TIMER | (16 << Outlook.ROOM_SHIFT),
    Outlook.UP | (Outlook.ROOM_MAX << Outlook.ROOM_SHIFT),
    Outlook.RADIO_ON | Outlook.ONE_TIMER,
  ]);
  const view = new DataView(outlook.buffer);
  expect([3, 11, 19].map((o) => view.getFloat64(o, true))).toEqual([-Infinity, 1234.5, 7]);
  const jobs: JobBatch['jobs'] = [{ k: 'tick', due: 5, id: 6 }];
  for (const batch of [{ now: 1, id: 2, outlook, jobs }, { now: 1, id: 2, ahead: [3, 4, 5] as const, outlook, jobs }]) {
    const back = roundTrip(batch);
    expect(Array.from(back.outlook ?? [])).toEqual(Array.from(outlook));
    expect({ ...back, outlook: undefined }).toEqual({ ...batch, outlook: undefined });
  }
});

test('each frame and MAC decodes into bytes of its own, not a view of the batch', () => {
  const decoded = roundTrip({ now: 1, id: 2, jobs: [{ k: 'rx', i: 0, frame: Uint8Array.of(5, 6, 7), mac: Uint8Array.of(1, 2, 3, 4, 5, 6), rssi: -50, linkLoss: 0.5 }] });
  const job = decoded.jobs[0];
  if (job.k !== 'rx' || job.mac === null) throw new Error('not an rx job with a MAC');
  for (const bytes of [job.frame, job.mac]) {
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(bytes.length);
  }
});
