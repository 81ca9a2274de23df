/*
 * Stand-in for Moddable's xs/platforms/esp/xsHost.h (not in the @agoric/xsnap package, whose
 * xsHost.h is xsnap's own): only the machine message queue our C uses, same signatures.
 */
#pragma once
#include <stdint.h>
#include "xs.h"

typedef void (*modMessageDeliver)(void *the, void *refcon, uint8_t *message, uint16_t messageLength);
int modMessagePostToMachine(xsMachine *the, uint8_t *message, uint16_t messageLength, modMessageDeliver callback, void *refcon);
