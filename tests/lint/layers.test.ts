/**
 * The layer rules of layers.js, as eslint.config.js derives them: one snippet per rule, linted
 * in memory at a path inside the layer, must be refused (and its allowed neighbour accepted), so
 * a rule that stops biting — a typo in a folder name, a regex that no longer matches — is noticed.
 */
import { ESLint } from 'eslint';
import { LAYERS } from '../../layers.js';

type Case = readonly [file: string, code: string];

/** A snippet its layer must refuse: [file, code, the layer (layers.js folder) whose rule refuses it]. */
const refused: readonly (readonly [file: string, code: string, layer: string])[] = [
  // wire imports only wire and the platform types
  ['modules/mycelium/wire/x.ts', "import { Packager } from '../packager/packager.js';", 'modules/mycelium/wire'],
  ['modules/mycelium/wire/x.ts', "import { Node } from '../node.js';", 'modules/mycelium/wire'],
  ['modules/mycelium/wire/messages/x.ts', "import { Ping } from '../../apps/ping.js';", 'modules/mycelium/wire'],
  // platform imports nothing above it
  ['modules/mycelium/platform/x.ts', "import { toHex } from '../wire/bytes.js';", 'modules/mycelium/platform'],
  // packager never imports the apps or the Node
  ['modules/mycelium/packager/x.ts', "import { Ping } from '../apps/ping.js';", 'modules/mycelium/packager'],
  ['modules/mycelium/packager/x.ts', "import { Node } from '../node.js';", 'modules/mycelium/packager'],
  ['modules/mycelium/packager/x.ts', "export { Node } from '../node';", 'modules/mycelium/packager'],
  // the core never imports console, status, mesh API, host, drivers (nor, as modules/, the rest)
  ['modules/mycelium/x.ts', "import { Console } from '../console/console.js';", 'modules/mycelium'],
  ['modules/mycelium/apps/x.ts', "import { statusInput } from '../../status/input.js';", 'modules/mycelium'],
  ['modules/mycelium/apps/x.ts', "import type { MeshApi } from '../../mesh-api/api.js';", 'modules/mycelium'],
  ['modules/mycelium/x.ts', "import { MeshHost } from '../host/mesh-host.js';", 'modules/mycelium'],
  ['modules/mycelium/packager/x.ts', "import { EspNowBase } from '../../espnow/core.js';", 'modules/mycelium'],
  ['modules/mycelium/apps/x.ts', "import { VirtualClock } from '../../../simulator/engine/virtual-clock.js';", 'modules'],
  ['modules/mycelium/x.ts', "import main from '../../hosts/sim/main.js';", 'modules'],
  ['modules/mycelium/wire/x.ts', "import { TestMesh } from '../../../tests/support/mesh.js';", 'modules'],
  ['modules/mycelium/x.ts', "import { parseCli } from '../../scripts/lib/cli.mjs';", 'modules'],
  // modules/ never imports simulator, tests, scripts, mods, nor Node built-ins
  ['modules/host/x.ts', "import { MemoryMedium } from '../../simulator/medium/memory-medium.js';", 'modules'],
  ['modules/console/commands/x.ts', "import { TestMesh } from '../../../tests/support/mesh.js';", 'modules'],
  ['modules/status/x.ts', "import { bundleForXS } from '../../simulator/xs/bundle.mjs';", 'modules'],
  ['modules/mesh-api/x.ts', "import chat from '../../mods/chat/chat.js';", 'modules'],
  ['modules/host/x.ts', "import { readFileSync } from 'node:fs';", 'modules'],
  // mesh-api, console and status stay below the host
  ['modules/mesh-api/x.ts', "import { Console } from '../console/console.js';", 'modules/mesh-api'],
  ['modules/console/x.ts', "import { MeshHost } from '../host/mesh-host.js';", 'modules/console'],
  ['modules/status/x.ts', "import { MeshHost } from '../host/mesh-host.js';", 'modules/status'],
  // drivers import nothing outside their folder
  ['modules/espnow/x.ts', "import { ESPNOW_MTU } from '../mycelium/wire/constants.js';", 'modules/espnow'],
  ['modules/sleep/x.ts', "import { MODEM_SLEEP_MS } from '../mycelium/wire/constants.js';", 'modules/sleep'],
  ['modules/rylr998/x.ts', "import { RYLR998_MTU } from '../mycelium/wire/constants.js';", 'modules/rylr998'],
  // a mod: own files, mods/common and the mesh-API contract as a type, nothing else
  ['mods/chat/x.ts', "import { AppRunner } from '../../modules/mesh-api/api.js';", 'mods/*'],
  ['mods/chat/x.ts', "import type { Node } from '../../modules/mycelium/node.js';", 'mods/*'],
  ['mods/chat/x.ts', "import type { AppRunner } from '../../modules/mesh-api/app-runner.js';", 'mods/*'],
  ['mods/telemetry/x.ts', "import { decode } from '../chat/codec.js';", 'mods/*'],
  ['mods/chat/x.ts', "import Timer from 'timer';", 'mods/*'],
  ['mods/common/x.ts', "import { readFileSync } from 'node:fs';", 'mods/*'],
  // the simulator never imports scripts, tests or bench
  ['simulator/runner/x.ts', "import { parseCli } from '../../scripts/lib/cli.mjs';", 'simulator'],
  ['simulator/xs/x.mjs', "import { parseCli } from '../../scripts/lib/cli.mjs';", 'simulator'],
  ['simulator/x.ts', "import { TestMesh } from '../tests/support/mesh.js';", 'simulator'],
];

