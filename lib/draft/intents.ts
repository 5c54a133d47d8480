// Step 2 of the rewriter: what does the person want changed? An utterance is
// split into requests, each request is matched against a short, ordered list of
// sentence shapes ("remove X", "swap X for Y", "move X <where>", "add X",
// "make X <complement>", "X be <complement>", or a bare complement such as
// "warmer" or "at sunset"), and the complement is resolved by looking it up in
// the vocabulary tables. No edit is applied here; apply.ts does that.

import {
  normaliseUtterance, prefixed, joinTexts, slice, splitRequests, stripPoliteness, trimText, type TText,
} from "./utterance";
import { lexiconOf } from "./lexicon";
import { adjectiveBase, namesAThing } from "./nlp";
import { reduceRatio } from "@/lib/prompt/aspect-ratio";
import type { TBackgroundSlot, TDraftVocabulary, TPole, TPosition, TStyleAxis } from "./vocabulary";

/**
 * Who an edit is about. A background target is the sky, or the whole
 * background: "change the background to the sea" replaces every background
 * phrase, "change the sky to night" only the sky.
 */
export type TTarget = { kind: "main" } | { kind: "named"; noun: string; text: string } | { kind: "background"; whole: boolean };

export type TEdit =
  | { kind: "style"; axis: TStyleAxis; pole: TPole }
  /** An open-ended medium or rendering style ("watercolour", "in the style of ukiyo-e"). */
  | { kind: "medium"; text: string }
  | { kind: "aspect"; ratio: { width: number; height: number } }
  /** `whole`: replaces every background phrase, not only those in the same slot. */
  | { kind: "background"; phrase: string; slot: TBackgroundSlot; whole?: boolean }
  | { kind: "position"; target: TTarget; position: TPosition }
  | { kind: "colour"; target: TTarget; colour: string }
  | { kind: "size"; target: TTarget; size: string }
  /** A new thing in the picture: a noun phrase ("a moon"). */
  | { kind: "add"; text: string }
  /** Something the subject does or has: "holding a blue lightsaber", "with a hat". */
  | { kind: "action"; text: string }
  | { kind: "remove"; what: string }
  /** `instead`: what to do when the target is not in the prompt (a swap read from "remove X and add Y"). */
  | { kind: "replace"; target: TTarget; text: string; instead?: readonly TEdit[] };

export interface TParsedUtterance {
  edits: TEdit[];
  /** Requests that matched no shape, as typed. */
  unknown: string[];
  /** Set when the utterance was too long to be a follow-up and was not read. */
  tooLong?: true;
}

/** Longest follow-up read, in UTF-16 units. */
export const MAX_UTTERANCE_LENGTH = 500;
/** Most requests read from one follow-up; the rest are ignored (nobody asks for twenty changes at once). */
const MAX_REQUESTS = 12;

type TRule = (request: TText, vocabulary: TDraftVocabulary) => TEdit[] | null;

const MAIN: TTarget = { kind: "main" };

// ---------------------------------------------------------------------------
// Complements: "red", "bigger", "at sunset", "more muted", "a boat", …

const FILLER = /^(?:a (?:little bit|little|bit|lot|touch|tad|fair bit)|slightly|much|way|even|really|very|somewhat|kind of|kinda|sort of|quite|super|extra|far|lots|considerably|significantly|a lot more|a bit more)\s+/;
const LESS = /^(?:less|too|not so|not as|not too|fewer|no longer|not|a less|slightly less|much less|a bit less|a little less)\s+/;
const MORE = /^(?:more|much more|even more|a bit more|a little more|a lot more|extra|very|really|super)\s+/;
const POSTURE = /^(?:standing|sitting|floating|flying|lying|laying|walking|running|swimming|sailing|hovering|perched|parked|resting|sleeping|dancing|drifting|riding|set|placed|located|stranded|waiting|posing|fighting|living|camping)\s+(?:on|in|at|inside|aboard|upon|atop|under|underneath|beneath|by|near|over|above|across|through|among|amid|within|in front of|on top of)\b/;
const SETTING = /^(?:on|in|at|inside|aboard|upon|atop|under|underneath|beneath|against|amid|among|within|by|near|across|through|onboard|on board|in front of|on top of|outside)\s+\S/;
const SKY_WORDS = /\b(?:sky|skies|night|sunset|sunrise|dawn|dusk|stars|starry|twilight|moonlight|moonlit)\b/;
const INDEFINITE = /^(?:a|an|some|one|two|three|four|five|six|seven|eight|nine|ten|several|many|few|a few|a couple of|a pair of|another|lots of|a lot of|a bunch of|a group of)\s+\S/;
const ACTION_LEAD = /^(?:\p{L}{2,}ing|dressed|dressed up|wearing|with|carrying|wielding|holding)\b/u;
const ASPECT_SUFFIX = /\s+(?:format|orientation|aspect ratio|aspect|ratio|image|picture|photo|shot|frame|mode|shape|crop|layout|view|version|wallpaper|background|screen)$/;
const STYLE_SUFFIX = /\s+(?:colours|colors|tones|palette|look|feel|style|vibe|lighting|overall|in tone|in style|in colour|in color|feeling|mood|atmosphere)$/;
const BACKGROUND_SUFFIX = /\s+(?:background|backdrop|setting|scene|scenery|environment|landscape|time)$/;
const COLOUR_WRAP = /^(?:in |coloured |colored |painted |all )?(.+?)(?: colou?r(?:ed)?| paint| all over)?$/;

