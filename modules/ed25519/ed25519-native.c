/*
 * Ed25519 for XS (JS side: ed25519-native.ts) over Monocypher 4.0.3 (./monocypher, vendored
 * unmodified; BSD-2-Clause or CC0, see monocypher/LICENCE.md). Monocypher allocates nothing:
 * its state lives on the C stack (about 3 KB for a verification), so the XS heaps carry only
 * the 32- and 64-byte results.
 *
 * Buffers come from xsmcGetBufferReadable: the pointers stay valid only until the next XS
 * allocation, so every call reads its inputs, computes, and only then creates its result.
 */

#include <stdint.h>
#include <string.h>

#include "xsmc.h"

#include "monocypher.h"
#include "monocypher-ed25519.h"

static const uint8_t *readBuffer(xsMachine *the, xsSlot *slot, xsUnsignedValue expected)
{
	void *data;
	xsUnsignedValue length;
	xsmcGetBufferReadable(*slot, &data, &length);
	if (expected && length != expected)
		return NULL;
	return data;
}

/* keygen(seed) -> ArrayBuffer(32): the public key */
void xs_ed25519_keygen(xsMachine *the)
{
	uint8_t seed[32], secret[64], public[32];
	const uint8_t *in = readBuffer(the, &xsArg(0), 32);
	if (!in)
		xsRangeError("an Ed25519 seed is 32 bytes");
	memcpy(seed, in, 32);
	crypto_ed25519_key_pair(secret, public, seed); /* wipes seed */
	crypto_wipe(secret, sizeof(secret));
	xsmcSetArrayBuffer(xsResult, public, 32);
}

/* sign(seed, message) -> ArrayBuffer(64) */
void xs_ed25519_sign(xsMachine *the)
{
	uint8_t seed[32], secret[64], public[32], signature[64];
	void *message;
	xsUnsignedValue messageLength;
	const uint8_t *in = readBuffer(the, &xsArg(0), 32);
	if (!in)
		xsRangeError("an Ed25519 seed is 32 bytes");
	memcpy(seed, in, 32);
	crypto_ed25519_key_pair(secret, public, seed);
	xsmcGetBufferReadable(xsArg(1), &message, &messageLength);
	crypto_ed25519_sign(signature, secret, message, messageLength);
	crypto_wipe(secret, sizeof(secret));
	xsmcSetArrayBuffer(xsResult, signature, 64);
}

/* verify(publicKey, message, signature) -> boolean; false for wrong lengths, never a throw */
void xs_ed25519_verify(xsMachine *the)
{
	void *message;
	xsUnsignedValue messageLength;
	const uint8_t *public = readBuffer(the, &xsArg(0), 32);
	const uint8_t *signature = readBuffer(the, &xsArg(2), 64);
	xsmcGetBufferReadable(xsArg(1), &message, &messageLength);
	/* No XS allocation since the three reads: the pointers are still good. */
	int ok = public && signature && 0 == crypto_ed25519_check(signature, public, message, messageLength);
	xsmcSetBoolean(xsResult, ok);
}

/*
 * stackProbe() -> bytes of C stack one verification used, measured by painting: a buffer below
 * the caller's frame is filled with a pattern, a verification runs at the same depth, and the
 * bytes it overwrote are counted. An estimate for the self-test (it cannot see registers or a
 * frame larger than the probe), printed by hosts/sim and compared with the 8 KB budget.
 */
#define PROBE_BYTES 8192
#define PROBE_PATTERN 0xA5

static __attribute__((noinline)) void paint(void)
{
	volatile uint8_t area[PROBE_BYTES];
	for (int i = 0; i < PROBE_BYTES; i++)
		area[i] = PROBE_PATTERN;
}

static __attribute__((noinline)) int untouched(void)
{
	volatile uint8_t area[PROBE_BYTES];
	int i = 0;
	while (i < PROBE_BYTES && area[i] == PROBE_PATTERN) /* reads what the previous frame left */
		i++;
	return i;
}

static __attribute__((noinline)) int probeVerify(void)
{
	static const uint8_t nothing[64] = {0};
	uint8_t public[32] = {0};
	public[0] = 1; /* y = 1: a valid point, so the whole check runs */
	return crypto_ed25519_check(nothing, public, nothing, sizeof(nothing));
}

void xs_ed25519_stack_probe(xsMachine *the)
{
	paint();
	(void)probeVerify();
	xsmcSetInteger(xsResult, PROBE_BYTES - untouched());
}
