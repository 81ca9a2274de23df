/*
 * Modem sleep and light sleep for XS on an ESP32 (JS side: sleep-esp32.ts).
 *
 * Modem sleep: esp_wifi_set_ps. ESP-IDF documents it for a station associated with an access
 * point (the radio sleeps between beacons); a pure ESP-NOW node has no beacons, so on hardware
 * it may change little unless the connectionless power-save settings are also used
 * (esp_now_set_wake_window / esp_wifi_connectionless_module_set_wake_interval) — to measure.
 *
 * Light sleep: ESP-IDF's "Sleep Modes" guide says Wi-Fi must be stopped before
 * esp_light_sleep_start (the radio is powered down anyway). We stop it if it runs, sleep with a
 * timer wake-up, then start it again on the same channel so ESP-NOW carries on.
 */

#include <stdint.h>

#include "xsmc.h"

#include "esp_err.h"
#include "esp_sleep.h"
#include "esp_timer.h"
#include "esp_wifi.h"

/* modem(on) */
void xs_sleep_modem(xsMachine *the)
{
	esp_err_t err = esp_wifi_set_ps(xsmcToBoolean(xsArg(0)) ? WIFI_PS_MIN_MODEM : WIFI_PS_NONE);
	if (ESP_OK != err)
		xsUnknownError("esp_wifi_set_ps failed: %s", esp_err_to_name(err));
}

/* light(ms) -> ms actually slept */
void xs_sleep_light(xsMachine *the)
{
	double ms = xsmcToNumber(xsArg(0));
	uint8_t primary = 0;
	wifi_second_chan_t second = WIFI_SECOND_CHAN_NONE;
	int wifiRunning;
	int64_t start;
	esp_err_t err;

	if (!((ms >= 1) && (ms <= 4294967295.0)))
		xsRangeError("ms must be 1..2^32-1");

	// Fails when Wi-Fi is not initialised/started: then there is nothing to stop or restore.
	wifiRunning = (ESP_OK == esp_wifi_get_channel(&primary, &second));
	if (wifiRunning)
		esp_wifi_stop();

	err = esp_sleep_enable_timer_wakeup((uint64_t)ms * 1000);	// microseconds
	start = esp_timer_get_time();			// keeps counting across light sleep
	if (ESP_OK == err)
		err = esp_light_sleep_start();

	if (wifiRunning) {
		esp_wifi_start();
		esp_wifi_set_channel(primary, second);
	}
	if (ESP_OK != err)
		xsUnknownError("light sleep failed: %s", esp_err_to_name(err));
	xsmcSetNumber(xsResult, (double)((esp_timer_get_time() - start) / 1000));
}
