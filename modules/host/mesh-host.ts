/**
 * Everything a board or the simulator host runs, wired once: the Node with its radio, upstream's
 * five apps (Beacon, Gossip, SpanningTree, Ping, DebugApp), the console, the settings, the
 * activity feed for LEDs and the status pages for screens. A host's `main` only adds what is
 * its own: pins, LEDs, buttons, the screen and where console lines go.
 */
import { Node } from '../mycelium/node.js';
import type { Platform } from '../mycelium/platform/platform.js';
import type { Radio } from '../mycelium/packager/radio.js';
import type { InterfaceOptions } from '../mycelium/packager/options.js';
import type { Beacon } from '../mycelium/apps/beacon.js';
import type { Gossip } from '../mycelium/apps/gossip.js';
import type { SpanningTree } from '../mycelium/apps/spanning-tree.js';
import type { Ping } from '../mycelium/apps/ping.js';
import type { DebugApp } from '../mycelium/apps/debug.js';
import { addStandardApps, type StandardAppOptions } from '../mycelium/apps/standard.js';
import { addStoreForward, type StoreForwardParams } from '../mycelium/apps/store-forward.js';
import { MeshConsole } from '../console/console.js';
import { TrafficMeter } from '../console/traffic-meter.js';
import { screenPages, type StatusPage, type StatusPageOptions, type AppPage } from '../status/pages.js';
import { withBattery } from '../status/input.js';
import type { NodeState } from '../mycelium/node.js';
import { BUILTIN_NAMES } from '../console/commands/table.js';
import { AppRunner } from '../mesh-api/app-runner.js';
import type { AppMain, ScreenLine } from '../mesh-api/api.js';
import { Settings } from './settings.js';
import { watchActivity, type Activity } from './activity.js';
import { radioDefaults } from './radio-defaults.js';
import { addHostSecurity, hostKey } from '../mycelium/signed/host-security.js';
import type { SignedTree } from '../mycelium/signed/signed-tree.js';

/** Firmware version, printed by the console's `version`. */
export const FIRMWARE_VERSION = '0.1.0';

export interface MeshHostOptions {
  readonly platform: Platform;
  readonly radio: Radio;
  /**
   * A second radio beside `radio` (a RYLR-998 beside ESP-NOW: `lora=bridge`), with its own
   * interface timings; Hello and Gossip are kept off it (modules/rylr998/bridge.ts).
   */
  readonly bridge?: { readonly radio: Radio; readonly options: InterfaceOptions };
  /** The chip's unique id (its MAC): node id = SHA-256(SHA-256(id)) as upstream. */
  readonly uniqueId?: Uint8Array;
  /** Settings read at start; default: over `platform.storage`. */
  readonly settings?: Settings;
  /** Console output, one line per call (serial port, trace, a test's array). */
  readonly write: (line: string) => void;
  readonly reset?: () => void;
  /** The console's `quit`: end the node program (a desktop host; a board has nothing to quit). */
  readonly quit?: () => void;
  /** Parameters of the standard apps; the `beacon_s` setting still sets the beacon interval. */
  readonly apps?: StandardAppOptions;
  /** Run StoreForward (held messages, docs/store-forward.md): true or its parameters; default off. */
  readonly storeForward?: boolean | Partial<StoreForwardParams>;
  readonly battery?: () => number | undefined;
  /** Free heap in bytes, where the build can tell (for apps' `system()`). */
  readonly freeHeap?: () => number | undefined;
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
  readonly debug: DebugApp | undefined;
  /** The signed layer, when the `security` setting is signed or mixed (and the platform signs). */
  readonly signed: SignedTree | undefined;
  readonly console: MeshConsole;
  /** Frame rates and airtime since boot, for every console's `status`. */
  readonly traffic: TrafficMeter;
  readonly #battery: (() => number | undefined) | undefined;
  readonly #freeHeap: (() => number | undefined) | undefined;
  readonly #write: (line: string) => void;
  readonly #apps: AppRunner[] = [];
  /** Screen pages the apps asked for, by app name. */
  readonly #appPages = new Map<string, AppPage>();
  #unwatch: (() => void) | undefined;
  readonly #onActivity: ((a: Activity) => void) | undefined;

