/** Two or more MeshHosts on one virtual clock, over fake ESP-NOW radios (tests/host). */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { hostPlatform, type PreferenceApi } from '../../modules/host/platform.js';
import { EspNowRadio, type EspNowLike } from '../../modules/host/espnow-radio.js';
import { MeshHost } from '../../modules/host/mesh-host.js';
import type { Activity } from '../../modules/host/activity.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

/** A Preference store like Moddable's: domain → key → value. */
export class FakePreference implements PreferenceApi {
  readonly data = new Map<string, unknown>();
  get(domain: string, key: string): unknown {
    return this.data.get(`${domain}/${key}`);
  }
  set(domain: string, key: string, value: ArrayBuffer | string | number | boolean): void {
    this.data.set(`${domain}/${key}`, value);
  }
  delete(domain: string, key: string): void {
    this.data.delete(`${domain}/${key}`);
  }
}

/** The air between fake ESP-NOW radios: every frame arrives 1 ms later, like a real radio's callback. */
export class Air {
  readonly radios: { mac: Uint8Array; receive: (data: Uint8Array, mac: Uint8Array, rssi: number) => void; open: boolean }[] = [];
  constructor(readonly clock: VirtualClock) {}
  open(mac: Uint8Array) {
    return (receive: (data: Uint8Array, mac: Uint8Array, rssi: number) => void): EspNowLike => {
      const me = { mac, receive, open: true };
      this.radios.push(me);
      const deliver = (to: Uint8Array | undefined, data: Uint8Array) => {
        const copy = data.slice();
        for (const r of this.radios) {
          if (r === me || !r.open || (to && toHex(to) !== toHex(r.mac))) continue;
          this.clock.setTimeout(() => r.receive(copy, mac, -50), 1);
        }
        return true;
      };
      return {
        mac,
        broadcast: (data) => deliver(undefined, data),
        send: (to, data) => deliver(to, data),
        close: () => {
          me.open = false;
        },
      };
    };
  }
}

/** A host on `air`; `now` is its tick source (default the virtual clock's ms). */
export function station(clock: VirtualClock, air: Air, index: number, pref = new FakePreference(), now: () => number = () => clock.now()) {
  const lines: string[] = [];
  const platform = hostPlatform({
    now,
    timer: { set: (cb, ms) => clock.setTimeout(cb, ms), clear: (t) => clock.clearTimeout(t) },
    sha256: nodeHashes.sha256,
    write: (line) => lines.push(line),
    preference: pref,
  });
  const mac = Uint8Array.of(2, 0, 0, 0, 0, index);
  const activity: Activity[] = [];
  const host = new MeshHost({ platform, radio: new EspNowRadio(air.open(mac)), uniqueId: mac, write: (l) => lines.push(l), onActivity: (a) => activity.push(a) });
  return { host, lines, activity, pref };
}

