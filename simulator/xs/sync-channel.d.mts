/** Types for sync-channel.mjs: a blocking netstring channel to an xsnap-worker. */
export function syncChannelSupported(): boolean;
export function openSyncChannel(): { channel: SyncChannel; childFds: [number, number]; spawned(): void };
export class SyncChannel {
  constructor(readFd: number, writeFd: number);
  write(...parts: Uint8Array[]): void;
  read(): Buffer | null;
  close(): void;
}
