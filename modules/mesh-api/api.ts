/**
 * The mesh API: everything a mesh app installed as a mod (mods/) may use. A host hands one
 * `MeshApi` object to the app's `start` function and nothing else: inside the Compartment the
 * app cannot import the Packager, the radio or any other host module, and the object it gets is
 * frozen, so the app cannot reach past it. The simulator hands the same object to the same app.
 *
 * Types only (no code), so an app imports them with `import type` and its compiled mod carries
 * no reference to the host. Bytes are `Uint8Array`; node ids are 64 hex digits; tree addresses
 * use upstream's text form, e.g. `1-10::`. Every call returns; failures come back as
 * `{ ok: false, error }`, never as exceptions, except misuse that is a bug in the app (a
 * wrong argument type), which throws a TypeError and so stops the app like any other throw.
 *
 * Bounds (a host may lower them): 4 registered apps, 16 pending timers, 8 console commands,
 * 8 topics, 9 screen lines of 40 characters, 16 KB per message (larger: `too_large`).
 */

/** What every send returns: `error` is a short code such as `no_route`, `too_large`, `stopped`. */
export type SendResult = { readonly ok: true; readonly id?: string } | { readonly ok: false; readonly error: string };

/**
 * Where a held message stands (docs/store-forward.md): `queued` at this node, `in_custody` at a
 * custodian nearer the destination, then one final status: `delivered` (the destination's
 * receipt came back), `expired` (its lifetime passed first), `evicted` (pushed out of a full store).
 */
export type HeldStatus = 'queued' | 'in_custody' | 'delivered' | 'expired' | 'evicted';

/** Where a message came from, as far as the mesh knows. */
export interface Received {
  /** The origin's tree address, for routed messages. */
  readonly from?: string;
  /** The node id of the last hop, when it is a known peer (for a direct message: the sender). */
  readonly peer?: string;
  /** Radio hops the message travelled (0: from this node itself); unknown for topic messages. */
  readonly hops?: number;
  /** The topic name, for a message published on a topic this app subscribed to. */
  readonly topic?: string;
  /** The sender's node id, for a held message (`hold`): the last hop may be a custodian. */
  readonly origin?: string;
}

export interface SendOptions {
  /** The destination's tree address, when the app knows it (otherwise the node's known route). */
  readonly address?: string;
  /** Routing metric: 'dTree' (default) or 'dCPL'. */
  readonly metric?: 'dTree' | 'dCPL';
  /**
   * Store and forward: when the destination cannot be reached now, the mesh holds the message
   * (here, then at a custodian) and delivers it once when the destination comes back, within
   * `lifetimeMs` (default 1 h). Needs a node id and StoreForward on both ends (`no_store_forward`
   * otherwise); the result carries an `id`, and `AppSpec.status` hears how it goes.
   */
  readonly hold?: boolean | { readonly lifetimeMs?: number };
}

/** The mesh side of one registered app: its id on the air and how it sends. */
export interface AppPort {
  /** The 16-byte app id, hex: SHA-256(name ‖ description ‖ version)[:16], as upstream. */
  readonly id: string;
  /**
   * Send `data` to one node, by node id (hex) or, with `options.address`, by tree address:
   * directly to a peer, else routed. Acknowledged hop by hop and retried by the mesh; an
   * end-to-end receipt is the app's business (mods/chat shows one).
   */
  send(node: string, data: Uint8Array, options?: SendOptions): SendResult;
  /** One frame to every node in radio range running this app (not relayed). */
  broadcast(data: Uint8Array): SendResult;
  /**
   * Flood `data` to every node of the mesh subscribed to `topic` (Gossip), this one included.
   * Gossip drops bytes it has already seen on the topic (for minutes): publishing the same
   * bytes again answers `duplicate`, so a periodic message should carry a counter or a time.
   * Topic messages carry no sender: put the sender's id in `data` when receivers need it.
   */
  publish(topic: string, data: Uint8Array): SendResult;
  /** Receive what is published on `topic` (through `AppSpec.receive`, with `topic` set). */
  subscribe(topic: string): SendResult;
  unsubscribe(topic: string): void;
  /** The status of a held message this app sent, while the node remembers it (the last 64). */
  held(id: string): HeldStatus | undefined;
}

