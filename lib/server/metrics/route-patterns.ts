import { readFileSync } from "node:fs";
import path from "node:path";
import { NEXT_DIST_DIR } from "@/lib/next-dist-dir";
import { z } from "zod";

/**
 * Maps a request path to the Next.js route it is served by (`/api/v1/jobs/[id]`),
 * from the build's routes manifest, so HTTP metrics have one series per route
 * instead of one per URL. Paths no route serves share "unmatched"; Next's
 * build assets share "/_next".
 */
const ZRouteList = z.array(z.object({ page: z.string(), regex: z.string() }));
const ZRoutesManifest = z.object({ staticRoutes: ZRouteList.default([]), dynamicRoutes: ZRouteList.default([]) });

export type RoutePatternOf = (pathname: string) => string;

export function routePatternMatcher(manifest: unknown): RoutePatternOf {
  const parsed = ZRoutesManifest.parse(manifest);
  const exact = new Set(parsed.staticRoutes.map((route) => route.page));
  // The manifest lists dynamic routes most specific first, the order Next.js tries them.
  const dynamic = parsed.dynamicRoutes.map((route) => ({ page: route.page, regex: new RegExp(route.regex) }));
  return (pathname) => {
    if (pathname.startsWith("/_next/")) return "/_next";
    const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
    if (exact.has(trimmed)) return trimmed;
    return dynamic.find((route) => route.regex.test(trimmed))?.page ?? "unmatched";
  };
}

/** The matcher of the build in `<root>/.next` (or MIRAGE_NEXT_DIR); every path reads "unmatched" if the manifest cannot be read. */
export function loadRoutePatterns(root: string): RoutePatternOf {
  try {
    return routePatternMatcher(JSON.parse(readFileSync(path.join(root, NEXT_DIST_DIR, "routes-manifest.json"), "utf8")));
  } catch (error) {
    console.error("metrics: no routes manifest, HTTP metrics will not name routes", error);
    return () => "unmatched";
  }
}
