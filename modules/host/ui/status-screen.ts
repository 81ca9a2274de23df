/**
 * The status screen of the M5StickC-PLUS2 and of the desktop simulator host: 135×240 portrait,
 * a title bar (page title, page number, battery) and nine rows showing one page of
 * `MeshHost.pages()` (the node, its peers, then a page per mesh app that asked for one).
 * Refreshed once a second; `next()` turns the page. Piu (Moddable's UI framework) only draws:
 * what goes on which row, and that it fits, is decided by modules/status (tested on Node) with
 * the same geometry and font widths (status/screen, status/font-widths).
 */
import {} from 'piu/MC';
import type { StatusPage, StatusPageOptions } from '../../status/pages.js';
import { ROW_HEIGHT, SCREEN_PAGE_OPTIONS, SCREEN_ROWS, TEXT_INSET, TITLE_HEIGHT, titleBar } from '../../status/screen.js';

export { SCREEN_ROWS } from '../../status/screen.js';

const BACKGROUND = new Skin({ fill: '#101820' });
const TITLE_SKIN = new Skin({ fill: '#1a5fb4' });
const TITLE_STYLE = new Style({ font: 'semibold 16px Open Sans', color: 'white', horizontal: 'left', left: TEXT_INSET });
const CORNER_STYLE = new Style({ font: 'semibold 16px Open Sans', color: 'white', horizontal: 'right', right: TEXT_INSET });
const LABEL_STYLE = new Style({ font: '16px Open Sans', color: '#8fb3d9', horizontal: 'left', left: TEXT_INSET });
const VALUE_STYLE = new Style({ font: '16px Open Sans', color: '#f0f0f0', horizontal: 'right', right: TEXT_INSET });

export interface ScreenSource {
  /** The pages to show now, laid out as asked (called once a second). MeshHost is one. */
  pages(options: StatusPageOptions): StatusPage[];
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
    const pages = this.state.source.pages(SCREEN_PAGE_OPTIONS);
    if (pages.length === 0) return;
    const index = this.state.page % pages.length;
    const page = pages[index];
    const bar = titleBar(page, index, pages.length);
    app.first.first.string = bar.text;
    app.first.last.string = bar.corner;
    let row = app.last.first;
    for (let i = 0; i < SCREEN_ROWS && row; i++, row = row.next) {
      const line = page.lines[i];
      row.first.string = line ? line.label : '';
      row.last.string = line ? line.value : '';
    }
  }
}

// Label and value both span the row; the view model keeps them from overlapping.
const Row = Container.template(() => ({
  left: 0,
  right: 0,
  height: ROW_HEIGHT,
  contents: [Label(null, { left: 0, right: 0, style: LABEL_STYLE, string: '' }), Label(null, { left: 0, right: 0, style: VALUE_STYLE, string: '' })],
}));

const StatusApplication = Application.template(($: ScreenState) => ({
  skin: BACKGROUND,
  Behavior: StatusBehavior,
  contents: [
    Container($, {
      left: 0,
      right: 0,
      top: 0,
      height: TITLE_HEIGHT,
      skin: TITLE_SKIN,
      contents: [Label($, { left: 0, right: 0, style: TITLE_STYLE, string: 'mycelium' }), Label($, { left: 0, right: 0, style: CORNER_STYLE, string: '' })],
    }),
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
