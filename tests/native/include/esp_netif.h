/* Stand-in for ESP-IDF esp_netif.h. */
#pragma once
#include "esp_err.h"

esp_err_t esp_netif_init(void);
