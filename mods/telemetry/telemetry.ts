/**
 * Telemetry: every node publishes a small reading (uptime, free heap, peers, battery, address)
 * on a Gossip topic every `interval_s`; a node set as collector keeps the latest reading of
 * each node and lists them with `telemetry`, so one board (or the simulator) shows the health
 * of the whole mesh without logging in to each node.
 *
 * Each node's first reading comes after an offset taken from its id (phase.ts), so nodes that
 * start together spread their readings over the interval. Only collectors subscribe: Gossip
 * relays a topic's messages on every node whether it follows the topic or not.
 *
 * Wire format: codec.ts. Command: telemetry [collect on|off]. Screen (collector): node count
 * and the four nodes heard most recently, each with the reading's age, uptime and battery (or heap).
 */
import type { AppInstance, MeshApi, Received, SendResult } from '../../modules/mesh-api/api.js';
import { decodeReading, encodeReading, type Reading } from './codec.js';
import { Collector, type Heard } from './collector.js';
import { telemetryOptions } from './options.js';
import { phaseMs } from './phase.js';
import { duration, shortId } from './format.js';

/** Nodes on the screen page: the count, then two rows a node, fill its 9 rows. */
const SCREEN_NODES = 4;
const TITLE = 'Telemetry';

export default function start(mesh: MeshApi, options: Readonly<Record<string, unknown>>): AppInstance {
  const o = telemetryOptions(options);
  /** Present while collecting. */
  let collector: Collector | undefined;
  /** Malformed readings and messages off our topic, shown by `telemetry`. */
  let dropped = 0;

  const port = mesh.register({ name: 'telemetry', description: 'mycelium telemetry', version: 1, receive });

  function receive(data: Uint8Array, info: Received): void {
    const reading = info.topic === o.topic ? decodeReading(data, mesh) : undefined;
    if (!reading) {
      dropped++;
      return;
    }
    if (!collector) return; // a reading already on its way when collecting stopped
    collector.add(reading, mesh.now());
    showScreen();
  }

  function publish(): void {
    const s = mesh.system();
    const reading = {
      node: mesh.nodeId,
      uptimeS: Math.floor(s.uptimeMs / 1000),
      ...(s.freeHeap !== undefined && { freeHeap: s.freeHeap }),
      peers: mesh.peers().length,
      ...(s.battery !== undefined && { battery: s.battery }),
      address: mesh.address() ?? '',
    };
    // A failure (Gossip not started yet) is not worth a line: the next interval tries again.
    port.publish(o.topic, encodeReading(reading, mesh));
  }

  function collect(on: boolean): SendResult {
    if (on && !collector) {
      const r = port.subscribe(o.topic);
      if (!r.ok) return r;
      collector = new Collector(o.maxNodes);
      showScreen();
    } else if (!on && collector) {
      port.unsubscribe(o.topic);
      collector = undefined;
      mesh.screen(TITLE, []);
    }
    return { ok: true };
  }

  function showScreen(): void {
    if (!collector) return;
    const now = mesh.now();
    // A 135 px row holds about 14 digits: the id and the reading's age on one, its values on the next.
    const rows = collector.recent(SCREEN_NODES).flatMap((h) => [
      { label: shortId(h.reading.node), value: `${ageS(h, now)}s ago` },
      { label: '', value: screenValues(h.reading) },
    ]);
    mesh.screen(TITLE, [{ label: 'nodes', value: `${collector.size} of ${o.maxNodes}` }, ...rows]);
  }

  function line(h: Heard, now: number): string {
    const r = h.reading;
    const heap = r.freeHeap === undefined ? '-' : `${Math.round(r.freeHeap / 1024)}k`;
    return `${shortId(r.node)} ${ageS(h, now)}s up ${duration(r.uptimeS)} heap ${heap} peers ${r.peers} batt ${r.battery ?? '-'} addr ${r.address || '-'}`;
  }

  mesh.command({
    name: 'telemetry',
    help: 'telemetry [collect on|off]: the latest reading of every node (on a collector), or switch collecting',
    run(args, print) {
      if (args.length === 2 && args[0] === 'collect' && (args[1] === 'on' || args[1] === 'off')) {
        const r = collect(args[1] === 'on');
        if (!r.ok) return print(`telemetry: cannot collect (${r.error})`);
        return print(collector ? `telemetry: collecting on "${o.topic}" (up to ${o.maxNodes} nodes)` : 'telemetry: not collecting');
      }
      if (args.length !== 0) return print('usage: telemetry [collect on|off]');
      if (!collector) return print('telemetry: this node does not collect; "telemetry collect on" starts (or set the option collector: true)');
      const now = mesh.now();
      print(`telemetry: ${collector.size} nodes${dropped ? `, ${dropped} bad messages dropped` : ''}`);
      for (const h of collector.byId()) print(line(h, now));
    },
  });

  if (o.collector) {
    const r = collect(true);
    if (!r.ok) mesh.log(`telemetry: cannot collect on "${o.topic}" (${r.error}); publishing only`);
  }
  mesh.setTimeout(() => {
    publish();
    mesh.setInterval(publish, o.intervalMs);
  }, phaseMs(mesh.nodeId, o.intervalMs));

  return {
    stop(): void {
      // Timers, the subscription, the command and the screen page are the runner's to undo.
    },
  };
}

/** Uptime, then the battery where the node has a gauge, else its free heap: "up 5m05s 87%". */
function screenValues(r: Reading): string {
  const extra = r.battery !== undefined ? ` ${r.battery}%` : r.freeHeap !== undefined ? ` ${Math.round(r.freeHeap / 1024)}k` : '';
  return `up ${duration(r.uptimeS)}${extra}`;
}

function ageS(h: Heard, now: number): number {
  return Math.max(0, Math.floor((now - h.at) / 1000));
}
