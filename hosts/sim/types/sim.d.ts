/** The desktop simulator's button helper ($(BUILD_SIMULATOR)/modules/button): the SDK ships no typings for it. */
declare module 'button' {
  export default class Button {
    constructor(options: { buttonKey: string; onPush(this: Button, pressed: number): void });
  }
}
