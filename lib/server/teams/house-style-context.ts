import "server-only";
import { getWebContext } from "@/lib/server/context";
import type { THouseStyleContext } from "./house-style";

/** The web process' house style context: its database and installed models. */
export function houseStyleContext(): THouseStyleContext {
  const { jobs } = getWebContext();
  return { db: jobs.db, modelsDir: jobs.modelsDir, defaultModelId: jobs.defaultModelId };
}
