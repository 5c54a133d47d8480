import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { getHealth } from "@/lib/server/health";

// Public, for probes; never cached.
export const GET = route(endpoints.health, async () => {
  const { db, redis } = getWebContext();
  const health = await getHealth(db, redis);
  return Response.json(health, { status: health.status === "down" ? 503 : 200, headers: { "Cache-Control": "no-store" } });
});
