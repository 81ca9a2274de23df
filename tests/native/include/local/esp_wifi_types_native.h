/*
 * Stand-in for ESP-IDF's esp_wifi/include/local/esp_wifi_types_native.h (ESP32, no 802.11ax):
 * received-frame metadata, a 32-bit word of bitfields starting with the RSSI in dBm. Only the
 * leading fields; reached, as on a real build, through modules/espnow/idf-include.
 */
#pragma once
typedef struct {
	signed rssi : 8;
	unsigned rate : 5;
	unsigned : 19;
} wifi_pkt_rx_ctrl_t;
