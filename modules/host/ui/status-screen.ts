/**
 * The status screen of the M5StickC-PLUS2 and of the desktop simulator host: 135×240 portrait,
 * a title bar and nine label/value rows showing one page of `MeshHost.pages()` (page 0: the
 * node, page 1: its peers, then a page per mesh app that asked for one). Refreshed once a second; `next()` turns the page. Piu (Moddable's UI
 * framework) draws it; what it shows is computed by modules/status, tested on Node.
 */
import {} from 'piu/MC';
import type { StatusPage } from '../../status/pages.js';

/** Rows on the screen (the status pages are cut to this many lines). */
export const SCREEN_ROWS = 9;
const ROW_HEIGHT = 22;
const TITLE_HEIGHT = 28;

const BACKGROUND = new Skin({ fill: '#101820' });
const TITLE_SKIN = new Skin({ fill: '#1a5fb4' });
const TITLE_STYLE = new Style({ font: 'semibold 16px Open Sans', color: 'white', horizontal: 'center' });
const LABEL_STYLE = new Style({ font: '16px Open Sans', color: '#8fb3d9', horizontal: 'left', left: 4 });
const VALUE_STYLE = new Style({ font: '16px Open Sans', color: '#f0f0f0', horizontal: 'right', right: 4 });

export interface ScreenSource {
  /** The pages to show now (called once a second). */
  pages(rows: number): StatusPage[];
}

interface ScreenState {
  readonly source: ScreenSource;
  page: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- Piu's content objects are untyped here */
class StatusBehavior extends Behavior {
  declare state: ScreenState;
  onCreate(_app: any, state: ScreenState): void {
    this.state = state;
  }
  onDisplaying(app: any): void {
    app.interval = 1000;
    app.start();
    this.refresh(app);
  }
  onTimeChanged(app: any): void {
    this.refresh(app);
  }
  onNextPage(app: any): void {
    this.state.page++;
    this.refresh(app);
  }
  refresh(app: any): void {
    const pages = this.state.source.pages(SCREEN_ROWS);
    if (pages.length === 0) return;
    const page = pages[this.state.page % pages.length];
    app.first.string = `${page.title}  ${(this.state.page % pages.length) + 1}/${pages.length}`;
    let row = app.last.first;
    for (let i = 0; i < SCREEN_ROWS && row; i++, row = row.next) {
      const line = page.lines[i];
      row.first.string = line ? line.label : '';
      row.last.string = line ? line.value : '';
    }
  }
}

const Row = Container.template(() => ({
  left: 0,
  right: 0,
  height: ROW_HEIGHT,
  contents: [Label(null, { left: 0, width: 60, style: LABEL_STYLE, string: '' }), Label(null, { left: 60, right: 0, style: VALUE_STYLE, string: '' })],
}));

const StatusApplication = Application.template(($: ScreenState) => ({
  skin: BACKGROUND,
  Behavior: StatusBehavior,
  contents: [
    Label($, { left: 0, right: 0, top: 0, height: TITLE_HEIGHT, skin: TITLE_SKIN, style: TITLE_STYLE, string: 'mycelium' }),
    Column($, { left: 0, right: 0, top: TITLE_HEIGHT + 2, contents: Array.from({ length: SCREEN_ROWS }, () => new Row(null)) }),
  ],
}));

/** A running status screen. */
export class StatusScreen {
  readonly #app: any;
  constructor(source: ScreenSource) {
    this.#app = new StatusApplication({ source, page: 0 }, { displayListLength: 4096, touchCount: 0 });
  }
  /** Show the next page (the peer list after the node). */
  next(): void {
    this.#app.delegate('onNextPage');
  }
  get application(): unknown {
    return this.#app;
  }
}