function strip(value: TText, pattern: RegExp): TText {
  const match = pattern.exec(value.lower);
  if (!match || match[0].length === 0) return value;
  return match.index === 0 ? trimText(slice(value, match[0].length)) : trimText(slice(value, 0, match.index));
}

function resolveAspect(lower: string, vocabulary: TDraftVocabulary): TEdit | null {
  // "as a widescreen picture", "into a portrait format", "for my phone": the shape word is what counts.
  const bare = lower
    .replace(/^(?:in|to|into|as|for) /, "")
    .replace(/^(?:a|an|my|the|some) /, "")
    .replace(/^(?:ultra|super|extra|very|really)[ -]?(?=wide|tall|widescreen)/, "")
    .replace(/^(?:ar|aspect ratio|aspect|ratio|format)(?: of| to| =)? ?(?=\d)/, "")
    .replace(ASPECT_SUFFIX, "")
    .replace(ASPECT_SUFFIX, "");
  const ratio = /^(\d{1,5}) ?(?::|x|by|to) ?(\d{1,5})$/.exec(bare);
  if (ratio) {
    const width = Number(ratio[1]);
    const height = Number(ratio[2]);
    if (width < 1 || height < 1) return null;
    return { kind: "aspect", ratio: reduceRatio(width, height) };
  }
  const known = lexiconOf(vocabulary).aspect.get(bare);
  return known ? { kind: "aspect", ratio: { ...known } } : null;
}

/** "more muted", "less detailed", "too dark", "warmer", "ink outline" → an axis and a pole. */
function resolveStyle(lower: string, vocabulary: TDraftVocabulary): TEdit | null {
  const styles = lexiconOf(vocabulary).style;
  const lookup = (phrase: string) => styles.get(phrase) ?? null;
  // "a darker mood", "some shading", "with outlines", "brighter colours" (→ "bright colours", a saturation word).
  const unarticled = lower.replace(/^(?:a|an|some|with|with some)\s+/, "");
  const [head = "", ...tail] = unarticled.split(" ");
  const based = [adjectiveBase(head), ...tail].join(" ");
  const candidates = [...new Set([lower, unarticled, based, lower.replace(STYLE_SUFFIX, ""), unarticled.replace(STYLE_SUFFIX, "")])];
  for (const candidate of candidates) {
    const whole = lookup(candidate);
    if (whole) return { kind: "style", ...whole };
    const less = LESS.exec(candidate);
    if (less) {
      const found = lookup(candidate.slice(less[0].length).replace(STYLE_SUFFIX, ""));
      if (found) return { kind: "style", axis: found.axis, pole: found.pole === "negative" ? "positive" : "negative" };
    }
    const more = MORE.exec(candidate);
    if (more) {
      const found = lookup(candidate.slice(more[0].length).replace(STYLE_SUFFIX, ""));
      if (found) return { kind: "style", ...found };
    }
  }
  return null;
}

function resolveBackground(value: TText, target: TTarget, vocabulary: TDraftVocabulary): TEdit | null {
  const lower = value.lower.replace(/^(?:to|into|like) /, "");
  // "on a meadow" when the table says "in a meadow": the preposition is the person's, the place is the table's.
  const placeOnly = lower.replace(/^(?:on|in|at|over|by|under|onto|near) (?=\S)/, "");
  const candidates = [lower, lower.replace(BACKGROUND_SUFFIX, ""), lower.replace(/^(?:a|an|the) /, ""), placeOnly, placeOnly.replace(/^(?:a|an|the) /, "")];
  const backgrounds = lexiconOf(vocabulary).background;
  const background = candidates.map((candidate) => backgrounds.get(candidate)).find((found) => found !== undefined);
  if (background) {
    const whole = target.kind === "background" && target.whole;
    return { kind: "background", phrase: background.phrase, slot: background.slot, ...(whole ? { whole } : {}) };
  }
  // "make the background red", "the sky should be pink": a colour for the background is a plain-colour backdrop.
  if (target.kind === "background") {
    const colour = resolveColourWord(lower, vocabulary);
    if (colour) return { kind: "background", phrase: `on a ${colour} background`, slot: "backdrop" };
  }
  return null;
}

