import { getWebContext } from "@/lib/server/context";
import { getHealth } from "@/lib/server/health";

// GET /api/v1/health – Postgres, Redis and worker status (public, for probes)
export async function GET() {
  const { db, redis } = getWebContext();
  const health = await getHealth(db, redis);
  return Response.json(health, { status: health.status === "down" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
}
