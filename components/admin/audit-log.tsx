"use client";

import { useId, useState, type FormEvent, type ReactNode } from "react";
import { apiUrl, callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { AUDIT_KINDS, type TAuditEvent, type TAuditKind, type TAuditPage } from "@/lib/schemas/audit";
import { Button, buttonClassName } from "../ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../ui/table";

interface Filters {
  kind: TAuditKind | "";
  actor: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { kind: "", actor: "", from: "", to: "" };

/** The query a filter set sends: empty fields are left out. */
function queryOf(filters: Filters) {
  return {
    ...(filters.kind && { kind: filters.kind }),
    ...(filters.actor.trim() && { actor: filters.actor.trim() }),
    ...(filters.from && { from: filters.from }),
    ...(filters.to && { to: filters.to }),
  };
}

/** A short reading of an event's detail: `key: value` pairs, lists joined. */
function detailText(detail: TAuditEvent["detail"]): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(", ") || "—" : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`)
    .join(" · ");
}

function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs text-ink-300">{label}</label>
      {children(id)}
    </div>
  );
}

const INPUT = "rounded-md border border-ink-700 bg-ink-900 px-2 py-1 text-sm";

/** The audit log, newest first: filter by kind, actor and days; load older pages; export what the filter shows as CSV. */
export function AuditLog({ initial }: { initial: TAuditPage }) {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [page, setPage] = useState(initial);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function load(filters: Filters, cursor?: string) {
    setLoading(true);
    setError(null);
    try {
      const next = await callApi(endpoints.listAuditEvents, { query: { ...queryOf(filters), ...(cursor && { cursor }) } });
      setPage((current) => (cursor ? { events: [...current.events, ...next.events], nextCursor: next.nextCursor } : next));
      setApplied(filters);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setLoading(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void load(draft);
  }

  return (
    <div className="flex flex-col gap-3">
      <form onSubmit={submit} aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3">
        <Field label="Kind">
          {(id) => (
            <select id={id} value={draft.kind} onChange={(event) => setDraft({ ...draft, kind: event.target.value as Filters["kind"] })} className={INPUT}>
              <option value="">All kinds</option>
              {AUDIT_KINDS.map((kind) => <option key={kind} value={kind}>{kind}</option>)}
            </select>
          )}
        </Field>
        <Field label="Actor (email or id)">
          {(id) => <input id={id} type="search" value={draft.actor} onChange={(event) => setDraft({ ...draft, actor: event.target.value })} className={`${INPUT} w-56`} />}
        </Field>
        <Field label="From (UTC)">
          {(id) => <input id={id} type="date" value={draft.from} onChange={(event) => setDraft({ ...draft, from: event.target.value })} className={INPUT} />}
        </Field>
        <Field label="To (UTC)">
          {(id) => <input id={id} type="date" value={draft.to} onChange={(event) => setDraft({ ...draft, to: event.target.value })} className={INPUT} />}
        </Field>
        <Button type="submit" variant="secondary" disabled={loading}>Apply filters</Button>
        <a href={apiUrl(endpoints.listAuditEvents, { query: { ...queryOf(applied), format: "csv" } })} className={buttonClassName({ variant: "outline" })} download>
          Export audit log (CSV)
        </a>
      </form>
      {error && <p role="alert" className="rounded-lg bg-red-950/60 px-3 py-2 text-sm text-red-200">{error}</p>}
      <p role="status" className="text-xs text-ink-300">
        {loading ? "Loading…" : `${page.events.length} event${page.events.length === 1 ? "" : "s"} shown${page.nextCursor ? " (older ones below)" : ""}`}
      </p>
      <Table className="max-w-6xl" aria-label="Audit log">
        <TableHead>
          <TableRow>{["When (UTC)", "Kind", "Actor", "Subject", "Address", "Detail"].map((header) => <TableHeader key={header}>{header}</TableHeader>)}</TableRow>
        </TableHead>
        <TableBody>
          {page.events.length === 0 ? (
            <TableRow>
              <TableCell colSpan={6} className="text-ink-300">No events match these filters.</TableCell>
            </TableRow>
          ) : (
            page.events.map((event) => (
              <TableRow key={event.id}>
                <TableCell className="whitespace-nowrap">{event.at.slice(0, 19).replace("T", " ")}</TableCell>
                <TableCell className="whitespace-nowrap font-mono text-xs">{event.kind}</TableCell>
                <TableCell>{event.actorEmail ?? event.actorId ?? "—"}</TableCell>
                <TableCell>{event.subjectLabel ?? event.subjectId ?? "—"}</TableCell>
                <TableCell>{event.address ?? "—"}</TableCell>
                <TableCell className="min-w-64 max-w-md whitespace-normal break-words text-xs text-ink-200">{detailText(event.detail) || "—"}</TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
      {page.nextCursor && (
        <Button variant="outline" className="self-start" disabled={loading} onClick={() => void load(applied, page.nextCursor ?? undefined)}>
          Load older events
        </Button>
      )}
    </div>
  );
}
