import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { createClipTokenizer, loadClipTokenizer, parseMerges } from "@/lib/diffusion/tokenizer";

/** GPT-2's byte → printable-character table that CLIP's vocabulary is written in. */
function byteSymbols(): string[] {
  const printable = [
    ...range(0x21, 0x7e),
    ...range(0xa1, 0xac),
    ...range(0xae, 0xff),
  ];
  const symbols = new Map<number, number>(printable.map((b) => [b, b]));
  let next = 256;
  for (let b = 0; b < 256; b++) if (!symbols.has(b)) symbols.set(b, next++);
  return [...printable, ...range(0, 255).filter((b) => !printable.includes(b))].map((b) => String.fromCodePoint(symbols.get(b)!));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A CLIP-shaped vocabulary: 256 bytes, the same with `</w>`, one token per merge, then the two specials. */
const MERGES = ["c a", "ca t</w>", "p h", "ph o", "pho t", "phot o</w>", "o f</w>", "d o", "do g</w>"];
function smallVocab(): Record<string, number> {
  const bytes = byteSymbols();
  const tokens = [...bytes, ...bytes.map((b) => `${b}</w>`), ...MERGES.map((m) => m.replace(" ", "")), "<|startoftext|>", "<|endoftext|>"];
  return Object.fromEntries(tokens.map((t, i) => [t, i]));
}

const vocab = smallVocab();
const id = (token: string) => vocab[token]!;
const START = id("<|startoftext|>");
const END = id("<|endoftext|>");

describe("CLIP tokenizer on a small vocabulary", () => {
  const tokenizer = createClipTokenizer({ vocab, merges: MERGES });

  it("applies merges in rank order and marks word ends", () => {
    expect(tokenizer.encode("a photo of a cat")).toEqual([START, id("a</w>"), id("photo</w>"), id("of</w>"), id("a</w>"), id("cat</w>"), END]);
  });

  it("lowercases, collapses whitespace and splits symbols and single digits", () => {
    expect(tokenizer.encode("  A   DOG.  ")).toEqual([START, id("a</w>"), id("dog</w>"), id(".</w>"), END]);
    expect(tokenizer.encode("2016")).toEqual([START, id("2</w>"), id("0</w>"), id("1</w>"), id("6</w>"), END]);
    // Contractions are their own pre-token: "'s" → "'" + "s</w>".
    expect(tokenizer.encode("cat's")).toEqual([START, id("cat</w>"), id("'"), id("s</w>"), END]);
  });

  it("falls back to unmerged bytes for unknown words", () => {
    expect(tokenizer.encode("cab")).toEqual([START, id("ca"), id("b</w>"), END]);
  });

  it("encodes the empty prompt as start + end", () => {
    expect(tokenizer.encode("")).toEqual([START, END]);
  });

  it("truncates to 77 ids, keeping the end token", () => {
    const ids = tokenizer.encode("cat ".repeat(200));
    expect(ids).toHaveLength(77);
    expect(ids[0]).toBe(START);
    expect(ids[76]).toBe(END);
  });

  it("pads with the end token by default", () => {
    const ids = tokenizer.encodePadded("a cat");
    expect(ids).toHaveLength(77);
    expect(ids.slice(0, 4)).toEqual([START, id("a</w>"), id("cat</w>"), END]);
    expect(new Set(ids.slice(4))).toEqual(new Set([END]));
  });
});

describe("loadClipTokenizer", () => {
  it("reads vocab.json, merges.txt and the pad token SD 2.x declares", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clip-tokenizer-"));
    writeFileSync(join(dir, "vocab.json"), JSON.stringify(vocab));
    writeFileSync(join(dir, "merges.txt"), `#version: 0.2\n${MERGES.join("\n")}\n`);
    writeFileSync(join(dir, "special_tokens_map.json"), JSON.stringify({ pad_token: "!" }));
    writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({ model_max_length: 77, pad_token: { content: "!", special: true } }));
    const tokenizer = await loadClipTokenizer(dir);
    expect(tokenizer.padId).toBe(id("!"));
    expect(tokenizer.encodePadded("dog").slice(0, 4)).toEqual([START, id("dog</w>"), END, id("!")]);
  });

  it("parses merges without the version header", () => {
    expect(parseMerges("#version: 0.2\na b\n\nab c</w>\n")).toEqual(["a b", "ab c</w>"]);
  });
});
