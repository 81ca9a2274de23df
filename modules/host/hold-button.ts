/**
 * A push button with two meanings: a short press does the board's upstream action, holding it
 * for `holdMs` (default 1 s) does a second one (turn the screen page). Fed with the button's
 * level changes and a clock, so it is tested without hardware.
 */
export interface HoldButtonActions {
  onShort(): void;
  onLong(): void;
}

export class HoldButton {
  readonly #now: () => number;
  readonly #actions: HoldButtonActions;
  readonly #holdMs: number;
  #pressedAt: number | undefined;

  constructor(now: () => number, actions: HoldButtonActions, holdMs = 1000) {
    this.#now = now;
    this.#actions = actions;
    this.#holdMs = holdMs;
  }

  /** The button went down (true) or up (false); repeated levels are ignored. */
  changed(pressed: boolean): void {
    if (pressed) {
      this.#pressedAt ??= this.#now();
      return;
    }
    if (this.#pressedAt === undefined) return;
    const held = this.#now() - this.#pressedAt;
    this.#pressedAt = undefined;
    if (held >= this.#holdMs) this.#actions.onLong();
    else this.#actions.onShort();
  }
}
