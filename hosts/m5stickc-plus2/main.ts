/**
 * hosts/m5stickc-plus2: M5StickC-PLUS2 with its project-local target (./target):
 * `mcconfig -m -p esp32:$PWD/hosts/m5stickc-plus2/target hosts/m5stickc-plus2/manifest.json`.
 * Status screen on the 135×240 ST7789V2; buttons as upstream: A (G37) beacons (hold 1 s to turn
 * the page), B (G39) advertises the tree, the power button (G35) runs a tree maintenance round;
 * the red LED (G19) blinks on Beacon/Gossip receive and address requests; the battery (ADC on
 * G38) shows in the screen's title bar and the console's `status`. The target's setup
 * holds power (G4) before this runs. Pins: to check on hardware (docs/firmware.md).
 */
import config from 'mc/config';
import Digital from 'embedded:io/digital';
import Analog from 'embedded:io/analog';
import Timer from 'timer';
import { startBoard } from 'host/board';
import { plus2Blinks } from 'host/led';
import { dividerGauge } from 'host/battery';
import { HoldButton } from 'host/hold-button';
import { StatusScreen } from 'host/ui/status-screen';

const led = new Digital({ pin: Number(config.ledPin ?? 19), mode: Digital.Output });
led.write(1); // the LED is active low: off
let blinking = false;

const host = startBoard({
  // Battery voltage through a 1:2 divider on GPIO 38 (ADC1): the PLUS2 has no power chip to ask.
  battery: dividerGauge(new Analog({ pin: Number(config.batteryPin ?? 38) })),
  onActivity: (a) => {
    if (blinking || !plus2Blinks(a)) return;
    blinking = true;
    led.write(0);
    Timer.set(() => {
      led.write(1);
      blinking = false;
    }, 100);
  },
});

const screen = new StatusScreen(host);

/** A button on `pin`, active low, reporting its level changes. */
function button(pin: number, changed: (pressed: boolean) => void): void {
  new Digital({
    pin,
    mode: Digital.Input,
    edge: Digital.Rising | Digital.Falling,
    onReadable() {
      changed(this.read() === 0);
    },
  });
}

const a = new HoldButton(() => Date.now(), { onShort: () => host.beaconNow(), onLong: () => screen.next() });
button(Number(config.buttonA ?? 37), (pressed) => a.changed(pressed));
button(Number(config.buttonB ?? 39), (pressed) => pressed && host.treeBroadcast());
button(Number(config.buttonPower ?? 35), (pressed) => pressed && host.treeMaintain());
