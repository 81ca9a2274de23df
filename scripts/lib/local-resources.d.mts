export function freeUdpPort(): Promise<number>;
export function freeDisplay(): string;
