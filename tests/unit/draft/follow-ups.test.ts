// The follow-up table (tests/fixtures/draft/follow-ups.ts) through the Draft
// rewriter. Two bars, as issue 23 sets them: at least 95 % of the rows read
// as a person would expect, and no destructive misreading at all — a word of
// the prompt, a --no item or a parameter gone that the message did not ask to
// remove (a wrong-but-harmless reading fails the row; a destructive one fails
// the test outright).
import { describe, expect, it } from "vitest";
import { DEFAULT_DRAFT_VOCABULARY, rewritePrompt, type TRewriteResult } from "@/lib/draft";
import { nounForms } from "@/lib/draft/lexicon";
import { formatPrompt, parsePrompt, type TPromptRecipe } from "@/lib/prompt";
import { FOLLOW_UPS, type TFollowUpCase } from "../../fixtures/draft/follow-ups";
import { MIRAGE_TINY } from "./mirage-tiny";

const PASS_RATE = 0.95;

function recipeOf(text: string): TPromptRecipe {
  const parsed = parsePrompt(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.recipe;
}

const STOP = new Set(["the", "and", "with", "over", "under", "above", "for", "from", "into", "onto", "like", "near", "its", "his", "her", "their", "an", "a", "of", "on", "in", "at", "by"]);

/** The content words of a prompt, each with every number it may take. */
function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}[\p{L}'-]*/gu) ?? []).filter((word) => word.length >= 3 && !STOP.has(word));
}

function containsWord(text: string, word: string): boolean {
  const words = new Set(text.toLowerCase().match(/\p{L}[\p{L}'-]*/gu) ?? []);
  return nounForms(word).some((form) => words.has(form));
}

const ratio = (recipe: TPromptRecipe) => `${recipe.aspectRatio.width}:${recipe.aspectRatio.height}`;
const negatives = (recipe: TPromptRecipe) => (recipe.negativePrompt ?? "").split(",").map((item) => item.trim().toLowerCase()).filter((item) => item !== "");
/** Everything except what a follow-up may change. */
const rest = (recipe: TPromptRecipe) => JSON.stringify({ ...recipe, prompt: "", negativePrompt: null, aspectRatio: null });

interface TVerdict {
  pass: boolean;
  destructive: string | null;
  got: string;
}

function judge(row: TFollowUpCase, before: TPromptRecipe, result: TRewriteResult): TVerdict {
  const after = result.recipe;
  const got = result.clarify
    ? `clarify: ${result.clarify.readings.map((reading) => reading.message).join(" | ")}`
    : result.undo
      ? `undo ${result.undo.to}`
      : result.understood
        ? formatPrompt(after)
        : `not understood: ${result.message ?? ""}`;

  // Destructive: something gone that the row does not expect to go.
  let destructive: string | null = null;
  if (rest(after) !== rest(before)) destructive = "a parameter changed";
  const allowedGone = (word: string) => {
    const expectation = row.expect;
    if (expectation.kind === "prompt") return !containsWord(expectation.text, word);
    if (expectation.kind === "loose") return (expectation.lacks ?? []).some((lack) => contentWords(lack).includes(word) || lack.toLowerCase().includes(word));
    return false;
  };
  const gone = contentWords(before.prompt).filter((word) => !containsWord(after.prompt, word) && !allowedGone(word));
  if (gone.length > 0) destructive ??= `removed ${gone.map((word) => `"${word}"`).join(", ")}`;
  const expectedNo = row.no?.map((item) => item.toLowerCase()) ?? negatives(before);
  const droppedNo = negatives(before).filter((item) => !negatives(after).includes(item) && expectedNo.includes(item));
  if (droppedNo.length > 0) destructive ??= `dropped --no ${droppedNo.join(", ")}`;
  if (ratio(after) !== ratio(before) && ratio(after) !== (row.ar ?? ratio(before))) destructive ??= `aspect ratio changed to ${ratio(after)} unasked`;

  // Correct: what a person would expect.
  const expectation = row.expect;
  let pass: boolean;
  if (expectation.kind === "clarify") pass = result.clarify !== undefined && formatPrompt(after) === formatPrompt(before);
  else if (expectation.kind === "undo") pass = result.undo?.to === expectation.to;
  else {
    const text = after.prompt.toLowerCase();
    const textOk =
      expectation.kind === "prompt"
        ? text === expectation.text.toLowerCase()
        : (expectation.has ?? []).every((part) => text.includes(part.toLowerCase())) && (expectation.lacks ?? []).every((part) => !text.includes(part.toLowerCase()));
    const arOk = ratio(after) === (row.ar ?? ratio(before));
    const noOk = JSON.stringify([...negatives(after)].sort()) === JSON.stringify([...expectedNo].sort());
    pass = result.understood && !result.clarify && !result.undo && textOk && arOk && noOk;
  }
  return { pass, destructive, got };
}

describe("the Draft follow-up table (issue 23)", () => {
  it("has at least 300 rows", () => {
    expect(FOLLOW_UPS.length).toBeGreaterThanOrEqual(300);
  });

  it(`reads at least ${PASS_RATE * 100} % of the rows as a person would, with no destructive misreading`, () => {
    const failures: string[] = [];
    const destructive: string[] = [];
    let passed = 0;
    for (const row of FOLLOW_UPS) {
      const before = recipeOf(row.before);
      const result = rewritePrompt(before, row.say, { vocabulary: row.model === "tiny" ? MIRAGE_TINY : DEFAULT_DRAFT_VOCABULARY });
      const verdict = judge(row, before, result);
      const line = `[${row.model}] "${row.before}" + "${row.say}" → ${verdict.got}  (expected ${JSON.stringify(row.expect)}${row.ar ? ` --ar ${row.ar}` : ""}${row.no ? ` --no ${row.no.join(", ")}` : ""})`;
      if (verdict.pass) passed++;
      else failures.push(line);
      if (verdict.destructive) destructive.push(`${verdict.destructive}: ${line}`);
    }
    const rate = passed / FOLLOW_UPS.length;
    console.log(`Draft follow-up table: ${passed}/${FOLLOW_UPS.length} = ${(rate * 100).toFixed(1)} % pass, ${destructive.length} destructive`);
    if (failures.length > 0) console.log(`Failing rows:\n${failures.join("\n")}`);
    if (destructive.length > 0) console.log(`Destructive misreadings:\n${destructive.join("\n")}`);
    expect(destructive).toEqual([]);
    expect(rate).toBeGreaterThanOrEqual(PASS_RATE);
  });
});
