/**
 * hosts/esp32: any ESP32 board (`mcconfig -m -p esp32`). The mesh on ESP-NOW with the console
 * on the serial port at 115200 baud; no LED or button wiring.
 */
import { startBoard } from 'host/board';

startBoard();
