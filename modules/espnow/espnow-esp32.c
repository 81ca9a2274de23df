/*
 * ESP-NOW for XS on an ESP32 (ESP-IDF v5.5 / v6.0 callback signatures; checked by npm run check:esp32).
 *
 * JS side: espnow-esp32.ts (class EspNowNative). Threading is the point of this file:
 * ESP-IDF calls onReceived/onSent in the Wi-Fi task, where XS must never be touched. They copy
 * the event into a bounded ring (gMux guards it) and, only if no delivery is already queued,
 * post ONE message to the XS machine. In release builds modMessagePostToMachine waits forever
 * when the machine's queue (10 entries) is full, so posting per frame could stall the Wi-Fi
 * task; one pending message at a time cannot fill the queue. The message's handler (XS task)
 * calls the JS onReadable function, which reads the ring until it is empty.
 * A full ring drops the new event and counts it (drops), as the mesh prefers losing a frame to
 * blocking the radio.
 */

#include <stdlib.h>
#include <string.h>

#include "xsmc.h"
#include "xsHost.h"		// modMessagePostToMachine

#include "freertos/FreeRTOS.h"	// portMUX_TYPE, portENTER_CRITICAL
#include "esp_err.h"
#include "esp_event.h"
#include "esp_netif.h"
#include "esp_now.h"
#include "esp_wifi.h"

#define kMaxPayload (250)		// ESP-NOW v1 frames; v2 senders may send more: dropped, counted
#ifndef MODDEF_ESPNOW_RING
	#define MODDEF_ESPNOW_RING (16)	// events; 16 x 260 B ~ 4 KB of RAM
#endif
#define kRingSlots (MODDEF_ESPNOW_RING)

enum {
	kEventReceived = 1,
	kEventSent = 2,
	kEventHeader = 8		// kind u8, mac 6, rssi i8 / status u8 — layout shared with espnow-esp32.ts
};

typedef struct {
	uint8_t kind;
	uint8_t mac[6];
	int8_t extra;			// RSSI (dBm) of a received frame; 0 delivered / 1 failed for a send status
	uint8_t length;
	uint8_t data[kMaxPayload];
} EspNowEvent;

typedef struct {
	xsMachine *the;
	xsSlot obj;			// the JS EspNowNative; remembered so it lives until close
	xsSlot onReadable;		// JS function called in the XS task when events wait
	wifi_interface_t ifidx;		// interface ESP-NOW peers use (STA unless Wi-Fi is AP-only)
	uint8_t ownsWiFi;		// we started Wi-Fi, so we stop it at close
	// Below: shared with the Wi-Fi task, only touched inside gMux.
	uint8_t head;
	uint8_t count;
	uint8_t posted;			// a delivery message is in the machine's queue
	uint8_t closed;			// JS closed us while a message was queued: the handler frees
	uint32_t drops;			// events lost to a full ring
	uint32_t oversize;		// frames over kMaxPayload, dropped
	EspNowEvent ring[kRingSlots];
} EspNowRecord;

// ESP-IDF's ESP-NOW is one per chip and its callbacks take no context: one open record at most.
static EspNowRecord *gEspNow = NULL;
static portMUX_TYPE gMux = portMUX_INITIALIZER_UNLOCKED;

static void espnowDeliver(void *the, void *refcon, uint8_t *message, uint16_t messageLength);

/* Wi-Fi task: queue one event and post a delivery unless one is pending. */
static void enqueue(uint8_t kind, const uint8_t *mac, int8_t extra, const uint8_t *data, int length)
{
	EspNowRecord *r;
	int post = 0;

	portENTER_CRITICAL(&gMux);
	r = gEspNow;
	if (r) {
		if (r->count == kRingSlots)
			r->drops++;
		else {
			EspNowEvent *e = &r->ring[(r->head + r->count) % kRingSlots];
			e->kind = kind;
			memcpy(e->mac, mac, 6);
			e->extra = extra;
			e->length = (uint8_t)length;
			if (length)
				memcpy(e->data, data, length);
			r->count++;
			if (!r->posted) {
				r->posted = 1;
				post = 1;
			}
		}
	}
	portEXIT_CRITICAL(&gMux);

	// Outside the lock: posting may wait. `posted` keeps r alive until the handler runs.
	if (post && modMessagePostToMachine(r->the, NULL, 0, espnowDeliver, r)) {
		int mustFree;
		portENTER_CRITICAL(&gMux);
		r->posted = 0;			// not queued after all: the next event will try again
		mustFree = r->closed;
		portEXIT_CRITICAL(&gMux);
		if (mustFree)
			free(r);
	}
}

