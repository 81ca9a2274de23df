/**
 * Laying label/value lines out on screen rows. A row holds a label on the left and a value on
 * the right; a value too wide for the room beside its label continues on the rows below
 * (label ''), so an address or a reading is shown whole instead of cut. Widths come from a
 * Measure (pixels of the screen's font, or characters for a text console).
 */
import { characters, type Measure } from './font-widths.js';

export interface StatusLine {
  label: string;
  value: string;
}

/** The room of one row. */
export interface RowFit {
  /** Width of a row, in the measure's unit. */
  readonly width: number;
  readonly measure: Measure;
  /** Space kept between a label and its value. */
  readonly gap: number;
  /** Marks text cut because it cannot fit at all. */
  readonly ellipsis: string;
}

/** 20 characters per row, one space between label and value: the text console's fit. */
export const CHARACTER_FIT: RowFit = Object.freeze({ width: 20, measure: characters, gap: 1, ellipsis: '\u2026' });

/**
 * The rows of one line. The value stays beside its label when it fits; else it moves whole to
 * the row below when it fits there (an address is read at once, not split); else it takes as
 * many rows as it needs, broken after a space, '-' or ':' where it can, anywhere where it must:
 * text with spaces starts beside its label, a single word (an address) on the row below.
 */
export function layoutLine(label: string, value: string, fit: RowFit): StatusLine[] {
  const m = fit.measure;
  const l = cutToFit(label, fit.width, fit);
  if (value === '') return [{ label: l, value: '' }];
  const beside = l === '' ? fit.width : fit.width - m(l) - fit.gap;
  if (m(value) <= beside) return [{ label: l, value }];
  if (m(value) <= fit.width) return [{ label: l, value: '' }, { label: '', value }];
  // Text with spaces flows on from beside its label; a single word (an address) starts a row.
  const rows = wrap(value, value.includes(' ') ? beside : 0, fit);
  if (rows[0] === '') rows.shift();
  else return rows.map((v, i) => ({ label: i === 0 ? l : '', value: v }));
  return [{ label: l, value: '' }, ...rows.map((v) => ({ label: '', value: v }))];
}

/**
 * Lines laid out on at most `maxRows` rows. A line that loses rows to the limit ends its last
 * row with the ellipsis; lines after it are left out (callers order lines by importance).
 */
export function layoutLines(lines: readonly StatusLine[], maxRows: number, fit: RowFit): StatusLine[] {
  const out: StatusLine[] = [];
  for (const line of lines) {
    const rows = layoutLine(line.label, line.value, fit);
    const room = maxRows - out.length;
    if (room <= 0) break;
    if (rows.length > room) {
      const last = rows[room - 1];
      out.push(...rows.slice(0, room - 1), { label: last.label, value: cutToFit(last.value + '\u0000', fit.width - (last.label ? fit.measure(last.label) + fit.gap : 0), fit) });
      break;
    }
    out.push(...rows);
  }
  return out;
}

/**
 * `text` cut so that it fits `width`, ending in the ellipsis when cut. A trailing NUL asks for
 * the ellipsis even when the rest would fit (the text went on beyond this row).
 */
export function cutToFit(text: string, width: number, fit: RowFit): string {
  const m = fit.measure;
  const forced = text.endsWith('\u0000');
  const body = forced ? text.slice(0, -1) : text;
  if (!forced && m(body) <= width) return body;
  if (width <= 0) return '';
  const e = m(fit.ellipsis) <= width ? fit.ellipsis : '';
  let n = body.length;
  while (n > 0 && m(body.slice(0, n)) + m(e) > width) n--;
  return body.slice(0, n) + e;
}

/** Greedy wrap: the first row has `first` of room, the others a full row. */
function wrap(text: string, first: number, fit: RowFit): string[] {
  const m = fit.measure;
  const rows: string[] = [''];
  const room = () => (rows.length === 1 ? first : fit.width) - m(rows[rows.length - 1]);
  for (const piece of pieces(text)) {
    if (m(piece) <= room()) {
      rows[rows.length - 1] += piece;
      continue;
    }
    let rest = piece.replace(/^ +/, '');
    if (m(rest) <= fit.width) {
      rows.push(rest);
      continue;
    }
    // A piece wider than a whole row (a long address) fills this row, then the next ones.
    while (rest !== '') {
      let n = rest.length;
      while (n > 0 && m(rest.slice(0, n)) > room()) n--;
      if (n === 0 && rows[rows.length - 1] === '' && rows.length > 1) n = 1; // a glyph wider than a row
      rows[rows.length - 1] += rest.slice(0, n);
      rest = rest.slice(n);
      if (rest !== '') rows.push('');
    }
  }
  return rows.map((r, i) => (i === 0 ? r : r.replace(/^ +/, '')).replace(/ +$/, '')).filter((r, i) => i === 0 || r !== '');
}

/** Break opportunities: after each space, '-' or ':' (spaces start the next piece). */
function pieces(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '-' || c === ':') {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    } else if (c === ' ' && i > start) {
      out.push(text.slice(start, i));
      start = i;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}
