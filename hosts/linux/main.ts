/**
 * `mycelium-node`: a mesh node on Node.js (a laptop, a Raspberry Pi). The same core as a board
 * (MeshHost: the Node, upstream's five apps, the console, the settings) over a UDP radio
 * (udp-radio.ts) and, optionally, the ESP-NOW medium of a `mycelium-sim --realtime` run
 * (hub-radio.ts). Its identity and settings live in one file (node-file.ts); the console reads
 * stdin and writes stdout, and can be served on a local socket for a second terminal.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { MeshHost, FIRMWARE_VERSION } from '../../modules/host/mesh-host.js';
import { Settings } from '../../modules/host/settings.js';
import type { AppMain } from '../../modules/mesh-api/api.js';
import { randomMac } from '../../modules/espnow/hub-espnow.js';
import { fromHex, toHex } from '../../modules/mycelium/wire/bytes.js';
import { simApp, simAppNames } from '../../simulator/mods/registry.js';
import { NODE_USAGE, parseNodeCommand, type NodeConfig } from './options.js';
import { nodePlatform } from './node-platform.js';
import { UdpRadio } from './udp-radio.js';
import { hubRadio } from './hub-radio.js';
import { SerialRadio } from './serial-radio.js';
import { attachConsole, serveConsole, type ConsoleServer } from './console-socket.js';
import { TerminalConsole } from './terminal.js';
import { loadMqtt, MqttGateway } from './mqtt-gateway.js';

export interface NodeIo {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Loads a TypeScript mod file (bin/mycelium-node.mjs passes run-ts's importTs). */
  readonly importTs?: (file: string) => Promise<Record<string, unknown>>;
}

