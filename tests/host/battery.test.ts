/**
 * The PLUS2's battery gauge (modules/host/battery.ts): ADC readings of GPIO 38 as Moddable's
 * ESP32 analog driver returns them (12-bit, 0..2450 mV) through the 1:2 divider, to the percent
 * the status screen's title bar and the console's `status` show.
 */
import { batteryMv, batteryPercent, dividerGauge, PLUS2_GAUGE } from '../../modules/host/battery.js';
import { MeshHost } from '../../modules/host/mesh-host.js';
import { SCREEN_PAGE_OPTIONS, titleBar } from '../../modules/status/screen.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { hostPlatform } from '../../modules/host/platform.js';
import { EspNowRadio } from '../../modules/host/espnow-radio.js';
import { Air, FakePreference } from './support.js';

/** The ADC value Moddable's driver returns for a battery at `mv` (12 bits). */
const adcFor = (mv: number) => Math.round(((mv / 2) * 4095) / 2450);

test('voltages to percent: 3.30 V empty, 4.10 V full, linear between, clamped', () => {
  expect(Math.round(batteryMv(adcFor(3700), 12, PLUS2_GAUGE))).toBeGreaterThanOrEqual(3698);
  expect([3000, 3300, 3700, 4100, 4200].map((mv) => batteryPercent(batteryMv(adcFor(mv), 12, PLUS2_GAUGE), PLUS2_GAUGE))).toEqual([0, 0, 50, 100, 100]);
  expect(batteryPercent(0, PLUS2_GAUGE)).toBeUndefined();
  expect(batteryPercent(Number.NaN, PLUS2_GAUGE)).toBeUndefined();
});

test('the gauge averages its samples and gives up on a failed read', () => {
  const noisy = [adcFor(3900) - 20, adcFor(3900) + 20];
  let i = 0;
  const gauge = dividerGauge({ resolution: 12, read: () => noisy[i++ % 2] });
  expect(gauge()).toBe(75);
  expect(dividerGauge({ resolution: 12, read: () => undefined as unknown as number })()).toBeUndefined();
});

test("a host with the gauge shows the charge in every page's title bar", () => {
  const clock = new VirtualClock(0);
  const timer = { set: (cb: () => void, ms: number) => clock.setTimeout(cb, ms), clear: (t: unknown) => clock.clearTimeout(t as number) };
  const platform = hostPlatform({ now: () => clock.now(), timer, sha256: nodeHashes.sha256, write: () => {}, preference: new FakePreference() });
  const mac = Uint8Array.of(2, 0, 0, 0, 0, 9);
  const radio = new EspNowRadio(new Air(clock).open(mac));
  const host = new MeshHost({ platform, radio, uniqueId: mac, write: () => {}, battery: dividerGauge({ resolution: 12, read: () => adcFor(3860) }) });
  const pages = host.pages(SCREEN_PAGE_OPTIONS);
  expect(pages.map((p, i) => titleBar(p, i, pages.length).corner)).toEqual(pages.map(() => '70%'));
});
