import "server-only";
import path from "node:path";
import { DEFAULT_DRAFT_VOCABULARY, draftVocabularyFrom, type TDraftVocabulary } from "@/lib/draft";
import type { Logger } from "@/lib/log";
import { readModelManifest } from "@/lib/models/manifest";

/**
 * The Draft rewriter's vocabulary for one installed model: the `draft`
 * section of its manifest over the generic default. A model that is not
 * installed, has no manifest, or whose manifest is unreadable gets the
 * generic default: a Draft turn still works, with plainer words. A broken
 * manifest is logged, so an admin can find out why its phrasings are not used.
 */
export async function draftVocabularyFor(context: { modelsDir: string; log: Logger }, modelId: string): Promise<TDraftVocabulary> {
  // A model id is the name of a folder in MODELS_DIR, never a path.
  if (path.basename(modelId) !== modelId || modelId === "." || modelId === "..") return DEFAULT_DRAFT_VOCABULARY;
  const modelDir = path.resolve(context.modelsDir, modelId);
  try {
    const read = await readModelManifest(modelDir);
    if (read?.problems.draft) context.log.warn({ modelId, problem: read.problems.draft }, "the model's Draft vocabulary in mirage.json is invalid; using the generic one");
    return draftVocabularyFrom(read?.manifest.draft);
  } catch (error) {
    context.log.warn({ err: error, modelId }, "cannot read the model's mirage.json; Draft uses the generic vocabulary");
    return DEFAULT_DRAFT_VOCABULARY;
  }
}
