/**
 * Just enough of the Moddable SDK's ambient types for the project's own `tsc --noEmit` (which
 * runs without the SDK). mcconfig builds never see this file: they compile each module with the
 * SDK's typings ($MODDABLE/typings, $MODDABLE/xs/includes/xs.d.ts) instead.
 */

/** XS host-function bindings (xs.d.ts): a native class is any-typed by nature. */
/* eslint-disable @typescript-eslint/no-explicit-any */
declare function Native(name: string): new (...args: any[]) => any;
declare function native(name: string): (...args: any[]) => any;

declare module 'embedded:io/socket/udp' {
  export default class UDP {
    constructor(options: {
      port?: number;
      address?: string;
      onReadable?: (this: UDP, packets: number) => void;
      onError?: () => void;
      format?: 'buffer';
    });
    write(buffer: ArrayBuffer | ArrayBufferView, address: string, port: number): void;
    read(): ArrayBuffer & { address: string; port: number };
  }
}

declare module 'timer' {
  export default class Timer {
    static repeat(callback: (timer: Timer) => void, interval: number): Timer;
    static set(callback: (timer: Timer) => void, delay?: number, repeat?: number): Timer;
    static clear(timer: Timer): void;
  }
}
