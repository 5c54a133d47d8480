import "server-only";
import { getWebContext } from "@/lib/server/context";
import type { TMoodboardContext } from "./moodboards";

/** The web process' moodboard context: its database, image store, logger and models. */
export function moodboardContext(): TMoodboardContext {
  const web = getWebContext();
  return { db: web.db, storage: web.storage, log: web.log, modelsDir: web.jobs.modelsDir, defaultModelId: web.jobs.defaultModelId };
}
