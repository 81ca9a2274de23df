/**
 * The 135 x 240 px status screen's geometry and its title bar, kept here (pure) so that what
 * the Piu screen draws is what the tests on Node read: 9 rows of 22 px under a 28 px title,
 * text 4 px in from each edge, OpenSans 16 (font-widths.ts).
 */
import { openSansRegular16, openSansSemibold16 } from './font-widths.js';
import { cutToFit, type RowFit } from './layout.js';
import type { StatusPage, StatusPageOptions } from './pages.js';

export const SCREEN_WIDTH = 135;
export const SCREEN_HEIGHT = 240;
export const SCREEN_ROWS = 9;
export const ROW_HEIGHT = 22;
export const TITLE_HEIGHT = 28;
/** Left and right margin of every text. */
export const TEXT_INSET = 4;

/** A row of the screen: 127 px of OpenSans-Regular-16, 6 px between label and value. */
export const SCREEN_FIT: RowFit = Object.freeze({ width: SCREEN_WIDTH - 2 * TEXT_INSET, measure: openSansRegular16, gap: 6, ellipsis: '...' });
const TITLE_FIT: RowFit = Object.freeze({ width: SCREEN_WIDTH - 2 * TEXT_INSET, measure: openSansSemibold16, gap: 8, ellipsis: '...' });

/** What a screen host asks MeshHost.pages() for. */
export const SCREEN_PAGE_OPTIONS: StatusPageOptions = Object.freeze({ linesPerPage: SCREEN_ROWS, fit: SCREEN_FIT });

export interface TitleBar {
  /** Left: the page's title and its place, "Peers (5) 2/4". */
  readonly text: string;
  /** Right: the page's corner (the battery), or ''. */
  readonly corner: string;
}

/**
 * The title bar of page `index` of `count`: title, page number and corner when they fit; the
 * page number goes first when they do not, then the title is cut (the battery always stays).
 */
export function titleBar(page: StatusPage, index: number, count: number, fit: RowFit = TITLE_FIT): TitleBar {
  const corner = page.corner ?? '';
  const room = fit.width - (corner ? fit.measure(corner) + fit.gap : 0);
  const full = `${page.title} ${index + 1}/${count}`;
  if (fit.measure(full) <= room) return { text: full, corner };
  return { text: cutToFit(page.title, room, fit), corner };
}