const accepted: readonly Case[] = [
  ['modules/mycelium/wire/x.ts', "import type { Hashes } from '../platform/platform.js';\nimport { toHex } from './bytes.js';"],
  ['modules/mycelium/wire/messages/x.ts', "import type { Hashes } from '../../platform/platform.js';\nimport { toHex } from '../bytes.js';\nimport { x } from './ping.js';"],
  ['modules/mycelium/packager/x.ts', "import { toHex } from '../wire/bytes.js';\nimport type { Radio } from './radio.js';"],
  ['modules/mycelium/apps/x.ts', "import { Node } from '../node.js';\nimport { Packager } from '../packager/packager.js';"],
  ['modules/console/commands/x.ts', "import { Node } from '../../mycelium/node.js';\nimport { format } from '../../status/format.js';"],
  ['modules/host/x.ts', "import { Console } from '../console/console.js';\nimport ESPNow from 'mycelium/espnow/espnow';"],
  ['modules/espnow/x.ts', "import { BROADCAST } from './core.js';\nimport UDP from 'embedded:io/socket/udp';"],
  ['mods/chat/x.ts', "import type { MeshApi } from '../../modules/mesh-api/api.js';\nimport { cutUtf8 } from '../common/bytes.js';\nimport { decode } from './codec.js';"],
  ['simulator/runner/x.ts', "import { Node } from '../../modules/mycelium/node.js';\nimport { MemoryMedium } from '../medium/memory-medium.js';"],
  ['scripts/x.mjs', "import { bundleForXS } from '../simulator/xs/bundle.mjs';"],
  ['tests/x.ts', "import { parseCli } from '../scripts/lib/cli.mjs';\nimport { Node } from '../modules/mycelium/node.js';"],
];

const eslint = new ESLint();

async function importErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: file });
  return result.messages.filter((m) => m.ruleId?.endsWith('no-restricted-imports')).map((m) => m.message);
}

test.each(refused)('%s refuses %s (%s)', async (file, code, folder) => {
  const layer = LAYERS.find((l) => l.folder === folder);
  expect(layer).toBeDefined();
  expect(await importErrors(file, code)).toContainEqual(expect.stringContaining(`${layer?.why} (layers.js)`));
});

test.each(accepted)('%s accepts %s', async (file, code) => {
  expect(await importErrors(file, code)).toEqual([]);
});

test('every layer of layers.js has a case here', () => {
  const tested = new Set(refused.map(([, , layer]) => layer));
  expect(LAYERS.map((l) => l.folder).filter((f) => !tested.has(f))).toEqual([]);
});
