"use client";

import { MODEL_WORD_GROUPS, type TModelWords } from "@/lib/models/prompt-words";

/**
 * What a small-vocabulary model knows, under the imagine bar (issue 19): a
 * newcomer's first prompt to mirage-tiny works when it uses these phrases,
 * and a click adds one to the prompt's description. Collapsed by default
 * (a native disclosure, keyboard- and screen-reader-ready); shown only for
 * models whose manifest lists their vocabulary (lib/models/prompt-words.ts).
 */
export function ModelWords({ modelName, words, onAdd }: { modelName: string; words: TModelWords; onAdd: (group: keyof TModelWords, phrase: string) => void }) {
  return (
    <details className="group px-2 text-xs text-ink-300" data-testid="model-words">
      <summary className="cursor-pointer select-none rounded-sm hover:text-ink-100">
        Words {modelName} knows
      </summary>
      <p className="mt-1">A small model draws what it was taught. Build a prompt from these, e.g. “a large red house on the left, under a sunset sky”.</p>
      <div className="mt-2 flex flex-col gap-2">
        {MODEL_WORD_GROUPS.map(([group, label]) =>
          words[group].length === 0 ? null : (
            <div key={group} role="group" aria-label={label} className="flex flex-wrap items-center gap-1">
              <span aria-hidden className="w-full shrink-0 sm:w-24">{label}</span>
              {words[group].map((phrase) => (
                <button
                  key={phrase}
                  type="button"
                  onClick={() => onAdd(group, phrase)}
                  className="rounded-full border border-ink-700 px-2 py-0.5 text-ink-100 hover:border-ink-500"
                >
                  {phrase}
                </button>
              ))}
            </div>
          ),
        )}
      </div>
    </details>
  );
}
