/** Types of layers.js (the layer rules; see there). */
export interface Layer {
  readonly folder: string;
  readonly never?: readonly string[];
  readonly only?: readonly string[];
  readonly typeOnly?: readonly string[];
  readonly bare?: false;
  readonly builtins?: false;
  readonly why: string;
}
export const LAYERS: readonly Layer[];
export const NODE_BUILTINS: readonly string[];