export interface AppSpec {
  /** 1–32 characters; with description and version it makes the app id. */
  readonly name: string;
  readonly description?: string;
  readonly version?: number;
  /** Called for every message for this app: `data` is the app's to keep. */
  receive?(data: Uint8Array, info: Received): void;
  /** Called when a held message this app sent (`hold`) changes status; `id` is the send's. */
  status?(id: string, status: HeldStatus): void;
}

export interface PeerInfo {
  /** Node id, hex. */
  readonly id: string;
  /** Its known tree addresses, newest last. */
  readonly addresses: readonly string[];
  /** Milliseconds since we last heard it. */
  readonly lastHeardMs: number;
}

export interface RouteInfo {
  /** Node id, hex. */
  readonly id: string;
  readonly address: string;
}

/**
 * A label/value line on the host's screen. The M5StickC-PLUS2 shows 9 rows of 127 px: about 14
 * digits, or a short label and 8 digits beside it. A longer value continues on the next rows
 * (whole, not cut) until the page's rows run out, so keep values short and most important first.
 */
export interface ScreenLine {
  readonly label: string;
  readonly value: string;
}

export interface SystemInfo {
  readonly uptimeMs: number;
  /** Free heap in bytes, where the host can tell (debug and instrumented builds, the simulator). */
  readonly freeHeap?: number;
  /** Battery charge in percent, on boards that have a gauge. */
  readonly battery?: number;
}

/** A console command: `run` gets the words after the name and prints with `print`. */
export interface CommandSpec {
  /** Lower-case, no spaces; cannot replace a built-in command. */
  readonly name: string;
  readonly help: string;
  run(args: readonly string[], print: (line: string) => void): void;
}

export type TimerId = number;

export interface MeshApi {
  /** Version of this API (1); an app may refuse to start on a host older than it needs. */
  readonly apiVersion: number;
  /** This node's id, hex. */
  readonly nodeId: string;
  /** The board's name setting, or ''. */
  readonly nodeName: string;

  /** Join the mesh as an app; throws a TypeError on a bad name or when the app limit is reached. */
  register(spec: AppSpec): AppPort;

  /** Our newest tree address, or undefined before the tree gives us one. */
  address(): string | undefined;
  /** The spanning tree's root (node id, hex), or undefined. */
  root(): string | undefined;
  peers(): PeerInfo[];
  routes(): RouteInfo[];
  system(): SystemInfo;

  /** Milliseconds on the node's clock (monotonic; only differences mean something). */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerId;
  setInterval(callback: () => void, everyMs: number): TimerId;
  clearTimer(id: TimerId): void;

  /** Add a console command (serial console, the dashboard's console). */
  command(spec: CommandSpec): void;
  /** Show these rows on the host's screen, on the app's own page (empty: remove the page). */
  screen(title: string, lines: readonly ScreenLine[]): void;
  /** One line to the host's log (serial console, xsbug, the simulator's log). */
  log(line: string): void;

  /** `count` (1–64) random bytes from the host's generator (ids that survive a reboot). */
  randomBytes(count: number): Uint8Array;

  /** UTF-8, since a Compartment has no TextEncoder. */
  encodeText(text: string): Uint8Array;
  decodeText(bytes: Uint8Array): string;
}

/** What a running app may give back: `stop` is called when the host removes it. */
export interface AppInstance {
  stop?(): void;
}

/**
 * The default export of an app's entry module: called once with the API and the app's options
 * (its manifest `config` on a board, the scenario's `apps` entry in the simulator).
 */
export type AppMain = (mesh: MeshApi, options: Readonly<Record<string, unknown>>) => AppInstance | void;
