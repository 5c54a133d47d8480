/**
 * CLIP BPE tokenizer for Stable-Diffusion text encoders, on top of
 * `@huggingface/tokenizers`. Optimum exports ship `vocab.json` + `merges.txt`
 * but rarely a `tokenizer.json`, so the `tokenizer.json` description that
 * `CLIPTokenizerFast` would produce is synthesised in memory from them.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { Tokenizer } from "@huggingface/tokenizers";

/** CLIP's text context length, including start and end tokens. */
export const CLIP_MAX_LENGTH = 77;

const START_TOKEN = "<|startoftext|>";
const END_TOKEN = "<|endoftext|>";
/** openai/CLIP's word split: specials, contractions, letter runs, single digits, other symbol runs. */
const CLIP_SPLIT_PATTERN =
  "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

export interface ClipTokenizer {
  /** Ids with start and end tokens, no padding, truncated to `maxLength`. */
  encode(text: string): number[];
  /** `encode` padded with `padId` to exactly `maxLength`, what text encoders take. */
  encodePadded(text: string): number[];
  readonly maxLength: number;
  readonly startId: number;
  readonly endId: number;
  /** SD 1.x pads with the end token; SD 2.x / SDXL's second encoder with "!" (0). */
  readonly padId: number;
}

export interface ClipTokenizerFiles {
  vocab: Record<string, number>;
  /** Merge rules, "left right" per entry, in rank order (no `#version` header). */
  merges: string[];
  /** @defaultValue `<|endoftext|>` */
  padToken?: string;
  /** @defaultValue 77 */
  maxLength?: number;
}

/** Reads `dir/vocab.json`, `merges.txt` and the pad token and length from the tokenizer configs. */
export async function loadClipTokenizer(dir: string): Promise<ClipTokenizer> {
  const [vocabText, mergesText, specialMap, tokenizerConfig] = await Promise.all([
    readFile(join(dir, "vocab.json"), "utf8"),
    readFile(join(dir, "merges.txt"), "utf8"),
    readOptionalJson(join(dir, "special_tokens_map.json")),
    readOptionalJson(join(dir, "tokenizer_config.json")),
  ]);
  const padToken = tokenContent(tokenizerConfig["pad_token"]) ?? tokenContent(specialMap["pad_token"]);
  const maxLength = tokenizerConfig["model_max_length"];
  return createClipTokenizer({
    vocab: JSON.parse(vocabText) as Record<string, number>,
    merges: parseMerges(mergesText),
    ...(padToken !== undefined && { padToken }),
    // Some configs carry a huge sentinel (1e30) instead of a real limit.
    ...(typeof maxLength === "number" && maxLength <= 4096 && { maxLength }),
  });
}

export function createClipTokenizer(files: ClipTokenizerFiles): ClipTokenizer {
  const maxLength = files.maxLength ?? CLIP_MAX_LENGTH;
  const startId = requireId(files.vocab, START_TOKEN);
  const endId = requireId(files.vocab, END_TOKEN);
  const padId = requireId(files.vocab, files.padToken ?? END_TOKEN);
  const tokenizer = new Tokenizer(clipTokenizerJson(files.vocab, files.merges, startId, endId), {});

  const encode = (text: string): number[] => {
    const body = tokenizer.encode(text, { add_special_tokens: false }).ids;
    return [startId, ...body.slice(0, maxLength - 2), endId];
  };
  return {
    maxLength,
    startId,
    endId,
    padId,
    encode,
    encodePadded(text) {
      const ids = encode(text);
      return [...ids, ...Array<number>(maxLength - ids.length).fill(padId)];
    },
  };
}

/** `merges.txt` lines without the `#version` header or blank lines. */
export function parseMerges(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0 && !line.startsWith("#version"));
}

/** The tokenizer.json `CLIPTokenizerFast` serialises, built from the slow tokenizer's files. */
function clipTokenizerJson(vocab: Record<string, number>, merges: string[], startId: number, endId: number) {
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [special(startId, START_TOKEN), special(endId, END_TOKEN)],
    normalizer: {
      type: "Sequence",
      normalizers: [{ type: "NFC" }, { type: "Replace", pattern: { Regex: "\\s+" }, content: " " }, { type: "Lowercase" }],
    },
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [
        { type: "Split", pattern: { Regex: CLIP_SPLIT_PATTERN }, behavior: "Removed", invert: true },
        { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: "RobertaProcessing",
      sep: [END_TOKEN, endId],
      cls: [START_TOKEN, startId],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: END_TOKEN,
      continuing_subword_prefix: "",
      end_of_word_suffix: "</w>",
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

function requireId(vocab: Record<string, number>, token: string): number {
  const id = vocab[token];
  if (id === undefined) throw new Error(`tokenizer vocabulary has no ${token}`);
  return id;
}

/** Special tokens appear either as strings or as `{ content }` objects. */
function tokenContent(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && typeof (value as { content?: unknown }).content === "string") {
    return (value as { content: string }).content;
  }
  return undefined;
}

async function readOptionalJson(path: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}
