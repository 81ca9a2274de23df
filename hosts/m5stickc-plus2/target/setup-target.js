/*
 * Runs before main: drive the power-hold pin (G4) high at once, or the PLUS2 switches itself
 * off as soon as the power button or USB lets go.
 */
import Digital from "embedded:io/digital";
import config from "mc/config";

export default function (done) {
	const hold = new Digital({ pin: config.powerHoldPin, mode: Digital.Output });
	hold.write(1);
	done();
}
