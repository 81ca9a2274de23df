/** The scenario named (simulator/scenarios/NAME.json) or at FILE; exits 2 when it is not one. */
export function loadScenarioArg<S>(root: string, loadScenarioFile: (file: string) => { scenario?: S }, nameOrFile: string): S;
/** `--seeds 1,2` as numbers, else the scenario's own seed. */
export function seedsArg(text: string | undefined, scenario: { seed: number }): number[];
/** The last node that received a message, the frames it sent of it, and the hop it was lost on. */
export function lastHolder<F extends { from: number; to: number; outcome: string }>(frames: readonly F[], src: number): { holder: number; sent: F[]; hop: number };
/** Messages lost on hop 1, 2, 3 and 4 or later. */
export function hopColumns(lostOnHop: Record<string, number>): number[];
