/*
 * The ECMA-419 host provider (embedded:provider/builtin) of the M5StickC-PLUS2: default buses
 * and pin names. Pins from M5Stack's pin table, to check on hardware.
 */
import Digital from "embedded:io/digital";
import DigitalBank from "embedded:io/digitalbank";
import I2C from "embedded:io/i2c";
import PWM from "embedded:io/pwm";
import Serial from "embedded:io/serial";
import SMBus from "embedded:io/smbus";
import SPI from "embedded:io/spi";

const device = {
	I2C: {
		default: { io: I2C, data: 32, clock: 33, port: 0 },
		internal: { io: I2C, data: 21, clock: 22, port: 1 },
	},
	Serial: {
		default: { io: Serial, port: 0, receive: 3, transmit: 1 },
	},
	SPI: {
		default: { io: SPI, clock: 13, out: 15, port: 2 },
	},
	io: { Digital, DigitalBank, I2C, PWM, Serial, SMBus, SPI },
	pin: {
		buttonA: 37,
		buttonB: 39,
		buttonPower: 35,
		led: 19,
		powerHold: 4,
		buzzer: 2,
	},
};

export default device;
