/**
 * Free local resources for the scripts that run Moddable's desktop simulator beside a simulator
 * run (test-moddable, screenshots, measure-memory): a UDP port for the hub, an X display for Xvfb.
 */
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';

/** A UDP port on 127.0.0.1 that nothing listens on now (the OS picks it). */
export function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** An X display number with neither a lock file nor a socket, for a private Xvfb. */
export function freeDisplay() {
  for (let n = 90; n < 200; n++) if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return `:${n}`;
  throw new Error('no free X display number in :90..:199');
}
