/** What one seed's run lost and where (scripts/route-losses.mjs). */
export interface RouteLossRow {
  seed: number;
  sent: number;
  delivered: number;
  delivered_pct: number;
  lost: number;
  refused: Record<string, number>;
  no_frame: number;
  loop: number;
  held_in_target_tree: number;
  held_in_other_tree: number;
  radio: Record<string, number>;
  late: number;
  lost_on_hop: Record<string, number>;
  holder_counters: Record<string, number>;
  examples: {
    class: string;
    src: number;
    dst: number;
    target: string;
    frames: number;
    path: number[];
    last_hops: { from: number; from_address: string; to: number; to_address: string; outcome: string }[];
    holder: { index: number; address: string; neighbours: string[] };
  }[];
}
/** The simulator's modules the tracer runs on (passed in: bundled by the script, through Jest in tests). */
export function routeTracer(deps: Record<string, unknown>): (scenario: unknown, options?: { examples?: number }) => Promise<RouteLossRow>;
/** Whether `to` receiving the message from `from` closes a loop (updates `m.firstFrom`). */
export function returned(m: { firstFrom: Map<number, number> }, from: number, to: number): boolean;
