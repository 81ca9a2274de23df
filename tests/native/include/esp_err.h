/* Stand-in for ESP-IDF esp_err.h (only what modules/ C uses). */
#pragma once
#include <stdint.h>

typedef int esp_err_t;

#define ESP_OK 0
#define ESP_FAIL -1
#define ESP_ERR_INVALID_STATE 0x103
#define ESP_ERR_WIFI_BASE 0x3000

const char *esp_err_to_name(esp_err_t code);
