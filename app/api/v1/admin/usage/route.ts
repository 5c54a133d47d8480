import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { AppError } from "@/lib/errors";
import { adminUsageCsv, getAdminUsage } from "@/lib/server/accounting/usage";
import { getWebContext } from "@/lib/server/context";

const DAY_MS = 86_400_000;

export const GET = route(endpoints.adminUsage, async ({ query }) => {
  const to = query.to ? new Date(new Date(`${query.to}T00:00:00Z`).getTime() + DAY_MS) : new Date();
  const from = query.from ? new Date(`${query.from}T00:00:00Z`) : new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) throw new AppError("BAD_REQUEST", "from must be before to.");
  const usage = await getAdminUsage(getWebContext().db, { from, to, groupBy: query.groupBy });
  if (query.format === "csv") {
    return new Response(adminUsageCsv(usage), {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="mirage-usage-by-${query.groupBy}.csv"` },
    });
  }
  return { status: 200, body: usage };
});