function resolvePosition(lower: string, vocabulary: TDraftVocabulary): TPosition | null {
  const candidates = [
    lower,
    lower.replace(/^(?:over|more|further|farther|all the way|right|slightly|a bit|a little)\s+(?:to\s+)?/, ""),
    lower.replace(/\s+(?:side|of the (?:image|picture|frame|scene|canvas)|edge|corner)$/, ""),
  ];
  const positions = lexiconOf(vocabulary).position;
  return candidates.map((candidate) => positions.get(candidate)).find((found) => found !== undefined) ?? null;
}

function resolveSize(lower: string, vocabulary: TDraftVocabulary): string | null {
  const bare = lower.replace(/^(?:look |appear )/, "").replace(/\s+(?:in size|sized)$/, "");
  const sizes = lexiconOf(vocabulary).size;
  const direct = sizes.get(bare);
  if (direct) return direct;
  // "too big" means smaller; only meaningful when there are exactly two sizes to choose between.
  const less = LESS.exec(bare);
  const opposite = less ? sizes.get(bare.slice(less[0].length)) : undefined;
  if (opposite && vocabulary.sizes.length === 2) return vocabulary.sizes.find((size) => size.value !== opposite)?.value ?? null;
  return null;
}

/** "watercolour", "as a painting", "in the style of ukiyo-e", "ukiyo-e style". */
function resolveMedium(value: TText, vocabulary: TDraftVocabulary): TEdit | null {
  const lower = value.lower;
  if (/^(?:in )?(?:the )?(?:style|manner) of \S/.test(lower) || /^\S+(?: \S+)? style$/.test(lower)) {
    return { kind: "medium", text: /^(?:in )/.test(lower) || / style$/.test(lower) ? value.text : `in the ${value.text}` };
  }
  const bare = lower.replace(/^(?:as |like |into |in )?(?:a |an )?/, "");
  const medium = lexiconOf(vocabulary).media.get(bare);
  return medium ? { kind: "medium", text: medium } : null;
}

/** "red", "dark blue", "in red", "coloured pink" → the colour as the prompt should say it. */
function resolveColourWord(lower: string, vocabulary: TDraftVocabulary): string | null {
  const inner = COLOUR_WRAP.exec(lower)?.[1] ?? lower;
  const words = inner.split(" ");
  const colour = words.at(-1) ?? "";
  const { colours, colourModifiers } = lexiconOf(vocabulary);
  if (!colours.has(colour)) return null;
  if (words.length === 1) return colour;
  if (words.length === 2 && colourModifiers.has(words[0] ?? "")) return inner;
  return null;
}

/** "holding a blue lightsaber" is something the subject does; "standing on a spaceship" is where it is. */
// "make him hold a lightsaber", "he should wear a hat": a base verb is the same action.
const BASE_VERBS: Readonly<Record<string, string>> = {
  hold: "holding", wear: "wearing", carry: "carrying", ride: "riding", stand: "standing", sit: "sitting", fly: "flying",
  swim: "swimming", float: "floating", wield: "wielding", eat: "eating", play: "playing", read: "reading", drink: "drinking",
  walk: "walking", run: "running", dance: "dancing", sleep: "sleeping", lie: "lying", sail: "sailing", hover: "hovering",
};

function resolveAction(input: TText): TEdit | null {
  const verb = /^[a-z]+/.exec(input.lower)?.[0] ?? "";
  const gerund = Object.hasOwn(BASE_VERBS, verb) ? BASE_VERBS[verb] : undefined;
  const value = gerund ? prefixed(gerund, slice(input, verb.length)) : input;
  const lower = value.lower;
  if (!ACTION_LEAD.test(lower)) return null;
  if (POSTURE.test(lower)) return { kind: "background", phrase: value.text, slot: SKY_WORDS.test(lower) ? "sky" : "ground" };
  // "standing" alone, "dressed" alone: not enough to write.
  if (!/\s/.test(lower)) return null;
  return { kind: "action", text: value.text };
}

function resolveSetting(value: TText): TEdit | null {
  const lower = value.lower;
  if (!SETTING.test(lower) && !/^(?:underwater|outdoors|indoors|outside|in space|on mars|on the moon)$/.test(lower)) return null;
  return { kind: "background", phrase: value.text, slot: SKY_WORDS.test(lower) ? "sky" : "ground" };
}

/**
 * Everything a complement can be except a new noun phrase, in priority order:
 * aspect words only make sense for the whole image, style words before colours
 * ("light" is a palette, "light blue" a colour), the table's backgrounds before
 * positions before open-ended settings.
 */
