/**
 * Just enough of the Moddable SDK's ambient types for the project's own `tsc --noEmit`, which
 * runs without the SDK (CI). mcconfig never sees this file: it compiles each module against the
 * SDK's typings ($MODDABLE/typings) instead. Loose on purpose: the SDK build is the real check.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

declare module 'time' {
  const Time: { readonly ticks: number; set(seconds: number): void };
  export default Time;
}

declare module 'crypt' {
  export class Digest {
    constructor(type: 'SHA256' | 'SHA1' | 'MD5');
    write(message: string | ArrayBuffer): void;
    close(): ArrayBuffer;
  }
}

declare module 'preference' {
  const Preference: {
    set(domain: string, key: string, value: string | boolean | number | ArrayBuffer): void;
    get(domain: string, key: string): string | boolean | number | ArrayBuffer | undefined;
    delete(domain: string, key: string): void;
    keys(domain: string): string[];
  };
  export default Preference;
}

declare module 'mc/config' {
  const config: Record<string, any>;
  export default config;
}

declare module 'piu/MC' {}

// Piu's globals (declared by the SDK's piu typings when `piu/MC` is imported).
declare const Application: any;
declare const Behavior: any;
declare type Behavior = any;
declare const Container: any;
declare const Column: any;
declare const Content: any;
declare const Label: any;
declare const Skin: any;
declare const Style: any;

declare module 'embedded:io/digital' {
  export default class Digital {
    static readonly Input: number;
    static readonly InputPullUp: number;
    static readonly Output: number;
    static readonly Rising: number;
    static readonly Falling: number;
    constructor(options: { pin: number; mode: number; edge?: number; onReadable?: (this: Digital) => void });
    read(): number;
    write(value: number): void;
    close(): void;
  }
}

declare module 'embedded:io/analog' {
  export default class Analog {
    constructor(options: { pin: number; resolution?: number });
    readonly resolution: number;
    read(): number;
    close(): void;
  }
}

declare module 'embedded:io/serial' {
  export default class Serial {
    constructor(options: { port: number; receive?: number; transmit?: number; baud: number; format?: 'buffer' | 'number'; onReadable?: (this: Serial, count: number) => void });
    read(): number | ArrayBuffer | undefined;
    write(data: ArrayBuffer | ArrayBufferView): void;
    close(): void;
  }
}

declare module 'neopixel' {
  export default class NeoPixel {
    constructor(options: { length: number; pin: number; order?: string });
    makeRGB(r: number, g: number, b: number): number;
    setPixel(index: number, color: number): void;
    fill(color: number): void;
    update(): void;
  }
}

declare function trace(...args: unknown[]): void;

declare module 'modules' {
  /** Moddable's mod utilities ($(MODULES)/base/modules): what the host and the installed mod hold. */
  export default class Modules {
    static has(name: string): boolean;
    static importNow(name: string): unknown;
    static get host(): string[];
    static get archive(): string[];
  }
}

declare module 'instrumentation' {
  /** Moddable's instrumentation counters (debug and `-i` builds). */
  export default class Instrumentation {
    static get(what: number): number;
    static map(name: string): number;
  }
}
