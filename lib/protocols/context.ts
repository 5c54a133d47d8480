import "server-only";
import type { TJobSource } from "@/lib/jobs/model";
import { getWebContext } from "@/lib/server/context";

/** What the protocol services use of the web process: the same context the /api/v1 routes use. */
export type ProtocolContext = ReturnType<typeof getWebContext>;

/**
 * The web context for one outside protocol: the same services, with jobs
 * marked as coming from that protocol, so Organize can say which tool made
 * an image (docs/protocols.md, "Where jobs came from").
 */
export function protocolContext(source: Exclude<TJobSource, "web">): ProtocolContext {
  const web = getWebContext();
  return { ...web, jobs: { ...web.jobs, source } };
}
