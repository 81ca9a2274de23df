/**
 * A uniform grid of square cells (side = the radio reach) over node positions: every node
 * within reach of a point lies in the point's cell or one of its 8 neighbours, so a neighbour
 * query looks at ~9 cells instead of all n nodes.
 */

export class SpatialGrid {
  readonly cell: number;
  readonly #cells = new Map<number, number[]>();

  constructor(cell: number) {
    this.cell = cell > 0 && Number.isFinite(cell) ? cell : 1;
  }

  #key(cx: number, cy: number): number {
    // cells indexed in ±2^20 fits exactly in a double
    return (cx + 1048576) * 2097152 + (cy + 1048576);
  }

  insert(id: number, x: number, y: number): void {
    const k = this.#key(Math.floor(x / this.cell), Math.floor(y / this.cell));
    const list = this.#cells.get(k);
    if (list) list.push(id);
    else this.#cells.set(k, [id]);
  }

  remove(id: number, x: number, y: number): void {
    const k = this.#key(Math.floor(x / this.cell), Math.floor(y / this.cell));
    const list = this.#cells.get(k);
    if (!list) return;
    const i = list.indexOf(id);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#cells.delete(k);
  }

  /** Calls `visit(id)` for every node in the 3×3 block of cells around (x, y), in a fixed order. */
  around(x: number, y: number, visit: (id: number) => void): void {
    const cx = Math.floor(x / this.cell);
    const cy = Math.floor(y / this.cell);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const list = this.#cells.get(this.#key(cx + dx, cy + dy));
        if (list) for (let i = 0; i < list.length; i++) visit(list[i]);
      }
    }
  }
}
