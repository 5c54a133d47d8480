import { serveMetrics } from "@/lib/server/metrics/serve-metrics";

// GET /metrics – Prometheus scrape (docs/operations-metrics-audit.md §1)
export const dynamic = "force-dynamic";

export const GET = serveMetrics;
