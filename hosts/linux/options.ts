/**
 * What a `mycelium-node` runs with: its command-line flags merged into its file (node-file.ts),
 * checked once, with one sentence per mistake. Flags given are saved to the file, so the next
 * start needs only `--name` (or `--config`).
 *
 * File keys (all optional): `settings` (the console's `config` values: name, beacon_s,
 * log_level, …), `port`, `bind`, `peers` ["host:port", …], `multicast` (true or "group:port"),
 * `hub` ("host:port" of a `mycelium-sim --realtime` run), `position` [x, y] (metres, in that run),
 * `hub_mac` (hex, generated once), `mods` [name or file, …], `apps` (standard app parameters:
 * beacon, gossip, spanning_tree, ping), `socket` (path of the console's local socket), `serial`
 * (a board's serial device whose radio the node borrows through the serial bridge).
 */
import { parseArgs } from 'node:util';
import type { StandardAppOptions } from '../../modules/mycelium/apps/standard.js';
import { DEFAULT_MULTICAST } from './udp-radio.js';
import { parseEndpoint, type Endpoint } from './udp-mac.js';
import { defaultConfigPath, NodeFile } from './node-file.js';
import { MQTT_DEFAULTS, type MqttGatewayConfig } from './mqtt-gateway.js';

export const NODE_USAGE = `usage: mycelium-node [--name NAME | --config FILE] [options]

  --name NAME        the node's name; its file is ~/.config/mycelium/NAME.json (default: node)
  --config FILE      the node's file (identity and settings), created at first start
  --port N           UDP port to listen and send on (default: any free port)
  --bind ADDR        local IPv4 address to bind (default 0.0.0.0)
  --peer HOST:PORT   another node to reach (repeat, or separate with commas); HOST defaults to 127.0.0.1
  --multicast        also find nodes on the LAN through multicast ${DEFAULT_MULTICAST.address}:${DEFAULT_MULTICAST.port}
  --group ADDR:PORT  the multicast group instead (implies --multicast)
  --hub [HOST:]PORT  join a mycelium-sim --realtime run through its hub (as an ESP-NOW node)
  --at X,Y           position in that run, metres (default 0,0)
  --serial PATH      also use a board's radio through its USB serial (e.g. /dev/ttyACM0; the serial bridge)
  --mods A,B         mesh apps to run: chat, telemetry, echo, or a .ts/.js file exporting one
  --socket PATH      also serve the console on a local socket (connect: mycelium-node --attach PATH)
  --mqtt URL         gateway to an MQTT broker (mqtt://host:1883): publish app messages to
                     mesh/<app>/<node>, send what arrives on mesh/inject; user, password, apps,
                     format (json|raw), prefix, queue: the file's "mqtt" object
  --store-forward    run StoreForward (held messages; this node also accepts custody)
  --attach PATH      connect this terminal to a running node's console socket
  --no-save          use the flags for this run only (default: save them in the file)
  --version, --help

Flags are saved in the file, so the next start needs only --name or --config.`;

export interface NodeConfig {
  readonly file: NodeFile;
  readonly name: string;
  readonly port: number;
  readonly bind: string;
  readonly peers: readonly Endpoint[];
  readonly multicast: Endpoint | undefined;
  readonly hub: Endpoint | undefined;
  readonly position: readonly [number, number];
  readonly mods: readonly string[];
  readonly apps: StandardAppOptions;
  readonly socket: string | undefined;
  readonly serial: string | undefined;
  /** The MQTT gateway, when the file or --mqtt names a broker. */
  readonly mqtt: MqttGatewayConfig | undefined;
  readonly storeForward: boolean;
}

export type ParsedCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'attach'; readonly path: string }
  | { readonly kind: 'run'; readonly config: NodeConfig };

const NAME = /^[A-Za-z0-9_.-]{1,32}$/;

/** The command the flags ask for; throws one sentence for the user when something is wrong. */
export function parseNodeCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv.slice(),
      strict: true,
      allowPositionals: false,
      options: {
        name: { type: 'string' },
        config: { type: 'string' },
        port: { type: 'string' },
        bind: { type: 'string' },
        peer: { type: 'string', multiple: true },
        multicast: { type: 'boolean' },
        group: { type: 'string' },
        hub: { type: 'string' },
        at: { type: 'string' },
        mods: { type: 'string' },
        socket: { type: 'string' },
        serial: { type: 'string' },
        mqtt: { type: 'string' },
        'store-forward': { type: 'boolean' },
        attach: { type: 'string' },
        'no-save': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    }));
  } catch (e) {
    throw new Error(`${(e as Error).message.split('\n')[0]} (mycelium-node --help lists the options)`);
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  if (values.attach !== undefined) return { kind: 'attach', path: values.attach };

  if (values.name !== undefined && !NAME.test(values.name)) throw new Error(`--name "${values.name}": use 1-32 letters, digits, '.', '_' or '-'`);
  const path = values.config ?? defaultConfigPath(values.name ?? 'node', env);
  const file = new NodeFile(path);
  const d = file.data;
  const settings = typeof d.settings === 'object' && d.settings !== null ? { ...(d.settings as Record<string, unknown>) } : {};
  if (values.name !== undefined) settings.name = values.name;
  else if (settings.name === undefined && values.config === undefined) settings.name = 'node';
  d.settings = settings;
  if (values.port !== undefined) d.port = portOf(values.port, '--port');
  if (values.bind !== undefined) d.bind = values.bind;
  if (values.peer !== undefined) d.peers = values.peer.flatMap((p) => p.split(',')).filter((p) => p.trim() !== '');
  if (values.group !== undefined) d.multicast = values.group;
  else if (values.multicast) d.multicast = true;
  if (values.hub !== undefined) d.hub = values.hub;
  if (values.at !== undefined) d.position = values.at.split(',').map(Number);
  if (values.mods !== undefined) d.mods = values.mods.split(',').map((m) => m.trim()).filter((m) => m !== '');
  if (values.socket !== undefined) d.socket = values.socket;
  if (values.serial !== undefined) d.serial = values.serial;
  if (values.mqtt !== undefined) d.mqtt = { ...(typeof d.mqtt === 'object' && d.mqtt !== null ? d.mqtt : {}), url: values.mqtt };
  if (values['store-forward']) d.store_forward = true;

  const config = checkConfig(file);
  if (!values['no-save']) file.save();
  return { kind: 'run', config };
}

