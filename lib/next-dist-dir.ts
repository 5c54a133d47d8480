/**
 * Where `next build` writes and the web server reads the production build:
 * `.next` unless MIRAGE_NEXT_DIR names another folder (relative to the
 * repository). The end-to-end config sets it per port, so two suites run
 * from one working tree never build into the same folder at once.
 */
export const NEXT_DIST_DIR = process.env.MIRAGE_NEXT_DIR || ".next";
