/**
 * The kinds of image Organize filters by. Apart from the gallery's schemas
 * (./gallery.ts), which bring zod and the job registry: the filter menu in
 * the browser needs only this list (docs/ui.md, "What the browser loads").
 */
export const GALLERY_TYPES = ["imagine", "draft", "vary", "upscale", "enhance", "rerun"] as const;
