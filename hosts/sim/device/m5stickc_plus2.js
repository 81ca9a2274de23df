/*
 * A simulated M5StickC-PLUS2 for Moddable's simulator (mcsim): a 135x240 portrait screen, the
 * front button A, the side button B and the red LED, drawn without images. mcsim loads this
 * plain-JS file at run time inside a Compartment that provides piu, ControlsPane and DevicePane;
 * with it alone in this directory it is used for any app: `mcsim hosts/sim/device path/to/mc.so`.
 */
import { ControlsColumn, ButtonsRow } from "ControlsPane";
import { DeviceBehavior, DeviceContainer, DeviceScreen } from "DevicePane";

class PlusBehavior extends DeviceBehavior {
	onAButtonDown(container) { this.postJSON(container, { aButton: 1 }); }
	onAButtonUp(container) { this.postJSON(container, { aButton: 0 }); }
	onBButtonDown(container) { this.postJSON(container, { bButton: 1 }); }
	onBButtonUp(container) { this.postJSON(container, { bButton: 0 }); }
	onKeyDown(container, key) { this[`on${key.toUpperCase()}ButtonDown`]?.(container); }
	onKeyUp(container, key) { this[`on${key.toUpperCase()}ButtonUp`]?.(container); }
	onJSON(container, json) {
		if ("led" in json) container.distribute("onLEDChanged", json.led);
	}
}

class LEDBehavior extends Behavior {
	onLEDChanged(content, on) {
		content.skin = new Skin({ fill: on ? "#ff2020" : "#401010" });
	}
}

export default {
	applicationName: ".*",
	title: "M5StickC PLUS2 (mycelium)",
	ControlsTemplate: ControlsColumn.template(() => ({
		contents: [
			ButtonsRow({
				label: "Button",
				buttons: [
					{ eventDown: "onAButtonDown", eventUp: "onAButtonUp", label: "A" },
					{ eventDown: "onBButtonDown", eventUp: "onBButtonUp", label: "B" },
				],
			}),
		],
	})),
	DeviceTemplates: {
		0: DeviceContainer.template($ => ({
			Behavior: PlusBehavior,
			contents: [
				Content($, { left: 0, top: 0, width: 175, height: 330, skin: new Skin({ fill: "#f08a24", stroke: "#a85a10", borders: { left: 2, right: 2, top: 2, bottom: 2 } }) }),
				Content($, { Behavior: LEDBehavior, left: 80, top: 8, width: 14, height: 6, skin: new Skin({ fill: "#401010" }) }),
				DeviceScreen($, { left: 20, width: 135, top: 24, height: 240, rotation: 0 }),
				Content($, { left: 60, top: 284, width: 55, height: 28, skin: new Skin({ fill: "#303030" }) }),
			],
		})),
	},
};
