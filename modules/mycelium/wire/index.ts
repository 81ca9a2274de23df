/** The wire layer's public surface: pure functions and value types over `Uint8Array`. */
export * from './result.js';
export * from './constants.js';
export * from './bytes.js';
export * from './flags.js';
export * from './schemas.js';
export * from './packet.js';
export * from './package.js';
export * from './sequence.js';
export * from './address.js';
export * from './ids.js';
export * from './outbound.js';
export * from './messages/beacon.js';
export * from './messages/gossip.js';
export * from './messages/tree.js';
export * from './messages/ping.js';
export * from './messages/debug.js';
