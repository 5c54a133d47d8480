import { Counter, Histogram, Registry } from "prom-client";

/**
 * HTTP figures of the web process, observed by lib/launcher/web-server.ts
 * and served by /metrics. The launcher and the Next.js route are bundled
 * apart (each may load its own copy of this module and of prom-client), so
 * the registry lives on globalThis and /metrics reads its text from there.
 * Labels are bounded: the route is the Next.js route pattern, never the raw
 * path; the method is one of a fixed list.
 */
interface HttpMetrics {
  registry: Registry;
  requests: Counter<"method" | "route" | "status">;
  duration: Histogram<"method" | "route">;
}

const KEY = Symbol.for("mirage.httpMetrics");
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const store = globalThis as typeof globalThis & { [KEY]?: HttpMetrics };

function httpMetrics(): HttpMetrics {
  if (!store[KEY]) {
    const registry = new Registry();
    store[KEY] = {
      registry,
      requests: new Counter({ name: "mirage_http_requests_total", help: "HTTP requests answered, by method, route pattern and status.", labelNames: ["method", "route", "status"], registers: [registry] }),
      duration: new Histogram({
        name: "mirage_http_request_duration_seconds",
        help: "Time from request to the end of the response, by method and route pattern (streams count until they close).",
        labelNames: ["method", "route"],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      }),
    };
  }
  return store[KEY];
}

export function observeHttpRequest(input: { method: string | undefined; route: string; status: number; seconds: number }): void {
  const metrics = httpMetrics();
  const method = input.method && METHODS.has(input.method) ? input.method : "other";
  metrics.requests.inc({ method, route: input.route, status: String(input.status) });
  metrics.duration.observe({ method, route: input.route }, input.seconds);
}

/** The HTTP figures in Prometheus text format (empty series until the first request). */
export async function httpMetricsText(): Promise<string> {
  return httpMetrics().registry.metrics();
}