/** The file's values, checked. */
export function checkConfig(file: NodeFile): NodeConfig {
  const d = file.data;
  const where = (key: string) => `${file.path}: "${key}"`;
  const settings = (d.settings ?? {}) as Record<string, unknown>;
  const port = d.port === undefined ? 0 : portOf(d.port, where('port'), true);
  const bind = d.bind === undefined ? '0.0.0.0' : String(d.bind);
  const peers = listOf(d.peers, where('peers')).map((p) => endpoint(p, where('peers')));
  let multicast: Endpoint | undefined;
  if (d.multicast === true) multicast = DEFAULT_MULTICAST;
  else if (typeof d.multicast === 'string') multicast = endpoint(d.multicast, where('multicast'), DEFAULT_MULTICAST.address);
  else if (d.multicast !== undefined && d.multicast !== false) throw new Error(`${where('multicast')} must be true, false or "group:port"`);
  const hub = d.hub === undefined || d.hub === null ? undefined : endpoint(String(d.hub), where('hub'));
  const pos = d.position === undefined ? [0, 0] : d.position;
  if (!Array.isArray(pos) || pos.length !== 2 || !pos.every((n) => typeof n === 'number' && Number.isFinite(n))) throw new Error(`${where('position')} must be two numbers, like --at 10,20`);
  const mods = listOf(d.mods, where('mods'));
  const apps = d.apps === undefined ? {} : d.apps;
  if (typeof apps !== 'object' || apps === null || Array.isArray(apps)) throw new Error(`${where('apps')} must be an object of app parameters`);
  const a = apps as Record<string, Record<string, unknown> | undefined>;
  const socket = d.socket === undefined || d.socket === null ? undefined : String(d.socket);
  const serial = d.serial === undefined || d.serial === null || d.serial === '' ? undefined : String(d.serial);
  return {
    file,
    name: typeof settings.name === 'string' ? settings.name : '',
    port,
    bind,
    peers,
    multicast,
    hub,
    position: [pos[0] as number, pos[1] as number],
    mods,
    apps: { beacon: a.beacon, gossip: a.gossip, spanningTree: a.spanning_tree, ping: a.ping },
    socket,
    serial,
    mqtt: mqttOf(d.mqtt, where('mqtt')),
    storeForward: d.store_forward === true,
  };
}

/** The file's `mqtt` object: { url, username, password, apps, format, prefix, queue }. */
function mqttOf(v: unknown, where: string): MqttGatewayConfig | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${where} must be an object with a "url"`);
  const m = v as Record<string, unknown>;
  if (typeof m.url !== 'string' || !/^(mqtts?|wss?|tcp):\/\/./.test(m.url)) throw new Error(`${where}.url must be a broker URL like mqtt://127.0.0.1:1883`);
  const str = (k: string) => {
    if (m[k] !== undefined && typeof m[k] !== 'string') throw new Error(`${where}.${k} must be a string`);
    return m[k] as string | undefined;
  };
  const format = m.format ?? MQTT_DEFAULTS.format;
  if (format !== 'json' && format !== 'raw') throw new Error(`${where}.format must be "json" or "raw"`);
  const queue = m.queue ?? MQTT_DEFAULTS.queueLimit;
  if (!Number.isInteger(queue) || (queue as number) < 1) throw new Error(`${where}.queue must be a whole number of messages ≥ 1`);
  const prefix = str('prefix') ?? MQTT_DEFAULTS.prefix;
  if (!/^[^#+]+$/.test(prefix)) throw new Error(`${where}.prefix must not contain MQTT wildcards`);
  const username = str('username');
  const password = str('password');
  return {
    url: m.url,
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    apps: listOf(m.apps, `${where}.apps`),
    format,
    prefix,
    queueLimit: queue as number,
    backoffMinMs: MQTT_DEFAULTS.backoffMinMs,
    backoffMaxMs: MQTT_DEFAULTS.backoffMaxMs,
  };
}

function portOf(v: unknown, where: string, zeroOk = false): number {
  const n = typeof v === 'number' ? v : /^\d{1,5}$/.test(String(v)) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1) || n > 65535) throw new Error(`${where} must be a port number 1..65535, got ${JSON.stringify(v)}`);
  return n;
}

function listOf(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`${where} must be a list of strings`);
  return v as string[];
}

function endpoint(text: string, where: string, defaultAddress?: string): Endpoint {
  const e = parseEndpoint(text, defaultAddress);
  if ('error' in e) throw new Error(`${where}: ${e.error}`);
  return e;
}
