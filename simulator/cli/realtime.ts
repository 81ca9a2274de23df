/**
 * `--realtime`: the run is paced by the wall clock and the UDP hub (simulator/HUB.md) is open on
 * loopback, so external nodes (a Moddable simulator build of hosts/sim, a test program) join
 * the scenario's medium next to the in-process nodes.
 */
import { Hub } from '../hub/hub.js';
import type { RunOptions } from '../runner/run.js';

export interface RealtimeSetup {
  readonly port: number;
  readonly speed: number;
  readonly log?: (line: string) => void;
}

export interface Realtime {
  /** Merge into the run's options. */
  readonly runOptions: Pick<RunOptions, 'onWorld' | 'realtime'>;
  /** The bound port, once the world is built. */
  port(): number | undefined;
  close(): Promise<void>;
}

export async function startRealtime(setup: RealtimeSetup): Promise<Realtime> {
  let hub: Hub | undefined;
  return {
    runOptions: {
      realtime: { speed: setup.speed },
      onWorld: async (world) => {
        hub = new Hub({ media: world.medium, clock: world.clock, port: setup.port, log: setup.log });
        const port = await hub.start();
        setup.log?.(`hub: listening on udp 127.0.0.1:${port} (${world.scenario.interface}); external nodes may join now`);
      },
    },
    port: () => hub?.port,
    close: async () => {
      await hub?.close();
    },
  };
}
