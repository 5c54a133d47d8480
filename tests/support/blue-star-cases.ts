/**
 * Issue 21's Vary Region quality check on mirage-tiny: originals of a large
 * subject in the centre (different subjects, colours, backgrounds and
 * seeds), their central box masked, and "a large blue star in the centre"
 * painted into it on the same background. The shipped judge
 * (models/mirage-tiny/eval/judge.onnx) decides whether each result reads as
 * a blue star. Shared by the integration test (through a real worker) and
 * bench/editor/blue-star.ts (in process, any number of cases).
 */

const SUBJECTS = ["circle", "square", "triangle", "heart", "house", "tree", "moon", "fish", "boat", "flower"];
const COLOURS = ["red", "orange", "yellow", "green", "purple", "pink", "white", "black"];
const BACKGROUNDS = ["over a green meadow", "above the sea", "under a sunset sky", "under a night sky with stars", "in the snow", "on a plain background"];

export interface TBlueStarCase {
  /** The original's prompt (without parameters). */
  original: string;
  /** The Vary Region prompt. */
  edit: string;
  originalSeed: number;
  editSeed: number;
}

/** Case k of the sequence (subjects, colours and backgrounds cycle at different strides). */
export function blueStarCase(k: number): TBlueStarCase {
  const subject = SUBJECTS[k % SUBJECTS.length]!;
  const colour = COLOURS[(k * 3) % COLOURS.length]!;
  const background = BACKGROUNDS[(k * 5) % BACKGROUNDS.length]!;
  return { original: `a large ${colour} ${subject} in the centre, ${background}`, edit: `a large blue star in the centre, ${background}`, originalSeed: 1000 + k, editSeed: 2000 + k };
}

/** The central box (the middle half of each side) as a one-byte-per-pixel mask, 255 = edit. */
export function centreMask(width: number, height: number): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(width * height);
  for (let y = Math.floor(height / 4); y < Math.ceil((3 * height) / 4); y++) data.fill(255, y * width + Math.floor(width / 4), y * width + Math.ceil((3 * width) / 4));
  return { width, height, data };
}

/** Whether the judge's labels read as a blue star. */
export function isBlueStar(labels: Record<string, string>): boolean {
  return labels["subject"] === "star" && labels["colour"] === "blue";
}