/*
 * Wi-Fi task. `info` and `data` are valid only during the call. rx_ctrl is complete only
 * because idf-include/esp_wifi_types_native.h (on the include path through manifest.json) makes
 * ESP-IDF's native Wi-Fi types visible; without it ESP-IDF v5.3+ declares it opaque.
 */
static void onReceived(const esp_now_recv_info_t *info, const uint8_t *data, int length)
{
	if ((length <= 0) || (length > kMaxPayload)) {
		portENTER_CRITICAL(&gMux);
		if (gEspNow)
			gEspNow->oversize++;
		portEXIT_CRITICAL(&gMux);
		return;
	}
	enqueue(kEventReceived, info->src_addr, info->rx_ctrl ? (int8_t)info->rx_ctrl->rssi : 0, data, length);
}

/* Wi-Fi task. Since ESP-IDF v5.5 the first argument is the tx info, not the peer MAC. */
static void onSent(const esp_now_send_info_t *info, esp_now_send_status_t status)
{
	enqueue(kEventSent, info->des_addr, (ESP_NOW_SEND_SUCCESS == status) ? 0 : 1, NULL, 0);
}

/* XS task: the one pending message. */
static void espnowDeliver(void *the, void *refcon, uint8_t *message, uint16_t messageLength)
{
	EspNowRecord *r = refcon;
	int closed;

	portENTER_CRITICAL(&gMux);
	r->posted = 0;		// cleared before JS reads, so an event arriving meanwhile posts again
	closed = r->closed;
	portEXIT_CRITICAL(&gMux);
	if (closed) {
		free(r);
		return;
	}

	xsBeginHost(the);
		xsCallFunction0(r->onReadable, r->obj);
	xsEndHost(the);
}

/*
 * Bring up Wi-Fi in station mode on `channel` unless some other module (Moddable's wifi) already
 * did, then ESP-NOW with the broadcast peer. Returns the failing step's name, NULL on success.
 */
static const char *startEspNow(EspNowRecord *r, uint8_t channel, esp_err_t *err)
{
	static const uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	wifi_mode_t mode;
	esp_now_peer_info_t peer;

	*err = esp_wifi_get_mode(&mode);
	if (ESP_ERR_WIFI_NOT_INIT == *err) {
		wifi_init_config_t cfg = WIFI_INIT_CONFIG_DEFAULT();
		cfg.nvs_enable = 0;		// no Wi-Fi settings from flash: the mesh owns the radio

		esp_netif_init();		// idempotent enough: a second call only reports "already"
		*err = esp_event_loop_create_default();
		if ((ESP_OK != *err) && (ESP_ERR_INVALID_STATE != *err))	// INVALID_STATE = exists already
			return "esp_event_loop_create_default";
		if (ESP_OK != (*err = esp_wifi_init(&cfg))) return "esp_wifi_init";
		if (ESP_OK != (*err = esp_wifi_set_storage(WIFI_STORAGE_RAM))) return "esp_wifi_set_storage";
		if (ESP_OK != (*err = esp_wifi_set_mode(WIFI_MODE_STA))) return "esp_wifi_set_mode";
		if (ESP_OK != (*err = esp_wifi_start())) return "esp_wifi_start";
		r->ownsWiFi = 1;
		mode = WIFI_MODE_STA;
	}
	else if (ESP_OK != *err)
		return "esp_wifi_get_mode";
	else if (WIFI_MODE_NULL == mode) {
		if (ESP_OK != (*err = esp_wifi_set_mode(WIFI_MODE_STA))) return "esp_wifi_set_mode";
		mode = WIFI_MODE_STA;
	}
	r->ifidx = (WIFI_MODE_AP == mode) ? WIFI_IF_AP : WIFI_IF_STA;

	// Fails while the station is connected to an access point, which then dictates the channel.
	if (ESP_OK != (*err = esp_wifi_set_channel(channel, WIFI_SECOND_CHAN_NONE))) return "esp_wifi_set_channel";
	if (ESP_OK != (*err = esp_now_init())) return "esp_now_init";
	if (ESP_OK != (*err = esp_now_register_recv_cb(onReceived))) return "esp_now_register_recv_cb";
	if (ESP_OK != (*err = esp_now_register_send_cb(onSent))) return "esp_now_register_send_cb";

	memset(&peer, 0, sizeof(peer));
	memcpy(peer.peer_addr, broadcast, 6);
	peer.channel = 0;		// 0 = the interface's current channel
	peer.ifidx = r->ifidx;
	peer.encrypt = false;
	if (ESP_OK != (*err = esp_now_add_peer(&peer))) return "esp_now_add_peer";
	return NULL;
}

