import "server-only";
import type { getWebContext } from "@/lib/server/context";

/** What the protocol services use of the web process: the same context the /api/v1 routes use. */
export type ProtocolContext = ReturnType<typeof getWebContext>;
