/**
 * The Editor's mask as a list of strokes in image pixels (docs/editor.md §7).
 * Strokes, not pixels, are the history: undo drops the last stroke and the
 * mask is redrawn, so any number of undos costs no memory per step.
 */

export interface Point {
  x: number;
  y: number;
}

export type MaskTool = "brush" | "eraser" | "rectangle" | "lasso";

export type MaskStroke =
  | { tool: "brush" | "eraser"; size: number; points: Point[] }
  | { tool: "rectangle"; from: Point; to: Point }
  | { tool: "lasso"; points: Point[] };

/** A stroke that would paint nothing (a click with the rectangle, a lasso of two points) is not kept. */
export function isUsefulStroke(stroke: MaskStroke): boolean {
  if (stroke.tool === "rectangle") return Math.abs(stroke.to.x - stroke.from.x) >= 1 && Math.abs(stroke.to.y - stroke.from.y) >= 1;
  if (stroke.tool === "lasso") return stroke.points.length >= 3;
  return stroke.points.length >= 1;
}

/**
 * Draws `strokes` in `colour` on a cleared canvas. The eraser cuts through
 * everything drawn before it (destination-out), so the result is the mask's
 * alpha: opaque = repaint, transparent = keep.
 */
export function drawStrokes(context: CanvasRenderingContext2D, strokes: readonly MaskStroke[], colour: string): void {
  const { width, height } = context.canvas;
  context.save();
  context.clearRect(0, 0, width, height);
  context.lineCap = "round";
  context.lineJoin = "round";
  for (const stroke of strokes) {
    context.globalCompositeOperation = stroke.tool === "eraser" ? "destination-out" : "source-over";
    context.fillStyle = colour;
    context.strokeStyle = colour;
    if (stroke.tool === "rectangle") {
      const x = Math.min(stroke.from.x, stroke.to.x);
      const y = Math.min(stroke.from.y, stroke.to.y);
      context.fillRect(x, y, Math.abs(stroke.to.x - stroke.from.x), Math.abs(stroke.to.y - stroke.from.y));
    } else if (stroke.tool === "lasso") {
      context.beginPath();
      stroke.points.forEach((point, index) => (index === 0 ? context.moveTo(point.x, point.y) : context.lineTo(point.x, point.y)));
      context.closePath();
      context.fill();
    } else {
      const [first, ...rest] = stroke.points;
      if (!first) continue;
      // A tap is a dot: a path of one point has no length to stroke.
      context.beginPath();
      context.arc(first.x, first.y, stroke.size / 2, 0, Math.PI * 2);
      context.fill();
      if (rest.length > 0) {
        context.lineWidth = stroke.size;
        context.beginPath();
        context.moveTo(first.x, first.y);
        for (const point of rest) context.lineTo(point.x, point.y);
        context.stroke();
      }
    }
  }
  context.restore();
}

/**
 * The mask the API takes: an opaque PNG at the image's size, white = repaint,
 * black = keep, reduced to pure black and white (anti-aliased edges at 50 %),
 * so it compresses to a few kilobytes. Returns the PNG and the share of
 * pixels painted (0 = nothing to repaint, 1 = everything).
 */
export async function renderMaskPng(strokes: readonly MaskStroke[], size: { width: number; height: number }): Promise<{ png: Blob; coverage: number }> {
  const canvas = document.createElement("canvas");
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) throw new Error("This browser cannot draw a mask (no 2D canvas).");
  drawStrokes(context, strokes, "#ffffff");
  const pixels = context.getImageData(0, 0, size.width, size.height);
  const data = pixels.data;
  let painted = 0;
  for (let index = 0; index < data.length; index += 4) {
    const value = (data[index + 3] ?? 0) >= 128 ? 255 : 0;
    if (value) painted += 1;
    data[index] = value;
    data[index + 1] = value;
    data[index + 2] = value;
    data[index + 3] = 255;
  }
  context.putImageData(pixels, 0, 0);
  const png = await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("Could not encode the mask."))), "image/png"));
  return { png, coverage: painted / (size.width * size.height) };
}
