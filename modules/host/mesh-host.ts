/**
 * Everything a board or the simulator host runs, wired once: the Node with its radio, upstream's
 * five apps (Beacon, Gossip, SpanningTree, Ping, DebugApp), the console, the settings, the
 * activity feed for LEDs and the status pages for screens. A host's `main` only adds what is
 * its own: pins, LEDs, buttons, the screen and where console lines go.
 */
import { Node } from '../mycelium/node.js';
import type { Platform } from '../mycelium/platform/platform.js';
import type { Radio } from '../mycelium/packager/radio.js';
import { Beacon } from '../mycelium/apps/beacon.js';
import { Gossip } from '../mycelium/apps/gossip.js';
import { SpanningTree } from '../mycelium/apps/spanning-tree.js';
import { Ping } from '../mycelium/apps/ping.js';
import { DebugApp } from '../mycelium/apps/debug.js';
import { MeshConsole } from '../console/console.js';
import { statusPages, type StatusPage } from '../status/pages.js';
import { statusInputOf } from '../status/input.js';
import { Settings } from './settings.js';
import { watchActivity, type Activity } from './activity.js';

/** Firmware version, printed by the console's `version`. */
export const FIRMWARE_VERSION = '0.1.0';

export interface MeshHostOptions {
  readonly platform: Platform;
  readonly radio: Radio;
  /** The chip's unique id (its MAC): node id = SHA-256(SHA-256(id)) as upstream. */
  readonly uniqueId?: Uint8Array;
  /** Settings read at start; default: over `platform.storage`. */
  readonly settings?: Settings;
  /** Console output, one line per call (serial port, trace, a test's array). */
  readonly write: (line: string) => void;
  readonly reset?: () => void;
  readonly battery?: () => number | undefined;
  /** Each app frame sent or received (LEDs). */
  readonly onActivity?: (a: Activity) => void;
  readonly version?: string;
}

export class MeshHost {
  readonly node: Node;
  readonly settings: Settings;
  readonly beacon: Beacon;
  readonly gossip: Gossip;
  readonly tree: SpanningTree;
  readonly ping: Ping;
  readonly debug: DebugApp;
  readonly console: MeshConsole;
  readonly #battery: (() => number | undefined) | undefined;
  #unwatch: (() => void) | undefined;
  readonly #onActivity: ((a: Activity) => void) | undefined;

  constructor(o: MeshHostOptions) {
    const platform = o.platform;
    this.settings = o.settings ?? new Settings(platform.storage);
    const s = this.settings;
    this.node = new Node({ platform, uniqueId: o.uniqueId, radios: [o.radio], modemSleep: s.modemSleep });
    const hashes = platform;
    this.beacon = new Beacon(hashes, { beacon_interval: s.beaconSeconds * 1000 });
    this.gossip = new Gossip(hashes);
    this.tree = new SpanningTree(hashes);
    this.ping = new Ping(hashes);
    this.debug = new DebugApp(hashes);
    for (const app of [this.beacon, this.gossip, this.tree, this.ping, this.debug]) this.node.addApp(app);
    this.#battery = o.battery;
    this.#onActivity = o.onActivity;
    this.console = new MeshConsole(
      {
        node: this.node,
        ping: this.ping,
        gossip: this.gossip,
        tree: this.tree,
        debug: this.debug,
        config: this.settings,
        version: o.version ?? FIRMWARE_VERSION,
        reset: o.reset,
        battery: o.battery,
      },
      o.write,
    );
  }

  start(): void {
    if (this.#onActivity && !this.#unwatch) this.#unwatch = watchActivity(this.node.packager, this.#onActivity);
    this.node.start();
  }

  stop(): void {
    this.console.stop();
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.node.stop();
  }

  /** One line typed by the user. */
  input(line: string): void {
    this.console.exec(line);
  }

  /** What the screen shows now: `width` characters per line fit a 135-pixel screen at 16 px. */
  pages(linesPerPage?: number, width?: number): StatusPage[] {
    return statusPages(statusInputOf({ node: this.node, tree: this.tree, battery: this.#battery }), { linesPerPage, width });
  }

  // Upstream's button actions (protocol.md §8.3).

  /** Button A (PLUS2) / the M5Stamp's button: announce ourselves now. */
  beaconNow(): void {
    this.beacon.broadcast();
  }

  /** Button B (PLUS2): advertise our tree. */
  treeBroadcast(): void {
    this.tree.broadcast();
  }

  /** Power button (PLUS2): run a tree maintenance round now. */
  treeMaintain(): void {
    this.tree.maintain();
  }
}
