/*
 * Makes ESP-IDF's native Wi-Fi types (wifi_pkt_rx_ctrl_t with its rssi field) visible to the C
 * that Moddable's makefile compiles.
 *
 * Since ESP-IDF v5.3, esp_wifi_types.h includes "esp_wifi_types_native.h" only if
 * __has_include finds it, and otherwise declares wifi_pkt_rx_ctrl_t as an opaque struct. The
 * real header lives in components/esp_wifi/include/local/, a directory ESP-IDF's CMake adds for
 * every component that requires esp_wifi but that Moddable's generated include list lacks, so
 * esp_now_recv_info_t's rx_ctrl->rssi would not compile. This file sits in a directory the
 * espnow manifest puts on the include path (esp32 only) and forwards to the real header through
 * the esp_wifi/include directory that is on the path. Nothing of ESP-IDF is copied here.
 */
#pragma once
#include "local/esp_wifi_types_native.h"