/** Runs until `quit`, end of input or a signal; resolves to the exit code. */
export async function main(argv: readonly string[], io: NodeIo): Promise<number> {
  const fail = (message: string, code = 2): number => {
    io.stderr.write(`mycelium-node: ${message}\n`);
    return code;
  };
  let command;
  try {
    command = parseNodeCommand(argv, io.env);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (command.kind === 'help') {
    io.stdout.write(NODE_USAGE + '\n');
    return 0;
  }
  if (command.kind === 'version') {
    io.stdout.write(`mycelium-node ${FIRMWARE_VERSION}\n`);
    return 0;
  }
  if (command.kind === 'attach') {
    try {
      return await attachConsole(command.path, io.stdin, io.stdout);
    } catch (e) {
      return fail((e as Error).message);
    }
  }
  try {
    return await runNode(command.config, io);
  } catch (e) {
    return fail((e as Error).message);
  }
}

async function runNode(config: NodeConfig, io: NodeIo): Promise<number> {
  const mods = await loadMods(config.mods, io);
  const storage = config.file.storage();
  const settings = new Settings(storage);
  const platform = nodePlatform(storage, (line) => io.stderr.write(line + '\n'), settings.logLevel);
  const udp = new UdpRadio({ port: config.port, bind: config.bind, peers: config.peers, multicast: config.multicast });
  await udp.open();
  let done: (code: number) => void = () => undefined;
  const finished = new Promise<number>((r) => (done = r));
  const terminal = new TerminalConsole(io.stdin, io.stdout);
  const host = new MeshHost({
    platform,
    settings,
    radio: udp,
    write: (line) => terminal.write(line),
    quit: () => done(0),
    apps: config.apps,
    storeForward: config.storeForward,
    version: `${FIRMWARE_VERSION} (mycelium-node)`,
  });
  let hub: ReturnType<typeof hubRadio> | undefined;
  if (config.hub) {
    hub = hubRadio({
      hub: config.hub,
      mac: hubMac(config),
      name: config.name,
      x: config.position[0],
      y: config.position[1],
      onHub: (m) => {
        if (m.type === 'welcome') terminal.write(`hub: joined the run at ${config.hub?.address}:${config.hub?.port}`);
        else if (m.type === 'error') terminal.write(`hub: error ${m.code}: ${m.message}`);
      },
    });
    host.node.addRadio(hub);
  }
  let serial: SerialRadio | undefined;
  let server: ConsoleServer | undefined;
  try {
    if (config.serial) {
      // The board's own console lines, labelled so they are not taken for this node's.
      serial = await SerialRadio.open(config.serial, { onLine: (line) => line !== '' && terminal.write(`[board] ${line}`) });
      host.node.addRadio(serial);
    }
    if (config.socket) server = await serveConsole(config.socket, host, () => done(0));
  } catch (e) {
    udp.close();
    hub?.close();
    serial?.close();
    throw e;
  }
  host.start();
  for (const [name, main] of mods) host.startApp(name, main, {});
  let gateway: MqttGateway | undefined;
  if (config.mqtt) {
    try {
      gateway = new MqttGateway(host.node, config.mqtt, await loadMqtt(), (line) => terminal.write(line));
    } catch (e) {
      host.stop();
      udp.close();
      hub?.close();
      await server?.close();
      throw e;
    }
  }

  const where = [`udp ${config.bind}:${udp.port}`];
  if (config.peers.length) where.push(`${config.peers.length} peer${config.peers.length === 1 ? '' : 's'}`);
  if (config.multicast) where.push(`multicast ${config.multicast.address}:${config.multicast.port}`);
  if (config.hub) where.push(`hub ${config.hub.address}:${config.hub.port}`);
  if (serial) where.push(`${serial.name} through ${config.serial}`);
  if (config.mqtt) where.push(`mqtt ${config.mqtt.url}`);
  terminal.write(`mycelium-node ${config.name || '(no name)'}: node ${toHex(host.node.nodeId).slice(0, 8)} on ${where.join(', ')}`);
  terminal.write(`file ${config.file.path}${config.socket ? `, console socket ${config.socket}` : ''}; type help for the commands`);
  terminal.start((line) => host.input(line), () => {
    // End of input: a node with a console socket keeps running (a service); otherwise it ends.
    if (!server) done(0);
  });

  const onSignal = () => done(0);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const code = await finished;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  terminal.stop();
  await gateway?.close();
  host.stop();
  host.node.packager.close();
  udp.close();
  hub?.close();
  serial?.close();
  await server?.close();
  return code;
}

/** The hub MAC: generated once and kept in the file, so the node is the same one in the run. */
function hubMac(config: NodeConfig): Uint8Array {
  const kept = typeof config.file.data.hub_mac === 'string' ? fromHex(config.file.data.hub_mac) : undefined;
  if (kept && kept.length === 6) return kept;
  const mac = randomMac();
  config.file.data.hub_mac = toHex(mac);
  config.file.save();
  return mac;
}

/** Each mod: a name of the built-in registry or a file whose default export is the app's main. */
async function loadMods(names: readonly string[], io: NodeIo): Promise<[string, AppMain][]> {
  const out: [string, AppMain][] = [];
  for (const name of names) {
    const builtin = simApp(name);
    if (builtin) {
      out.push([name, builtin]);
      continue;
    }
    if (!/\.(m?js|ts)$/.test(name)) throw new Error(`unknown mod "${name}" (one of ${simAppNames().join(', ')}, or a .js/.ts file)`);
    const file = resolve(name);
    try {
      readFileSync(file);
    } catch {
      throw new Error(`mod file ${file} cannot be read`);
    }
    let module: Record<string, unknown>;
    if (file.endsWith('.ts')) {
      if (!io.importTs) throw new Error(`mod ${name}: TypeScript mods need bin/mycelium-node.mjs`);
      module = await io.importTs(file);
    } else module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    if (typeof module.default !== 'function') throw new Error(`mod ${name}: its default export must be the app's main function`);
    out.push([name.replace(/^.*\//, '').replace(/\.(m?js|ts)$/, ''), module.default as AppMain]);
  }
  return out;
}
