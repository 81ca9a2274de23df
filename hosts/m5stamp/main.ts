/**
 * hosts/m5stamp: M5Stamp-Pico (ESP32-PICO-D4). Build with the SDK's closest target, the ATOM
 * Lite (same chip, SK6812 on G27, button on G39): `mcconfig -m -p esp32/m5atom_lite`.
 * The NeoPixel flashes upstream's colour per mesh activity for 100 ms; the button (active low)
 * beacons and advertises the tree, as upstream. Pins: to check on hardware (docs/firmware.md).
 */
import config from 'mc/config';
import Digital from 'embedded:io/digital';
import NeoPixel from 'neopixel';
import Timer from 'timer';
import { startBoard } from 'host/board';
import { LED_FLASH_MS, stampColours, type Rgb } from 'host/led';

const pixel = new NeoPixel({ length: 1, pin: Number(config.ledPin ?? 27), order: 'GRB' });
const queue: Rgb[] = [];
let showing = false;

/** Show the queued colours one after the other, LED_FLASH_MS each, then off. */
function next(): void {
  const colour = queue.shift();
  showing = colour !== undefined;
  pixel.fill(colour ? pixel.makeRGB(colour[0], colour[1], colour[2]) : 0);
  pixel.update();
  if (colour) Timer.set(next, LED_FLASH_MS);
}

const host = startBoard({
  onActivity: (a) => {
    const colours = stampColours(a);
    if (!colours || queue.length > 12) return; // bounded: a busy mesh just shows the latest
    queue.push(...colours);
    if (!showing) next();
  },
});

let lastPress = 0;
new Digital({
  pin: Number(config.buttonPin ?? 39),
  mode: Digital.Input,
  edge: Digital.Falling,
  onReadable() {
    const now = Date.now();
    if (now - lastPress < 800) return; // upstream's 800 ms debounce
    lastPress = now;
    host.beaconNow();
    host.treeBroadcast();
  },
});