function resolveStrict(value: TText, target: TTarget, vocabulary: TDraftVocabulary): TEdit[] | null {
  const lower = value.lower;
  if (lower === "") return null;
  if (target.kind === "main") {
    const aspect = resolveAspect(lower, vocabulary);
    if (aspect) return [aspect];
  }
  const style = resolveStyle(lower, vocabulary);
  if (style) return [style];
  const medium = resolveMedium(value, vocabulary);
  if (medium) return [medium];
  const background = resolveBackground(value, target, vocabulary);
  if (background) return [background];
  if (target.kind !== "background") {
    const position = resolvePosition(lower.replace(/^(?:in|at|on|to|towards|toward)\s+(?=(?:the )?(?:left|right|top|bottom|centre|center|middle))/, ""), vocabulary);
    if (position) return [{ kind: "position", target, position }];
    const size = resolveSize(lower, vocabulary);
    if (size) return [{ kind: "size", target, size }];
    const colour = resolveColourWord(lower, vocabulary);
    if (colour) return [{ kind: "colour", target, colour }];
  }
  const action = resolveAction(value);
  if (action) return [action];
  const setting = resolveSetting(value);
  if (setting) return [setting];
  return null;
}

/**
 * Resolves a complement. With `replace`, a noun phrase means "turn the target
 * into this" ("make it a boat"); otherwise it is something new to add ("a moon").
 * Fillers ("a bit", "slightly") are only dropped on the second try, because
 * "a little boat" is a noun phrase and "a little darker" is not.
 */
