/**
 * Node colours by root and by depth (the graph's colour toggle). By root: every tree, hence
 * every partition that formed its own tree, gets a colour of its own (its root's index picks one
 * of ROOT_PALETTE, so the same tree keeps its colour over time). By depth: hops below the root,
 * from dark (the root) to light (deep). Down and unaddressed nodes keep the state colours.
 */
import type { TraceNodeState } from '../trace/state.js';
import { NODE_COLORS } from './dom.js';

export type ColorBy = 'state' | 'root' | 'depth';

export const ROOT_PALETTE = ['#1c7ed6', '#f59f00', '#2b8a3e', '#c2255c', '#7048e8', '#0c8599', '#e8590c', '#5c940d', '#862e9c', '#364fc7'];
export const DEPTH_PALETTE = ['#1e1b4b', '#312e81', '#3730a3', '#1d4ed8', '#0284c7', '#0891b2', '#0d9488', '#65a30d', '#ca8a04', '#ea580c'];

/** Hops below the root of a node's tree address ("" is the root): undefined without one. */
export function depthOf(coords: string | null): number | undefined {
  return coords === null ? undefined : coords === '' ? 0 : coords.split('.').length;
}

export function colorByMode(mode: Exclude<ColorBy, 'state'>, s: TraceNodeState): string {
  if (!s.up) return NODE_COLORS.down;
  if (!s.running || s.coords === null) return NODE_COLORS.unaddressed;
  if (mode === 'root') return s.root >= 0 ? ROOT_PALETTE[s.root % ROOT_PALETTE.length] : NODE_COLORS.unaddressed;
  return DEPTH_PALETTE[Math.min(DEPTH_PALETTE.length - 1, depthOf(s.coords) ?? 0)];
}

/** The legend's first row for a colour mode other than 'state'. */
export function colorLegendHtml(mode: Exclude<ColorBy, 'state'>, roots: readonly number[]): string {
  const sw = (c: string, label: string) => `<span><span class="sw" style="background:${c}"></span>${label}</span>`;
  const rest = `${sw(NODE_COLORS.unaddressed, 'no address')}${sw(NODE_COLORS.down, 'down')}`;
  if (mode === 'root') return `<div class="row">tree of ${roots.slice(0, 8).map((r) => sw(ROOT_PALETTE[r % ROOT_PALETTE.length], `n${r}`)).join('')}${roots.length > 8 ? '<span>…</span>' : ''}${rest}</div>`;
  return `<div class="row">depth ${DEPTH_PALETTE.map((c, d) => sw(c, d === DEPTH_PALETTE.length - 1 ? `${d}+` : String(d))).join('')}${rest}</div>`;
}
