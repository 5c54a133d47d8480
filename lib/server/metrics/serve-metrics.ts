import { createHash, timingSafeEqual } from "node:crypto";
import { contentType } from "prom-client";
import { errorResponse, toErrorResponse } from "@/lib/api/route";
import { getWebContext } from "@/lib/server/context";
import { httpMetricsText } from "./http-metrics";
import { studioMetricsText } from "./studio-metrics";

export const METRICS_OFF_MESSAGE =
  "Metrics are off on this studio. Set METRICS_TOKEN to a long random secret (e.g. `openssl rand -hex 32`) and scrape /metrics with `Authorization: Bearer <token>`.";

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function isToken(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * GET /metrics: the studio's figures and this web process's HTTP figures in
 * Prometheus text format, for a scraper holding METRICS_TOKEN. Without the
 * variable the endpoint does not exist (404 saying how to turn it on); a
 * missing or wrong token is a 401.
 */
export async function serveMetrics(req: Request): Promise<Response> {
  try {
    const { config, db } = getWebContext();
    if (!config.METRICS_TOKEN) return errorResponse("NOT_FOUND", METRICS_OFF_MESSAGE, 404);
    const presented = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
    if (!presented || !isToken(presented, config.METRICS_TOKEN)) {
      return errorResponse("UNAUTHORIZED", "Send the metrics token: `Authorization: Bearer <METRICS_TOKEN>`.", 401, {}, { "WWW-Authenticate": 'Bearer realm="metrics"' });
    }
    const [studio, http] = await Promise.all([studioMetricsText(db), httpMetricsText()]);
    return new Response(studio + http, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
  } catch (error) {
    return toErrorResponse(error);
  }
}
