/* Stand-in for ESP-IDF esp_wifi.h + esp_wifi_types*.h (v6.0), only what modules/ C uses. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "esp_err.h"

#define ESP_ERR_WIFI_NOT_INIT (ESP_ERR_WIFI_BASE + 1)

typedef enum { WIFI_MODE_NULL = 0, WIFI_MODE_STA, WIFI_MODE_AP, WIFI_MODE_APSTA, WIFI_MODE_NAN, WIFI_MODE_MAX } wifi_mode_t;
typedef enum { WIFI_IF_STA = 0, WIFI_IF_AP = 1 } wifi_interface_t;
typedef enum { WIFI_SECOND_CHAN_NONE = 0, WIFI_SECOND_CHAN_ABOVE, WIFI_SECOND_CHAN_BELOW } wifi_second_chan_t;
typedef enum { WIFI_PS_NONE, WIFI_PS_MIN_MODEM, WIFI_PS_MAX_MODEM } wifi_ps_type_t;
typedef enum { WIFI_STORAGE_FLASH, WIFI_STORAGE_RAM } wifi_storage_t;
typedef enum { WIFI_PHY_RATE_1M_L = 0x00 } wifi_phy_rate_t;		/* placeholder subset */
typedef enum { WIFI_SEND_SUCCESS = 0, WIFI_SEND_FAIL } wifi_tx_status_t;

/* The real struct has ~25 fields; we only write nvs_enable after WIFI_INIT_CONFIG_DEFAULT(). */
typedef struct {
	int magic;
	int nvs_enable;
} wifi_init_config_t;
#define WIFI_INIT_CONFIG_MAGIC 0x1F2F3F4F
#define WIFI_INIT_CONFIG_DEFAULT() { .magic = WIFI_INIT_CONFIG_MAGIC, .nvs_enable = 1 }

/*
 * esp_wifi_types.h: as in ESP-IDF v5.3+, the received-frame metadata is complete only when
 * esp_wifi_types_native.h is on the include path (ESP-IDF keeps it in esp_wifi/include/local,
 * which Moddable's include list lacks); otherwise it is an opaque struct.
 */
#if __has_include("esp_wifi_types_native.h")
#include "esp_wifi_types_native.h"
#else
typedef struct wifi_pkt_rx_ctrl_t wifi_pkt_rx_ctrl_t;
#endif

/* esp_wifi_types_generic.h: information of a sent frame (ESP-NOW send callback since v5.5). */
typedef struct {
	uint8_t *des_addr;
	uint8_t *src_addr;
	wifi_interface_t ifidx;
	uint8_t *data;
	uint8_t data_len;
	wifi_phy_rate_t rate;
	wifi_tx_status_t tx_status;
} wifi_tx_info_t;

esp_err_t esp_wifi_init(const wifi_init_config_t *config);
esp_err_t esp_wifi_deinit(void);
esp_err_t esp_wifi_set_storage(wifi_storage_t storage);
esp_err_t esp_wifi_set_mode(wifi_mode_t mode);
esp_err_t esp_wifi_get_mode(wifi_mode_t *mode);
esp_err_t esp_wifi_start(void);
esp_err_t esp_wifi_stop(void);
esp_err_t esp_wifi_set_channel(uint8_t primary, wifi_second_chan_t second);
esp_err_t esp_wifi_get_channel(uint8_t *primary, wifi_second_chan_t *second);
esp_err_t esp_wifi_set_ps(wifi_ps_type_t type);
esp_err_t esp_wifi_get_mac(wifi_interface_t ifx, uint8_t mac[6]);
