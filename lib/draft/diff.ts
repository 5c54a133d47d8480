// A word-level diff of two prompts, for the "what changed" view when the LLM
// rewrote the prompt (the rules know what they changed; the LLM does not say).
// Prompts are short (≤ 2000 characters), so a plain LCS table is cheap enough.

export interface TWordChange {
  kind: "added" | "removed" | "replaced";
  text: string;
  with?: string;
}

function words(text: string): string[] {
  return text.split(" ").filter((word) => word !== "");
}

/** Runs of removed and added words between common words; a removed run followed by an added one is a replacement. */
export function diffWords(before: string, after: string): TWordChange[] {
  const a = words(before);
  const b = words(after);
  // Bound the table: beyond this, report the whole text as replaced rather than spend the time.
  if (a.length * b.length > 250_000) return before === after ? [] : [{ kind: "replaced", text: before, with: after }];
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const changes: TWordChange[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const text = removed.join(" ");
    const added_ = added.join(" ");
    if (removed.length > 0 && added.length > 0) changes.push({ kind: "replaced", text, with: added_ });
    else if (removed.length > 0) changes.push({ kind: "removed", text });
    else if (added.length > 0) changes.push({ kind: "added", text: added_ });
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      flush();
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      added.push(b[j]!);
      j++;
    } else {
      removed.push(a[i]!);
      i++;
    }
  }
  flush();
  return changes;
}
