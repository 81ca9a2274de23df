/* Stand-in for ESP-IDF's FreeRTOS port: the spinlock critical section (portmacro.h). */
#pragma once
#include <stdint.h>

typedef struct {
	uint32_t owner;
	uint32_t count;
} portMUX_TYPE;
#define portMUX_FREE_VAL 0xB33FFFFF
#define portMUX_INITIALIZER_UNLOCKED { .owner = portMUX_FREE_VAL, .count = 0 }

void vPortEnterCritical(portMUX_TYPE *mux);
void vPortExitCritical(portMUX_TYPE *mux);
#define portENTER_CRITICAL(mux) vPortEnterCritical(mux)
#define portEXIT_CRITICAL(mux) vPortExitCritical(mux)
