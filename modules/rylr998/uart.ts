/**
 * The byte stream between the host and the RYLR-998, injected so the same driver runs on a
 * device (ECMA-419 `embedded:io/serial` through a small host adapter), against the simulator's
 * AT-speaking twin, and against recorded module output in tests.
 *
 * `write` queues bytes for the module (never calls back synchronously); `onData` is set by the
 * driver and called with whatever bytes arrived, in any chunking (a line may come in pieces, or
 * several lines in one chunk). The driver copies what it keeps.
 */
export interface Uart {
  write(bytes: Uint8Array): void;
  onData: ((bytes: Uint8Array) => void) | undefined;
}
