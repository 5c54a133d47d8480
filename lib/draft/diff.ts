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
  // Prefix table, walked from the end: when several alignments are equally long,
  // the shared words are matched as late as possible, so "a star over a boat"
  // → "a boat" reads as "a star over" removed, not "star over a".
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      lcs[i]![j] = a[i - 1] === b[j - 1] ? lcs[i - 1]![j - 1]! + 1 : Math.max(lcs[i - 1]![j]!, lcs[i]![j - 1]!);
    }
  }
  type TOp = { kind: "same" | "removed" | "added"; word: string };
  const ops: TOp[] = [];
  let i = a.length;
  let j = b.length;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && a[i - 1] === b[j - 1]) {
      ops.push({ kind: "same", word: a[i - 1]! });
      i--;
      j--;
    } else if (j > 0 && (i === 0 || lcs[i]![j - 1]! >= lcs[i - 1]![j]!)) {
      ops.push({ kind: "added", word: b[j - 1]! });
      j--;
    } else {
      ops.push({ kind: "removed", word: a[i - 1]! });
      i--;
    }
  }
  ops.reverse();

  const changes: TWordChange[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    const text = removed.join(" ");
    const addedText = added.join(" ");
    if (removed.length > 0 && added.length > 0) changes.push({ kind: "replaced", text, with: addedText });
    else if (removed.length > 0) changes.push({ kind: "removed", text });
    else if (added.length > 0) changes.push({ kind: "added", text: addedText });
    removed = [];
    added = [];
  };
  for (const op of ops) {
    if (op.kind === "same") flush();
    else if (op.kind === "removed") removed.push(op.word);
    else added.push(op.word);
  }
  flush();
  return changes;
}
