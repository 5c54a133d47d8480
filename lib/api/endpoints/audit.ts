import { ZAuditPage, ZAuditQuery } from "@/lib/schemas/audit";
import { defineEndpoint } from "../contract";

export const listAuditEvents = defineEndpoint({
  method: "GET",
  path: "/api/v1/admin/audit",
  access: "admin",
  summary: "The audit log of admin and security events, newest first (admin; `format=csv` for CSV)",
  description:
    "Filter by `kind`, `actor` (part of an email, or a user id) and `from`/`to` (UTC days, inclusive). JSON answers a page of 50 with `nextCursor`; CSV answers every match (up to 50,000), with fields that a spreadsheet would read as a formula prefixed by an apostrophe.",
  query: ZAuditQuery,
  responses: { 200: { schema: ZAuditPage, description: "A page of events (or text/csv)" } },
});