/* Undo startEspNow (safe on a partial start). No XS here: the destructor uses it too. */
static void stopEspNow(EspNowRecord *r)
{
	esp_now_unregister_recv_cb();
	esp_now_unregister_send_cb();
	esp_now_deinit();
	if (r->ownsWiFi) {
		esp_wifi_stop();
		esp_wifi_deinit();
		r->ownsWiFi = 0;
	}
}

/* new EspNowNative(channel, onReadable) */
void xs_espnow(xsMachine *the)
{
	int channel = xsmcToInteger(xsArg(0));
	EspNowRecord *r;
	const char *failed;
	esp_err_t err;

	if ((channel < 1) || (channel > 14))
		xsRangeError("channel must be 1..14");
	if (gEspNow)
		xsUnknownError("ESP-NOW is already open: close the other instance first");

	r = calloc(1, sizeof(EspNowRecord));
	if (!r)
		xsUnknownError("no memory for the ESP-NOW ring");

	failed = startEspNow(r, (uint8_t)channel, &err);
	if (failed) {
		stopEspNow(r);
		free(r);
		xsUnknownError("%s failed: %s", failed, esp_err_to_name(err));
	}

	r->the = the;
	r->obj = xsThis;
	r->onReadable = xsArg(1);
	xsRemember(r->obj);
	xsRemember(r->onReadable);
	xsmcSetHostData(xsThis, r);

	portENTER_CRITICAL(&gMux);
	gEspNow = r;		// from now on the Wi-Fi task may queue events
	portEXIT_CRITICAL(&gMux);
}

/* Only reached if the machine goes away with the radio open (close() clears the host data). */
void xs_espnow_destructor(void *data)
{
	EspNowRecord *r = data;
	if (!r) return;
	portENTER_CRITICAL(&gMux);
	gEspNow = NULL;
	portEXIT_CRITICAL(&gMux);
	stopEspNow(r);
	free(r);
}

