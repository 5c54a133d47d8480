import { describe, expect, it } from "vitest";
import { routePatternMatcher } from "@/lib/server/metrics/route-patterns";

describe("HTTP metrics route patterns", () => {
  const routeOf = routePatternMatcher({
    staticRoutes: [{ page: "/api/v1/jobs", regex: "^/api/v1/jobs(?:/)?$" }, { page: "/", regex: "^/(?:/)?$" }],
    dynamicRoutes: [
      { page: "/api/v1/jobs/[id]", regex: "^/api/v1/jobs/([^/]+?)(?:/)?$" },
      { page: "/api/auth/[...all]", regex: "^/api/auth/(.+?)(?:/)?$" },
    ],
  });

  it("names the route, never the raw path", () => {
    expect(routeOf("/api/v1/jobs")).toBe("/api/v1/jobs");
    expect(routeOf("/api/v1/jobs/")).toBe("/api/v1/jobs");
    expect(routeOf("/api/v1/jobs/0190-abc")).toBe("/api/v1/jobs/[id]");
    expect(routeOf("/api/auth/sign-in/email")).toBe("/api/auth/[...all]");
    expect(routeOf("/")).toBe("/");
  });

  it("buckets build assets and unknown paths", () => {
    expect(routeOf("/_next/static/chunks/x.js")).toBe("/_next");
    expect(routeOf("/wp-admin/secret-123")).toBe("unmatched");
  });

  it("refuses a manifest of the wrong shape", () => {
    expect(() => routePatternMatcher({ staticRoutes: "nope" })).toThrow();
  });
});