  constructor(o: MeshHostOptions) {
    const platform = o.platform;
    this.settings = o.settings ?? new Settings(platform.storage);
    const s = this.settings;
    // A LoRa radio brings its own timings (radio-defaults.ts); the host's options go over them.
    const forRadio = radioDefaults(o.radio);
    const security = s.security;
    const key = hostKey(platform, security);
    this.node = new Node({ platform, uniqueId: o.uniqueId, key, radios: [o.radio], modemSleep: s.modemSleep, packager: forRadio?.packager });
    const floorMs = forRadio?.apps.beacon?.beacon_interval ?? 0; // the duty budget's, not to be undercut by beacon_s
    // A bridge hears its LoRa neighbours' beacons only at LoRa's pace: any frame keeps them.
    const bridged = o.bridge ? { any_frame_keeps_peer: true } : undefined;
    const beacon = { ...bridged, ...forRadio?.apps.beacon, ...o.apps?.beacon, beacon_interval: Math.max(floorMs, s.beaconSeconds * 1000) };
    const apps = addStandardApps(this.node, { ...forRadio?.apps, ...o.apps, beacon });
    if (o.bridge) {
      const quiet = [apps.gossip.id, ...(apps.hello ? [apps.hello.id] : [])];
      this.node.addRadio(o.bridge.radio, { ...o.bridge.options, quietApps: [...(o.bridge.options.quietApps ?? []), ...quiet] });
    }
    this.beacon = apps.beacon;
    this.gossip = apps.gossip;
    this.tree = apps.tree;
    this.ping = apps.ping;
    this.debug = apps.debug;
    this.signed = key ? addHostSecurity(this.node, platform, key, security, apps.debug) : undefined;
    if (o.storeForward) addStoreForward(this.node, o.storeForward === true ? {} : o.storeForward, platform);
    this.#battery = o.battery;
    this.#freeHeap = o.freeHeap;
    this.#write = o.write;
    this.#onActivity = o.onActivity;
    this.traffic = new TrafficMeter(this.node);
    this.console = new MeshConsole(
      {
        node: this.node,
        traffic: this.traffic,
        config: this.settings,
        version: o.version ?? FIRMWARE_VERSION,
        reset: o.reset,
        quit: o.quit,
        battery: o.battery,
      },
      o.write,
    );
  }

  start(): void {
    if (this.#onActivity && !this.#unwatch) this.#unwatch = watchActivity(this.node.packager, this.#onActivity);
    this.node.start();
    this.traffic.start();
  }

  stop(): void {
    for (const app of this.#apps) app.stop();
    this.console.stop();
    this.traffic.stop();
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.node.stop();
  }

  /** One line typed by the user. */
  input(line: string): void {
    this.console.exec(line);
  }

  /**
   * Run a mesh app (an installed mod's entry, or one built in) on this node through the mesh
   * API. It may add console commands and a screen page; if it throws it is stopped, the error
   * is printed on the console, and the mesh keeps running. Returns its runner (status, stop).
   */
  startApp(name: string, main: AppMain | undefined, options: Readonly<Record<string, unknown>> = {}): AppRunner {
    const runner = new AppRunner(name, {
      node: this.node,
      hashes: this.node.platform,
      name: this.settings.name,
      battery: this.#battery,
      freeHeap: this.#freeHeap,
      log: (line) => this.#write(line),
      screen: (title, lines) => this.#setAppPage(name, title, lines),
      reservedCommands: BUILTIN_NAMES,
      onFailure: (app, error) => this.#write(`app ${app} stopped: ${error}`),
    });
    this.#apps.push(runner);
    runner.start(main, options);
    return runner;
  }

  /** The apps started on this host, running or not. */
  get apps(): readonly AppRunner[] {
    return this.#apps;
  }

  /** The node's state with this host's battery reading (what the screen and `status` show). */
  state(): NodeState {
    return withBattery(this.node.state(), this.#battery);
  }

  /**
   * What the screen shows now, laid out for its rows (`SCREEN_PAGE_OPTIONS` from status/screen
   * for the 135 px screen; by default 9 rows of 20 characters). The node, its peers, then one
   * page per app that asked for one.
   */
  pages(options: StatusPageOptions = {}): StatusPage[] {
    return screenPages(this.state(), this.#appPages.values(), options);
  }

  #setAppPage(app: string, title: string, lines: readonly ScreenLine[]): void {
    if (lines.length === 0) this.#appPages.delete(app);
    else this.#appPages.set(app, { title: title || app, lines: lines.map((l) => ({ label: l.label, value: l.value })) });
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