export function resolveComplement(value: TText, target: TTarget, vocabulary: TDraftVocabulary, replace: boolean): TEdit[] | null {
  const trimmed = trimText(strip(value, /^(?:to be|be|to|into|like|so (?:it|that it) (?:is|looks)|so it's|look|looks|appear|seem)\s+/));
  const direct = resolveStrict(trimmed, target, vocabulary);
  if (direct) return direct;
  let unfilled = trimmed;
  for (let guard = 0; guard < 4; guard++) {
    const next = strip(unfilled, FILLER);
    if (next.lower === unfilled.lower) break;
    unfilled = next;
  }
  if (unfilled.lower !== trimmed.lower) {
    const relaxed = resolveStrict(unfilled, target, vocabulary);
    if (relaxed) return relaxed;
  }
  // "big and red", "a red house and a moon": each part must stand on its own.
  const parts = splitOn(trimmed, /\s+and\s+|\s*,\s*/g);
  if (parts.length > 1) {
    const resolved = parts.map((part) => resolveComplement(part, target, vocabulary, replace));
    if (resolved.every((edits) => edits !== null)) return resolved.flat() as TEdit[];
  }
  // A comma means several things were said; only the split above may accept them.
  if (INDEFINITE.test(trimmed.lower) && !trimmed.lower.includes(",") && !/\b(?:instead of|rather than)\b/.test(trimmed.lower)) {
    if (replace && target.kind !== "background") return [{ kind: "replace", target, text: trimmed.text }];
    return [{ kind: "add", text: trimmed.text }];
  }
  return null;
}

/** A colour or size word of this model's vocabulary ("not red anymore" drops the colour). */
function isModifierWord(lower: string, vocabulary: TDraftVocabulary): boolean {
  const { colours, sizeAdjectives } = lexiconOf(vocabulary);
  return colours.has(lower) || sizeAdjectives.has(lower);
}

function splitOn(value: TText, pattern: RegExp): TText[] {
  const parts: TText[] = [];
  let start = 0;
  for (const match of value.lower.matchAll(pattern)) {
    parts.push(trimText(slice(value, start, match.index)));
    start = match.index + match[0].length;
  }
  parts.push(trimText(slice(value, start)));
  return parts.filter((part) => part.lower !== "");
}

// ---------------------------------------------------------------------------
// Targets: "it", "the house", "the background"

const MAIN_WORDS = /^(?:it|this|that|everything|them|him|her|they|he|she|the (?:whole )?(?:image|picture|scene|thing|drawing|photo|illustration|painting|subject|main subject|composition|frame|canvas)|the whole thing|all of it)$/;
const BACKGROUND_WORDS = /^(?:the |its |it's )?(?:background|backdrop|sky|setting|scenery|surroundings|environment|bg)$/;
const NAMED = /^(?:the|that|this|those|these|my|all the|both|its|his|her|their|each|every)\s+(.+)$/;

export function parseTarget(value: TText): TTarget | null {
  const lower = value.lower;
  if (MAIN_WORDS.test(lower)) return MAIN;
  if (BACKGROUND_WORDS.test(lower)) return { kind: "background", whole: !/\bsky$/.test(lower) };
  const named = NAMED.exec(lower);
  if (!named) return null;
  const rest = trimText(slice(value, lower.length - (named[1] ?? "").length));
  const words = rest.lower.split(" ");
  if (words.length > 4) return null;
  const noun = rest.text.split(" ").at(-1) ?? "";
  if (noun === "" || /^(?:and|of|to|with|in|on|at|the|a|an)$/.test(noun.toLowerCase())) return null;
  return { kind: "named", noun, text: rest.text };
}

/** Tries every split "<target> <complement>" from the shortest target on; the first that resolves wins. */
function targetAndComplement(
  value: TText,
  vocabulary: TDraftVocabulary,
  replace: boolean,
  resolve: (complement: TText, target: TTarget) => TEdit[] | null = (complement, target) => resolveComplement(complement, target, vocabulary, replace),
): TEdit[] | null {
  const spaces = [...value.lower.matchAll(/ /g)].map((match) => match.index);
  for (const space of spaces) {
    const target = parseTarget(trimText(slice(value, 0, space)));
    if (!target) continue;
    const edits = resolve(trimText(slice(value, space + 1)), target);
    if (edits) return edits;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Sentence shapes, tried in order. Each is anchored to the whole request.

function match(pattern: RegExp, value: TText): Record<string, TText> | null {
  const found = pattern.exec(value.lower);
  if (!found?.indices?.groups) return null;
  const groups: Record<string, TText> = {};
  for (const [name, range] of Object.entries(found.indices.groups)) {
    if (range) groups[name] = trimText(slice(value, range[0], range[1]));
  }
  return groups;
}

const REMOVE = new RegExp(
  "^(?:remove|delete|erase|drop|lose|ditch|hide|cut|kill|scrap|omit|exclude|take out|take away|take off|get rid of|do without|do away with|leave out|leave off|" +
    "without|no more|no|nothing like|don't (?:show|include|want|need|draw|add|put)|do not (?:show|include|want|need|draw|add|put)|i don't want|we don't need|" +
    "there should be no|there shouldn't be any|there should not be any|not|never|lose the|minus)\\s+(?<what>.+?)" +
    "(?:\\s+(?:from|in|out of|off)\\s+(?:it|the (?:image|picture|scene|prompt|background|sky|frame)|there))?(?:\\s+(?:anymore|any more|altogether|entirely|completely|at all))?$",
  "d",
);
const TAKE_OUT = /^(?:take|leave|cut|rub|wipe|paint|edit)\s+(?<what>.+?)\s+out$/d;
const ARTICLE = /^(?:the|a|an|any|all|all the|some|those|these|that|this|my|its|of the)\s+/;

const removeRule: TRule = (request, vocabulary) => {
  const groups = match(REMOVE, request) ?? match(TAKE_OUT, request);
  const what = groups?.what;
  if (!what) return null;
  const items = splitOn(what, /\s*,\s*(?:and |or )?|\s+(?:and|or|nor)\s+/g).map((item) => strip(item, ARTICLE));
  if (items.length === 0 || items.some((item) => item.lower === "" || parseTarget(prefixed("the ", item))?.kind === "main")) return null;
  // "not quite", "no way": nothing to remove. A colour or size word ("not red anymore") is a modifier to drop.
  if (items.some((item) => !namesAThing(item.text) && !isModifierWord(item.lower, vocabulary))) return null;
  return items.map((item) => ({ kind: "remove", what: item.text }));
};

const SWAP = /^(?:swap|switch|replace|exchange|trade|substitute|change|turn|transform|convert)(?: out)? (?<old>.+?) (?:for|with|to|into|by|and) (?<new>.+)$/d;
const INSTEAD = /^(?:(?:use|have|draw|show|put|make (?:it|him|her|them|this)|i want|give me)\s+)?(?<new>.+?),? (?:instead of|rather than) (?<old>.+)$/d;
const INSTEAD_FIRST = /^instead of (?<old>.+?)(?:,\s*|\s+(?:use|have|draw|show|put|make it|i want|give me|let's have)\s+)(?<new>.+)$/d;

function replaceRule(vocabulary: TDraftVocabulary): TRule {
  return (request) => {
    for (const pattern of [INSTEAD_FIRST, INSTEAD, SWAP]) {
      const groups = match(pattern, request);
      const old = groups?.old;
      const replacement = groups?.new;
      if (!old || !replacement) continue;
      const target = parseTarget(old) ?? parseTarget(prefixed("the ", old));
      if (!target) continue;
      // "change the house to red" is an attribute change, not a swap.
      const edits = resolveComplement(replacement, target, vocabulary, true);
      if (edits) return edits;
      return [{ kind: "replace", target, text: strip(replacement, /^(?:with|for)\s+/).text }];
    }
    return null;
  };
}

const MOVE = /^(?:move|put|place|shift|position|push|slide|drag|bring|set|nudge|stick|plant|drop|have|show|draw|keep)\s+(?<rest>.+)$/d;
const CENTRE = /^(?:centre|center|recentre|recenter|middle)\s+(?<rest>.+)$/d;

function moveRule(vocabulary: TDraftVocabulary): TRule {
  return (request) => {
    const centre = match(CENTRE, request)?.rest;
    if (centre) {
      const target = parseTarget(centre);
      const position = vocabulary.positions.find((candidate) => candidate.id === "centre");
      if (target && target.kind !== "background" && position) return [{ kind: "position", target, position }];
      return null;
    }
    const rest = match(MOVE, request)?.rest;
    if (!rest) return null;
    // "put a moon at the top": a new thing with its place, added as written.
    if (INDEFINITE.test(rest.lower) && / (?:on|in|at|to|into|onto|over|under|above|below|near|by|inside|behind|beside|next to)\b/.test(rest.lower)) {
      return [{ kind: "add", text: rest.text }];
    }
    return targetAndComplement(rest, vocabulary, false, (place, target) => {
      if (target.kind === "background") return null;
      const position = resolvePosition(place.lower.replace(/^(?:in|at|on|to|towards|toward|into|over to|over)\s+(?=(?:the )?(?:left|right|top|bottom|centre|center|middle))/, ""), vocabulary);
      if (position) return [{ kind: "position", target, position }];
      const background = resolveBackground(place, target, vocabulary);
      if (background) return [background];
      const setting = settingFrom(place);
      return setting ? [setting] : null;
    });
  };
}

/** "onto a spaceship" reads as "on a spaceship" once it is the place rather than the motion. */
function settingFrom(place: TText): TEdit | null {
  const motion = /^(onto|into)\s+/.exec(place.lower);
  if (motion) return resolveSetting(prefixed(motion[1] === "onto" ? "on " : "in ", slice(place, motion[0].length)));
  return resolveSetting(place);
}

const ADD = new RegExp(
  "^(?:add|include|insert|draw|paint|put in|throw in|also add|add in|show|have|place|put|with|plus|also|" +
    "there (?:is|are|should be|be|was|were|could be|would be|can be|might be|will be|needs to be|need to be))\\s+(?<what>.+?)" +
    "(?:\\s+(?:too|as well|also|in it|to it|in there|somewhere|to the (?:image|picture|scene|prompt)|in the (?:image|picture|scene)))*$",
  "d",
);
const GIVE = /^give\s+(?<rest>.+)$/d;

function addRule(vocabulary: TDraftVocabulary): TRule {
  return (request) => {
    const give = match(GIVE, request)?.rest;
    if (give) {
      // "give it an ink outline" is a style; "give the wookie a hat" is something the subject has.
      return targetAndComplement(give, vocabulary, false, (what, target) =>
        resolveStrict(what, target, vocabulary) ?? [{ kind: "action", text: `with ${strip(what, /^with\s+/).text}` }],
      );
    }
    const what = match(ADD, request)?.what;
    if (!what) return null;
    if (parseTarget(what)?.kind === "main") return null;
    const resolved = resolveComplement(what, MAIN, vocabulary, false);
    if (resolved) return resolved;
    // Anything else after "add" is a thing to add, even without an article ("add clouds"), if it is one short thing.
    if (what.lower.includes(",") || what.lower.split(" ").length > 8) return null;
    // "have him holding …" is about something already there, not a new thing.
    if (/^(?:him|her|it|them|he|she|they|the|this|that|these|those|his|its|their)\b/.test(what.lower)) return null;
    return [{ kind: "add", text: what.text }];
  };
}

const MAKE = /^(?:make|turn|change|set|paint|colour|color|recolour|recolor|render|do|get|switch|go|keep|leave|try|see|show|have|let)\s+(?<rest>.+)$/d;

function makeRule(vocabulary: TDraftVocabulary): TRule {
  return (request) => {
    const rest = match(MAKE, request)?.rest;
    if (!rest) return null;
    const withTarget = targetAndComplement(rest, vocabulary, true);
    if (withTarget) return withTarget;
    // "make wider", "switch to portrait", "go darker": the whole image.
    return resolveComplement(rest, MAIN, vocabulary, true);
  };
}

const BE = /^(?<target>.+?)\s+(?:be|is|was|were|are|to be|should be|could be|would be|will be|can be|must be|might be|becomes?|became|turned|turns|turn|looks?|looked|gets?|got|being|been|go|goes|went|should|could|would|will|can|must|might|needs to|has to)\s+(?<what>.+)$/d;
const DOING = /^(?<target>it|this|(?:the|that|this) \S+)\s+(?<what>(?:\p{L}{2,}ing|dressed|wearing|with|in)\b.+)$/du;

function beRule(vocabulary: TDraftVocabulary): TRule {
  return (request) => {
    for (const pattern of [BE, DOING]) {
      const groups = match(pattern, request);
      if (!groups?.target || !groups.what) continue;
      // "flower should be white": a bare noun is the thing of that name.
      const target = parseTarget(groups.target) ?? (/^[\p{L}-]+$/u.test(groups.target.lower) ? parseTarget(prefixed("the ", groups.target)) : null);
      if (!target) continue;
      const edits = resolveComplement(groups.what, target, vocabulary, true);
      if (edits) return edits;
    }
    return null;
  };
}

function bareRule(vocabulary: TDraftVocabulary): TRule {
  return (request) => resolveComplement(request, MAIN, vocabulary, false);
}

const STYLE_VERB = /^(?<verb>[a-z-]+)(?: (?:it|this|everything|the (?:image|picture|colours|colors|scene|whole thing|palette)))?(?<particle> up| down)?$/d;

/** "darken it", "warm it up", "tone it down", "simplify everything": a style word used as a verb. */
function styleVerbRule(vocabulary: TDraftVocabulary): TRule {
  return (request) => {
    const found = STYLE_VERB.exec(request.lower);
    const verb = found?.groups?.verb;
    if (!verb) return null;
    const style = resolveStyle(`${verb}${found.groups?.particle ?? ""}`, vocabulary) ?? resolveStyle(verb, vocabulary);
    if (style) return [style];
    // "square it", "widen it".
    const aspect = resolveAspect(verb === "widen" ? "wider" : verb, vocabulary);
    return aspect ? [aspect] : null;
  };
}

// "bigger moon", "blue boat", "a much bigger moon": an attribute and the thing it is for, no verb.
// With an article only when a degree or comparative shows it is a change ("a red moon" alone is a new thing).
const ATTRIBUTE_NOUN = /^(?:(?<article>a|an|the)\s+)?(?<attribute>(?:(?:much|way|a lot|a bit|a little|slightly|even|far)\s+)?[\p{L}-]+(?:\s+[\p{L}-]+)?)\s+(?<noun>[\p{L}-]+)$/du;

function attributeNounRule(vocabulary: TDraftVocabulary): TRule {
  const plain = attributeNounOnly(vocabulary);
  return (request) => {
    const edits = plain(request, vocabulary);
    if (edits) return edits;
    // "pink heart on a black background": the attribute change, then the place.
    const place = /\s(?=(?:on|in|at|under|over|against|by)\s)/.exec(request.lower);
    if (!place) return null;
    const first = plain(trimText(slice(request, 0, place.index)), vocabulary);
    const second = first ? resolveStrict(trimText(slice(request, place.index + 1)), MAIN, vocabulary) : null;
    return first && second?.every((edit) => edit.kind === "background") ? [...first, ...second] : null;
  };
}

function attributeNounOnly(vocabulary: TDraftVocabulary): TRule {
  return (request) => {
    const found = match(ATTRIBUTE_NOUN, request);
    const attribute = found?.attribute;
    const noun = found?.noun;
    if (!attribute || !noun) return null;
    if (found.article && !/^(?:much|way|a lot|a bit|a little|slightly|even|far)\b|er$/.test(attribute.lower)) return null;
    // "blue sky", "golden hour", "black outline" are values of their own, not a colour for a thing.
    if (resolveStrict(request, MAIN, vocabulary)) return null;
    const target: TTarget = { kind: "named", noun: noun.text, text: noun.text };
    const edits = resolveComplement(attribute, target, vocabulary, false);
    return edits?.every((edit) => edit.kind === "colour" || edit.kind === "size") ? edits : null;
  };
}

// "shrink the house", "enlarge the moon": a size verb and its object.
const SIZE_VERBS: Readonly<Record<string, string>> = { shrink: "smaller", enlarge: "bigger", grow: "bigger", upsize: "bigger", downsize: "smaller", "scale up": "bigger", "scale down": "smaller" };
const SIZE_VERB = /^(?<verb>shrink|enlarge|grow|upsize|downsize|scale up|scale down)\s+(?<rest>.+?)(?:\s+(?:up|down))?$/d;

function sizeVerbRule(vocabulary: TDraftVocabulary): TRule {
  return (request) => {
    const found = match(SIZE_VERB, request);
    if (!found?.verb || !found.rest) return null;
    const target = parseTarget(found.rest);
    const size = resolveSize(SIZE_VERBS[found.verb.lower] ?? "", vocabulary);
    return target && target.kind !== "background" && size ? [{ kind: "size", target, size }] : null;
  };
}

// "it shouldn't be night", "the boat isn't red": the thing named goes.
const NOT_BE = /^(?<target>.+?)\s+(?:shouldn't|should not|isn't|is not|mustn't|must not|can't|cannot|doesn't need to|does not need to|needn't) be\s+(?:at\s+|in\s+|on\s+)?(?<what>.+?)(?:\s+(?:anymore|any more))?$/d;
// "the moon can go", "lose the clouds" said the other way round.
const CAN_GO = /^(?:the\s+)?(?<what>.+?)\s+(?:can|could|should|must|has to|needs to|may) go(?:\s+away)?$/d;

const negationRule: TRule = (request) => {
  const notBe = match(NOT_BE, request);
  if (notBe?.target && notBe.what && parseTarget(notBe.target)) return [{ kind: "remove", what: notBe.what.text }];
  const canGo = match(CAN_GO, request)?.what;
  if (canGo && parseTarget(prefixed("the ", canGo))?.kind === "named") return [{ kind: "remove", what: canGo.text }];
  return null;
};

// "more clouds", "extra stars": more of a thing means adding it (the prompt keeps what it has).
const MORE_OF = /^(?:more|extra|lots more|some more|a few more|many more)\s+(?<what>[\p{L}-]+s)$/du;

function moreOfRule(vocabulary: TDraftVocabulary): TRule {
  return (request) => {
    const what = match(MORE_OF, request)?.what;
    if (!what || resolveStrict(what, MAIN, vocabulary)) return null;
    return [{ kind: "add", text: what.text }];
  };
}

/** "the moon white", "the sky sunset" (after "make the house blue and …"): a target and a value, no verb. */
function targetValueRule(vocabulary: TDraftVocabulary): TRule {
  return (request) => {
    if (!/^(?:the|its|his|her|their)\s/.test(request.lower)) return null;
    const edits = targetAndComplement(request, vocabulary, false);
    return edits?.every((edit) => edit.kind !== "add" && edit.kind !== "replace") ? edits : null;
  };
}

function rules(vocabulary: TDraftVocabulary): TRule[] {
  // Bare complements first ("no outline" is a style, not a removal; "at sunset"
  // needs no verb), then the verb-led shapes, most specific first.
  return [
    attributeNounRule(vocabulary), bareRule(vocabulary), styleVerbRule(vocabulary), sizeVerbRule(vocabulary), negationRule, moreOfRule(vocabulary), removeRule,
    replaceRule(vocabulary), moveRule(vocabulary), addRule(vocabulary), makeRule(vocabulary), beRule(vocabulary), targetValueRule(vocabulary),
  ];
}

/** Edits for one request, [] when it was only politeness ("please", "thanks"), null when not understood. */
function parseRequest(request: TText, vocabulary: TDraftVocabulary): TEdit[] | null {
  const cleaned = stripPoliteness(request);
  if (cleaned.lower === "") return [];
  // "making it darker" (after "what about"), "adding a moon": the gerund is the verb.
  const gerund = /^[a-z]+ing\b/.exec(cleaned.lower)?.[0] ?? "";
  const base = GERUNDS[gerund];
  const normalised = base ? prefixed(base, slice(cleaned, gerund.length)) : cleaned;
  for (const rule of rules(vocabulary)) {
    const edits = rule(normalised, vocabulary);
    if (edits && edits.length > 0) return edits;
  }
  return null;
}

/** "remove the boat and add a fish" is a swap: the fish takes the boat's place (and keeps "on the sea"). */
function swapsFrom(edits: TEdit[]): TEdit[] {
  const out: TEdit[] = [];
  for (let i = 0; i < edits.length; i++) {
    const edit = edits[i]!;
    const next = edits[i + 1];
    if (edit.kind === "remove" && next?.kind === "add" && !/\s/.test(edit.what.trim())) {
      out.push({ kind: "replace", target: { kind: "named", noun: edit.what.trim(), text: edit.what.trim() }, text: next.text, instead: [edit, next] });
      i++;
      continue;
    }
    out.push(edit);
  }
  return out;
}

const GERUNDS: Readonly<Record<string, string>> = {
  making: "make", adding: "add", removing: "remove", putting: "put", moving: "move", turning: "turn", changing: "change",
  swapping: "swap", replacing: "replace", giving: "give", taking: "take", centring: "centre", centering: "center", deleting: "delete",
};

/**
 * Splits an utterance into requests and parses each. A piece that means nothing
 * alone is re-joined to the previous one ("remove the tree and the sun": "the
 * sun" alone is not a request), and the joined text is parsed again.
 */
export function parseUtterance(utterance: string, vocabulary: TDraftVocabulary): TParsedUtterance {
  // A follow-up is a sentence or two; anything longer is a new prompt, not an edit (and would cost time to match).
  if (utterance.length > MAX_UTTERANCE_LENGTH) return { edits: [], unknown: [], tooLong: true };
  const whole = normaliseUtterance(utterance);
  if (whole.lower === "") return { edits: [], unknown: [] };
  const wholeEdits = parseRequest(whole, vocabulary);
  // "instead of X, Y" is one request across its comma.
  if (wholeEdits && /\binstead of\b/.test(whole.lower)) return { edits: wholeEdits, unknown: [] };
  const pieces = splitRequests(whole).slice(0, MAX_REQUESTS);
  if (pieces.length <= 1) return { edits: wholeEdits ?? [], unknown: wholeEdits ? [] : [whole.text] };

  type TGroup = { text: TText; edits: TEdit[] | null };
  const groups: TGroup[] = [];
  for (const { piece, joiner } of pieces) {
    const edits = parseRequest(piece, vocabulary);
    const previous = groups.at(-1);
    if (edits === null && previous && !joiner.includes(";")) {
      const joined = joinTexts(previous.text, joiner, piece);
      const joinedEdits = parseRequest(joined, vocabulary);
      if (joinedEdits !== null || previous.edits === null) {
        groups[groups.length - 1] = { text: joined, edits: joinedEdits };
        continue;
      }
    }
    groups.push({ text: piece, edits });
  }
  // A single request that only splitting broke ("a red house and a moon" is fine either way).
  if (groups.every((group) => group.edits === null) && wholeEdits) return { edits: wholeEdits, unknown: [] };
  return {
    edits: swapsFrom(groups.flatMap((group) => group.edits ?? [])),
    unknown: groups.filter((group) => group.edits === null && group.text.lower !== "").map((group) => group.text.text),
  };
}

