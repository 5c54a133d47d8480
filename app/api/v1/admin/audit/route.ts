import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { auditEventsCsv, listAuditEvents } from "@/lib/server/audit/list-events";
import { getWebContext } from "@/lib/server/context";

export const GET = route(endpoints.listAuditEvents, async ({ query: { format, ...filter } }) => {
  const { db } = getWebContext();
  if (format === "csv") {
    const { cursor: _cursor, ...all } = filter;
    return new Response(await auditEventsCsv(db, all), {
      headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="mirage-audit.csv"', "Cache-Control": "no-store" },
    });
  }
  return { status: 200, body: await listAuditEvents(db, filter) };
});
