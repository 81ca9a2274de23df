/* Stand-in for ESP-IDF esp_sleep.h. */
#pragma once
#include <stdint.h>
#include "esp_err.h"

esp_err_t esp_sleep_enable_timer_wakeup(uint64_t time_in_us);
esp_err_t esp_light_sleep_start(void);
