/**
 * Where Zoom Out, Pan and Make Square put the original on a new canvas.
 * Pure arithmetic (no sessions, no sharp), so the web process computes the
 * same output size at acceptance that the engine produces.
 */

export type TPanDirection = "left" | "right" | "up" | "down";

export type TOutpaintMove = { kind: "zoom"; factor: number } | { kind: "pan"; direction: TPanDirection } | { kind: "square" };

export interface Size {
  width: number;
  height: number;
}

/** The canvas to generate and the rectangle the (resized) original occupies in it. */
export interface OutpaintLayout {
  canvas: Size;
  place: { x: number; y: number; width: number; height: number };
}

/** The VAE works on 8-pixel cells; every side and offset below is a multiple of it. */
const CELL = 8;

/** The multiple a model's sides snap to: its manifest's `size_multiple`, else the VAE's 8-pixel cell. */
export function sizeMultipleOf(manifest: { size_multiple?: number | undefined } | undefined): number {
  return manifest?.size_multiple ?? CELL;
}

export const ZOOM_FACTOR_RANGE = { min: 1, max: 2 } as const;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The model's size multiple made a multiple of the VAE cell too. */
function sideMultiple(multiple: number): number {
  const m = Math.max(1, Math.round(multiple));
  return (m * CELL) / gcd(m, CELL);
}

function snap(value: number, multiple: number): number {
  return Math.max(multiple, Math.round(value / multiple) * multiple);
}

function toCell(value: number): number {
  return Math.round(value / CELL) * CELL;
}

/**
 * The layout of one move for a source of `source` pixels (sides already at
 * the model's size multiple; they are snapped to it again to be safe):
 *
 * - zoom f ∈ [1, 2]: same canvas, the original shrunk by f into the centre
 *   (at least one 8-pixel cell of new border on each side, so f = 1 still
 *   generates a frame);
 * - pan: the canvas grows by half the side in that direction (snapped to the
 *   multiple), the original stays where it was, unscaled;
 * - square: the short side grows to the long one, the original centred.
 */
export function outpaintLayout(source: Size, move: TOutpaintMove, sizeMultiple: number): OutpaintLayout {
  const m = sideMultiple(sizeMultiple);
  const width = snap(source.width, m);
  const height = snap(source.height, m);
  switch (move.kind) {
    case "zoom": {
      if (!(move.factor >= ZOOM_FACTOR_RANGE.min && move.factor <= ZOOM_FACTOR_RANGE.max)) {
        throw new RangeError(`zoom factor must be in [${ZOOM_FACTOR_RANGE.min}, ${ZOOM_FACTOR_RANGE.max}], got ${move.factor}`);
      }
      const inner = (side: number) => Math.max(CELL, Math.min(side - 2 * CELL, Math.floor(side / move.factor / CELL) * CELL));
      const w = inner(width);
      const h = inner(height);
      return { canvas: { width, height }, place: { x: toCell((width - w) / 2), y: toCell((height - h) / 2), width: w, height: h } };
    }
    case "pan": {
      const horizontal = move.direction === "left" || move.direction === "right";
      const grow = snap((horizontal ? width : height) / 2, m);
      const canvas = horizontal ? { width: width + grow, height } : { width, height: height + grow };
      const x = move.direction === "left" ? grow : 0;
      const y = move.direction === "up" ? grow : 0;
      return { canvas, place: { x, y, width, height } };
    }
    case "square": {
      if (width === height) throw new RangeError(`the image is already square (${width}×${height})`);
      const side = Math.max(width, height);
      return { canvas: { width: side, height: side }, place: { x: toCell((side - width) / 2), y: toCell((side - height) / 2), width, height } };
    }
    default:
      return move satisfies never;
  }
}

/** The repaint mask of a layout: everything outside the placed original (255 = repaint). */
export function outpaintMask(layout: OutpaintLayout): { width: number; height: number; data: Uint8Array } {
  const { canvas, place } = layout;
  const data = new Uint8Array(canvas.width * canvas.height).fill(255);
  for (let y = place.y; y < place.y + place.height; y++) data.fill(0, y * canvas.width + place.x, y * canvas.width + place.x + place.width);
  return { width: canvas.width, height: canvas.height, data };
}