/* send(mac, data) -> boolean. JS validated the arguments; checked again because C trusts no one. */
void xs_espnow_send(xsMachine *the)
{
	EspNowRecord *r = xsmcGetHostData(xsThis);
	void *mac, *data;
	xsUnsignedValue macLength, dataLength;
	uint8_t peerAddress[6];
	esp_err_t err;

	if (!r)
		xsUnknownError("closed");
	xsmcGetBufferReadable(xsArg(0), &mac, &macLength);
	if (6 != macLength)
		xsRangeError("mac must be 6 bytes");
	memcpy(peerAddress, mac, 6);
	xsmcGetBufferReadable(xsArg(1), &data, &dataLength);	// no XS allocation after this: `data` stays put
	if ((dataLength < 1) || (dataLength > kMaxPayload))
		xsRangeError("data must be 1..250 bytes");

	if (!esp_now_is_peer_exist(peerAddress)) {
		esp_now_peer_info_t peer;
		memset(&peer, 0, sizeof(peer));
		memcpy(peer.peer_addr, peerAddress, 6);
		peer.ifidx = r->ifidx;
		err = esp_now_add_peer(&peer);
		if (ESP_ERR_ESPNOW_FULL == err) {
			// 20 peers at most: forget the first unicast one (fetch skips broadcast) and retry.
			esp_now_peer_info_t old;
			if (ESP_OK == esp_now_fetch_peer(true, &old))
				esp_now_del_peer(old.peer_addr);
			err = esp_now_add_peer(&peer);
		}
		if (ESP_OK != err) {
			xsmcSetBoolean(xsResult, 0);
			return;
		}
	}
	err = esp_now_send(peerAddress, data, dataLength);
	xsmcSetBoolean(xsResult, ESP_OK == err);
}

/* read() -> ArrayBuffer (kind, mac 6, rssi/status, payload) or undefined when the ring is empty */
void xs_espnow_read(xsMachine *the)
{
	EspNowRecord *r = xsmcGetHostData(xsThis);
	uint8_t out[kEventHeader + kMaxPayload];
	int length = -1;

	if (!r)
		return;

	portENTER_CRITICAL(&gMux);
	if (r->count) {
		EspNowEvent *e = &r->ring[r->head];
		out[0] = e->kind;
		memcpy(out + 1, e->mac, 6);
		out[7] = (uint8_t)e->extra;
		memcpy(out + kEventHeader, e->data, e->length);
		length = kEventHeader + e->length;
		r->head = (r->head + 1) % kRingSlots;
		r->count--;
	}
	portEXIT_CRITICAL(&gMux);

	if (length >= 0)		// allocate outside the lock: XS may collect garbage here
		xsmcSetArrayBuffer(xsResult, out, length);
}

/* drops() -> [ring drops, oversize frames] */
void xs_espnow_drops(xsMachine *the)
{
	EspNowRecord *r = xsmcGetHostData(xsThis);
	uint32_t drops = 0, oversize = 0;

	if (r) {
		portENTER_CRITICAL(&gMux);
		drops = r->drops;
		oversize = r->oversize;
		portEXIT_CRITICAL(&gMux);
	}
	xsmcVars(1);
	xsmcSetNewArray(xsResult, 2);
	xsmcSetNumber(xsVar(0), drops);
	xsmcSetIndex(xsResult, 0, xsVar(0));
	xsmcSetNumber(xsVar(0), oversize);
	xsmcSetIndex(xsResult, 1, xsVar(0));
}

/* mac() -> ArrayBuffer(6): own address on the interface ESP-NOW uses */
void xs_espnow_mac(xsMachine *the)
{
	EspNowRecord *r = xsmcGetHostData(xsThis);
	uint8_t mac[6];
	esp_err_t err;

	if (!r)
		xsUnknownError("closed");
	err = esp_wifi_get_mac(r->ifidx, mac);
	if (ESP_OK != err)
		xsUnknownError("esp_wifi_get_mac failed: %s", esp_err_to_name(err));
	xsmcSetArrayBuffer(xsResult, mac, 6);
}

/* close(): stop the radio now; free the record now or, if a message is queued, in its handler. */
void xs_espnow_close(xsMachine *the)
{
	EspNowRecord *r = xsmcGetHostData(xsThis);
	int mustFree;

	if (!r)
		return;
	stopEspNow(r);		// after this ESP-IDF calls neither callback

	portENTER_CRITICAL(&gMux);
	gEspNow = NULL;
	r->closed = 1;
	mustFree = !r->posted;
	portEXIT_CRITICAL(&gMux);

	xsmcSetHostData(xsThis, NULL);
	xsForget(r->onReadable);
	xsForget(r->obj);
	if (mustFree)
		free(r);
}
