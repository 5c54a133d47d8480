// Step 3 of the rewriter: apply edits to the prompt text (and the --no list and
// aspect ratio), one at a time, over the phrase model in phrases.ts. Each edit
// either changes something (and says what, for the "what changed" view), finds
// the prompt already says it (a no-op that still counts as understood), or
// cannot be applied (and says why, in words for the user).

import type { TEdit, TTarget } from "./intents";
import {
  articleFor, clauseAt, clauses, findAll, findFirst, findNoun, isDeterminer, mainSubject, nounForms, nounPhraseAt, splice, tidy,
  wordsIn, type TNounPhrase, type TSpan,
} from "./phrases";
import { lexiconOf } from "./lexicon";
import { VALUE_CONFLICTS, type TBackgroundSlot, type TDraftVocabulary, type TPole, type TStyleAxis } from "./vocabulary";

export interface TChange {
  kind: "added" | "removed" | "replaced";
  text: string;
  with?: string;
}

export interface TDraftState {
  prompt: string;
  /** The --no list as items. */
  negative: string[];
  aspectRatio: { width: number; height: number };
  changes: TChange[];
  /** Sentences for the reply beyond the change list (what gave way to a contradiction). */
  notes?: string[];
}

export type TApplyOutcome = { status: "changed" | "unchanged"; state: TDraftState } | { status: "failed"; reason: string };

const RELATIONS = "over|above|under|below|beneath|beside|behind|near|next to|in front of|on top of|with|holding|wearing|carrying|like|as|of|on|in|by|and";

function changed(state: TDraftState, prompt: string, ...changes: TChange[]): TApplyOutcome {
  const next = { ...state, prompt: tidy(prompt), changes: [...state.changes, ...changes] };
  if (next.prompt === "") return { status: "failed", reason: "That would leave the prompt empty." };
  return { status: "changed", state: next };
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Cuts a span and whichever comma joins it to its neighbours, so no empty clause is left behind. */
function cut(prompt: string, span: TSpan): string {
  const clause = clauseAt(prompt, span.start);
  const wholeClause = clause.start === span.start && clause.end === span.end;
  if (!wholeClause) return splice(prompt, span, " ");
  const before = prompt.lastIndexOf(",", span.start);
  if (before !== -1) return splice(prompt, { start: before, end: span.end }, "");
  const after = prompt.indexOf(",", span.end);
  return splice(prompt, { start: span.start, end: after === -1 ? span.end : after + 1 }, "");
}

/** Inserts a new clause before the first style or medium clause (styles read best last, as in the model's captions). */
function insertClause(prompt: string, phrase: string, vocabulary: TDraftVocabulary): string {
  const { styleAliases, media } = lexiconOf(vocabulary);
  const styleClause = clauses(prompt).find((clause, index) => {
    if (index === 0) return false;
    const text = prompt.slice(clause.start, clause.end);
    return media.has(text.toLowerCase()) || styleAliases.some((alias) => same(alias, text));
  });
  if (styleClause) return splice(prompt, { start: styleClause.start, end: styleClause.start }, `${phrase}, `);
  return `${prompt}, ${phrase}`;
}

function styleAliases(vocabulary: TDraftVocabulary): readonly string[] {
  return lexiconOf(vocabulary).styleAliases;
}

/** Drops --no items that the newly written text asks for ("add a moon" undoes "--no moon"). */
function unblock(state: TDraftState, text: string): TDraftState {
  const kept = state.negative.filter((item) => findFirst(text, nounForms(item)) === null);
  if (kept.length === state.negative.length) return state;
  const dropped = state.negative.filter((item) => !kept.includes(item));
  return { ...state, negative: kept, changes: [...state.changes, ...dropped.map((item) => ({ kind: "removed" as const, text: `--no ${item}` }))] };
}

function withUnblocked(outcome: TApplyOutcome, text: string): TApplyOutcome {
  return outcome.status === "failed" ? outcome : { ...outcome, state: unblock(outcome.state, text) };
}

// ---------------------------------------------------------------------------

/**
 * Cuts the phrases that contradict a new value (VALUE_CONFLICTS): a night sky
 * when the picture is to be brighter, a light palette when it is to be night.
 * The cuts are recorded as changes, so the reply says what gave way.
 */
function dropConflicting(state: TDraftState, spans: TSpan[], asked: string): TDraftState {
  if (spans.length === 0) return state;
  let prompt = state.prompt;
  const sorted = [...spans].sort((a, b) => b.start - a.start);
  for (const span of sorted) prompt = cut(prompt, span);
  const removed = sorted.reverse().map((span) => ({ kind: "removed" as const, text: state.prompt.slice(span.start, span.end) }));
  const gone = removed.map((change) => `"${change.text}"`).join(" and ");
  const notes = [...(state.notes ?? []), `I took out ${gone}: it contradicts ${asked}.`];
  return { ...state, prompt: tidy(prompt), changes: [...state.changes, ...removed], notes };
}

function backgroundsWithId(prompt: string, id: string, vocabulary: TDraftVocabulary): TSpan[] {
  const { backgroundByAlias } = lexiconOf(vocabulary);
  return backgroundSpans(prompt, vocabulary).filter((span) => {
    const text = prompt.slice(span.start, span.end).toLowerCase().replace(/\s+/g, " ");
    return backgroundByAlias.get(text)?.id === id || [...backgroundByAlias.entries()].some(([alias, entry]) => entry.id === id && findFirst(text, [alias]) !== null);
  });
}

function styleSpans(prompt: string, axisId: string, pole: TPole, vocabulary: TDraftVocabulary): TSpan[] {
  const axis = vocabulary.styleAxes.find((candidate) => candidate.id === axisId);
  return axis ? findAll(prompt, axis.aliases[pole]) : [];
}

function applyStyle(state: TDraftState, axis: TStyleAxis, pole: "negative" | "positive", vocabulary: TDraftVocabulary): TApplyOutcome {
  const conflicts = VALUE_CONFLICTS.filter((conflict) => conflict.axis === axis.id && conflict.pole === pole);
  const cleared = dropConflicting(state, conflicts.flatMap((conflict) => backgroundsWithId(state.prompt, conflict.background, vocabulary)), `"${axis.phrases[pole]}"`);
  if (cleared !== state) {
    const outcome = applyStyleOnly(cleared, axis, pole);
    return outcome.status === "unchanged" ? { status: "changed", state: cleared } : outcome;
  }
  return applyStyleOnly(state, axis, pole);
}

function applyStyleOnly(state: TDraftState, axis: TStyleAxis, pole: "negative" | "positive"): TApplyOutcome {
  const phrase = axis.phrases[pole];
  const spans = findAll(state.prompt, [...axis.aliases.negative, ...axis.aliases.positive]);
  const [first, ...rest] = spans;
  // Styles go last, in the order they were asked for, as in the model's captions.
  if (!first) return changed(state, `${state.prompt}, ${phrase}`, { kind: "added", text: phrase });
  const old = state.prompt.slice(first.start, first.end);
  if (same(old, phrase) && rest.length === 0) return { status: "unchanged", state };
  // Later duplicates first, so earlier offsets stay valid.
  let prompt = state.prompt;
  for (const span of [...rest].reverse()) prompt = cut(prompt, span);
  prompt = splice(prompt, first, phrase);
  const removed = rest.map((span) => ({ kind: "removed" as const, text: state.prompt.slice(span.start, span.end) }));
  return changed(state, prompt, ...(same(old, phrase) ? [] : [{ kind: "replaced" as const, text: old, with: phrase }]), ...removed);
}

/** Clauses that name a medium ("watercolour", "in the style of ukiyo-e"); the first clause is the subject, never a medium. */
function mediumSpans(prompt: string, vocabulary: TDraftVocabulary): TSpan[] {
  const { media } = lexiconOf(vocabulary);
  return clauses(prompt).filter((clause, index) => {
    const text = prompt.slice(clause.start, clause.end).toLowerCase();
    return index > 0 && (media.has(text) || /^in (?:the )?(?:style|manner) of /.test(text) || /^\S+(?: \S+)? style$/.test(text));
  });
}

function applyMedium(state: TDraftState, text: string, vocabulary: TDraftVocabulary): TApplyOutcome {
  if (findFirst(state.prompt, [text])) return { status: "unchanged", state };
  const [first, ...rest] = mediumSpans(state.prompt, vocabulary);
  if (!first) return changed(state, `${state.prompt}, ${text}`, { kind: "added", text });
  let prompt = state.prompt;
  for (const span of [...rest].reverse()) prompt = cut(prompt, span);
  const old = state.prompt.slice(first.start, first.end);
  const removed = rest.map((span) => ({ kind: "removed" as const, text: state.prompt.slice(span.start, span.end) }));
  return changed(state, splice(prompt, first, text), { kind: "replaced", text: old, with: text }, ...removed);
}

interface TBackgroundSpan extends TSpan {
  slot: TBackgroundSlot;
}

const POSTURE_SETTING = /(?<![\p{L}])(?:standing|sitting|floating|flying|lying|walking|running|swimming|sailing|hovering|perched|parked|resting|sleeping|stranded|set|placed|located)\s+(?:on|in|at|inside|aboard|upon|atop|under|beneath|by|near|over|above)\s+[^,]+/giu;
const SETTING_CLAUSE = /^(?:on|in|at|inside|aboard|upon|atop|under|underneath|beneath|against|amid|among|within|by|near|outside)\s+(?:a|an|the|some)\s/i;
const SKY = /\b(?:sky|skies|night|sunset|sunrise|dawn|dusk|stars|starry|twilight)\b/i;
const INLINE_SKY = /(?<![\p{L}])under (?:a|an|the) [^,]*?\bsk(?:y|ies)\b/giu;

/** Every background phrase in the prompt: the table's phrasings, "standing on …" settings, and clauses that are only a place. */
function backgroundSpans(prompt: string, vocabulary: TDraftVocabulary): TBackgroundSpan[] {
  const { backgroundAliases, backgroundByAlias, positionAliases: positions } = lexiconOf(vocabulary);
  const known: TBackgroundSpan[] = findAll(prompt, backgroundAliases).map((span) => ({
    ...span,
    slot: backgroundByAlias.get(prompt.slice(span.start, span.end).toLowerCase().replace(/\s+/g, " "))?.slot ?? "ground",
  }));
  const generic: TBackgroundSpan[] = [];
  for (const found of prompt.matchAll(POSTURE_SETTING)) {
    const span = { start: found.index, end: found.index + found[0].trimEnd().length };
    generic.push({ ...span, slot: SKY.test(found[0]) ? "sky" : "ground" });
  }
  // "a boat under a cloudy sky": a sky inside the subject's clause is a background too.
  for (const found of prompt.matchAll(INLINE_SKY)) {
    // A sky that is a clause of its own is found by the clause loop below.
    if (clauseAt(prompt, found.index).start === found.index) continue;
    if (generic.some((span) => span.start < found.index + found[0].length && found.index < span.end)) continue;
    generic.push({ start: found.index, end: found.index + found[0].length, slot: "sky" });
  }
  for (const clause of clauses(prompt)) {
    const text = prompt.slice(clause.start, clause.end);
    if (clause.start === 0 || !SETTING_CLAUSE.test(text)) continue;
    if (findFirst(text, positions)?.start === 0) continue;
    generic.push({ ...clause, slot: SKY.test(text) ? "sky" : "ground" });
  }
  // A generic span that contains a known phrase is the same background ("standing on the snow"); keep the larger.
  const merged = [...generic];
  for (const span of known) {
    const outer = merged.find((other) => other.start <= span.start && other.end >= span.end);
    if (outer) {
      outer.slot = span.slot;
      continue;
    }
    if (merged.some((other) => other.start < span.end && span.start < other.end)) continue;
    merged.push(span);
  }
  return merged.sort((a, b) => a.start - b.start);
}

function conflicts(a: TBackgroundSlot, b: TBackgroundSlot): boolean {
  return a === "backdrop" || b === "backdrop" || a === b;
}

function applyBackground(state: TDraftState, phrase: string, slot: TBackgroundSlot, whole: boolean, vocabulary: TDraftVocabulary): TApplyOutcome {
  const id = lexiconOf(vocabulary).backgroundByAlias.get(phrase.toLowerCase())?.id;
  const conflicts = VALUE_CONFLICTS.filter((conflict) => conflict.background === id);
  const cleared = dropConflicting(state, conflicts.flatMap((conflict) => styleSpans(state.prompt, conflict.axis, conflict.pole, vocabulary)), `"${phrase}"`);
  if (cleared !== state) {
    const outcome = applyBackgroundOnly(cleared, phrase, slot, whole, vocabulary);
    return outcome.status === "unchanged" ? { status: "changed", state: cleared } : outcome;
  }
  return applyBackgroundOnly(state, phrase, slot, whole, vocabulary);
}

function applyBackgroundOnly(state: TDraftState, phrase: string, slot: TBackgroundSlot, whole: boolean, vocabulary: TDraftVocabulary): TApplyOutcome {
  // Already there, wherever it sits ("a boat on a spaceship" + "on a spaceship").
  if (findFirst(state.prompt, [phrase])) return { status: "unchanged", state };
  const clashing = backgroundSpans(state.prompt, vocabulary).filter((span) => whole || conflicts(slot, span.slot));
  const [first, ...rest] = clashing;
  if (!first) return withUnblocked(changed(state, insertClause(state.prompt, phrase, vocabulary), { kind: "added", text: phrase }), phrase);
  const old = state.prompt.slice(first.start, first.end);
  if (same(old, phrase) && rest.length === 0) return { status: "unchanged", state };
  let prompt = state.prompt;
  for (const span of [...rest].reverse()) prompt = cut(prompt, span);
  prompt = splice(prompt, first, phrase);
  const removed = rest.map((span) => ({ kind: "removed" as const, text: state.prompt.slice(span.start, span.end) }));
  return withUnblocked(changed(state, prompt, { kind: "replaced", text: old, with: phrase }, ...removed), phrase);
}

/** The noun phrase an edit is about, or a reason it cannot be found. */
function locate(prompt: string, target: TTarget, vocabulary: TDraftVocabulary): TNounPhrase | string {
  if (target.kind === "background") return "That is about the background, not a thing in the picture.";
  if (target.kind === "main") {
    const subject = mainSubject(prompt, vocabulary);
    return subject ? nounPhraseAt(prompt, subject, vocabulary) : "I couldn't find the subject of the prompt.";
  }
  const noun = findNoun(prompt, target.noun);
  if (!noun) return `I couldn't find "${target.text}" in the prompt — try "add ${articleFor(target.text, false)} ${target.text}".`;
  return nounPhraseAt(prompt, noun, vocabulary);
}

/** Rebuilds a noun phrase from its parts, fixing a/an for whatever word now follows it. */
function rebuild(phrase: TNounPhrase, modifiers: readonly string[], noun: string): string {
  const words = [...modifiers, noun];
  const determiner = phrase.determiner;
  if (!determiner) return words.join(" ");
  const isArticle = /^an?$/i.test(determiner.word);
  const article = isArticle ? articleFor(words[0] ?? noun, determiner.word[0] === "A") : determiner.word;
  return [article, ...words].join(" ");
}

function applyAttribute(state: TDraftState, target: TTarget, attribute: "colour" | "size", value: string, vocabulary: TDraftVocabulary): TApplyOutcome {
  const phrase = locate(state.prompt, target, vocabulary);
  if (typeof phrase === "string") {
    // "make the dragon's wings golden": the wings are not written yet, the dragon is; it gets them.
    const possessive = target.kind === "named" ? /^(?:the\s+)?(?<owner>[\p{L}-]+)'s\s+(?<part>[\p{L} -]+)$/iu.exec(target.text) : null;
    const owner = possessive?.groups?.owner;
    const part = possessive?.groups?.part;
    if (owner && part && findNoun(state.prompt, owner)) return applyAction(state, `with ${value} ${part}`, vocabulary);
    return { status: "failed", reason: phrase };
  }
  const mods = phrase.modifiers;
  let modifiers: string[];
  if (attribute === "size") {
    modifiers = [value, ...mods.filter((mod) => mod.kind !== "size").map((mod) => mod.word)];
  } else {
    // A colour modifier ("dark") goes with the colour it qualifies; on its own ("a bright house") it stays.
    const kept = mods.filter((mod, index) => mod.kind === "size" || (mod.kind === "colour-modifier" && mods[index + 1]?.kind !== "colour"));
    modifiers = [...kept.map((mod) => mod.word), value];
  }
  // "a red sports car": the colour sits before a word the phrase model does not know; recolour it in place.
  if (attribute === "colour" && !mods.some((mod) => mod.kind === "colour")) {
    const earlier = colourBefore(state.prompt, phrase, vocabulary);
    if (earlier) {
      if (same(state.prompt.slice(earlier.start, earlier.end), value)) return { status: "unchanged", state };
      return changed(state, splice(state.prompt, earlier, value), { kind: "replaced", text: state.prompt.slice(earlier.start, earlier.end), with: value });
    }
  }
  const old = state.prompt.slice(phrase.start, phrase.end);
  const next = rebuild(phrase, modifiers, phrase.noun.word);
  if (next === old) return { status: "unchanged", state };
  return changed(state, splice(state.prompt, phrase, next), { kind: "replaced", text: old, with: next });
}

/** A colour word (with its modifier) up to two words before a noun phrase, stopping at a determiner. */
function colourBefore(prompt: string, phrase: TNounPhrase, vocabulary: TDraftVocabulary): TSpan | null {
  if (phrase.determiner) return null;
  const clause = clauseAt(prompt, phrase.start);
  const words = wordsIn(prompt, { start: clause.start, end: phrase.start });
  const { colours, colourModifiers } = lexiconOf(vocabulary);
  for (let i = words.length - 1; i >= Math.max(0, words.length - 3); i--) {
    const word = words[i]!;
    const lower = word.word.toLowerCase();
    if (isDeterminer(lower)) return null;
    if (colours.has(lower)) {
      const before = words[i - 1];
      return before && colourModifiers.has(before.word.toLowerCase()) ? { start: before.start, end: word.end } : word;
    }
  }
  return null;
}

/** The end of the part of the clause that belongs to a noun: the next " and " or the clause end. */
function conjunctEnd(prompt: string, from: number): number {
  const clause = clauseAt(prompt, from);
  const and = /\sand\s/i.exec(prompt.slice(from, clause.end));
  return and ? from + and.index : clause.end;
}

function applyPosition(state: TDraftState, target: TTarget, positionId: string, vocabulary: TDraftVocabulary): TApplyOutcome {
  const position = vocabulary.positions.find((candidate) => candidate.id === positionId);
  if (!position) return { status: "failed", reason: "Unknown position." };
  const phrase = locate(state.prompt, target, vocabulary);
  if (typeof phrase === "string") return { status: "failed", reason: phrase };
  const aliases = lexiconOf(vocabulary).positionAliases;
  const existing = findFirst(state.prompt, aliases, phrase.end, conjunctEnd(state.prompt, phrase.end));
  if (existing) {
    const old = state.prompt.slice(existing.start, existing.end);
    if (same(old, position.phrase)) return { status: "unchanged", state };
    return changed(state, splice(state.prompt, existing, position.phrase), { kind: "replaced", text: old, with: position.phrase });
  }
  return changed(state, splice(state.prompt, { start: phrase.end, end: phrase.end }, ` ${position.phrase}`), { kind: "added", text: position.phrase });
}

const ACTION_CLAUSE = /^(?:\p{L}{2,}ing|with|dressed|wearing)\b/iu;
const ACTION_WORD = /(?<![\p{L}])(?:\p{L}{2,}ing|dressed|wearing)(?![\p{L}])/iu;

function applyAdd(state: TDraftState, text: string, vocabulary: TDraftVocabulary): TApplyOutcome {
  if (findFirst(state.prompt, [text])) return { status: "unchanged", state };
  const all = clauses(state.prompt);
  const first = all[0];
  if (!first) return { status: "failed", reason: "The prompt is empty." };
  const firstText = state.prompt.slice(first.start, first.end);
  const places = backgroundSpans(state.prompt, vocabulary);
  const isAction = (clause: TSpan) =>
    ACTION_CLAUSE.test(state.prompt.slice(clause.start, clause.end)) && !places.some((place) => place.start === clause.start);
  const actions = all.slice(1).findIndex((clause) => !isAction(clause));
  const lastAction = all[actions === -1 ? all.length - 1 : actions];
  // A subject that is doing something ("a Wookie dressed up like a samurai, holding …"): "and a moon"
  // would read as part of the action, so the new thing gets its own clause after the actions.
  if (lastAction && (lastAction !== first || ACTION_WORD.test(firstText))) {
    const at = lastAction.end;
    return withUnblocked(changed(state, splice(state.prompt, { start: at, end: at }, `, ${text}`), { kind: "added", text }), text);
  }
  // Otherwise into the first clause, as the model's captions join two things ("a house and a moon, under a
  // sunset sky"), before a place that ends the clause ("a boat and a moon at sea").
  const trailing = places.find((span) => span.end === first.end && span.start > first.start);
  const at = trailing ? trailing.start - 1 : first.end;
  return withUnblocked(changed(state, splice(state.prompt, { start: at, end: at }, ` and ${text}`), { kind: "added", text }), text);
}

function applyAction(state: TDraftState, text: string, vocabulary: TDraftVocabulary): TApplyOutcome {
  if (findFirst(state.prompt, [text])) return { status: "unchanged", state };
  const lead = /^\S+/.exec(text)?.[0] ?? "";
  // The same kind of action replaces the old one: "holding a red sword" after "holding a blue lightsaber".
  if (/ing$|^dressed$/i.test(lead)) {
    const existing = findFirst(state.prompt, [lead]);
    if (existing) {
      const clause = clauseAt(state.prompt, existing.start);
      const place = backgroundSpans(state.prompt, vocabulary).find((span) => span.start > existing.start && span.start < clause.end);
      const span = { start: existing.start, end: place ? place.start - 1 : clause.end };
      const old = state.prompt.slice(span.start, span.end);
      return withUnblocked(changed(state, splice(state.prompt, span, text), { kind: "replaced", text: old, with: text }), text);
    }
  }
  const first = clauses(state.prompt)[0];
  if (!first) return { status: "failed", reason: "The prompt is empty." };
  return withUnblocked(changed(state, splice(state.prompt, { start: first.end, end: first.end }, `, ${text}`), { kind: "added", text }), text);
}

function applyReplace(state: TDraftState, target: TTarget, text: string, vocabulary: TDraftVocabulary): TApplyOutcome {
  const phrase = locate(state.prompt, target, vocabulary);
  if (typeof phrase === "string") return { status: "failed", reason: phrase };
  const words = wordsIn(text);
  const [firstWord] = words;
  if (!firstWord) return { status: "failed", reason: "Replace it with what?" };
  const hasDeterminer = isDeterminer(firstWord.word);
  const core = hasDeterminer ? text.slice(firstWord.end).trim() : text;
  const old = state.prompt.slice(phrase.start, phrase.end);
  let next: string;
  if (/\s/.test(core)) {
    // "a blue boat": the new phrase brings its own description.
    const keepDeterminer = phrase.determiner && !/^an?$/i.test(phrase.determiner.word);
    next = keepDeterminer || !hasDeterminer ? rebuild(phrase, [], core) : `${text.slice(0, firstWord.end)} ${core}`;
  } else {
    // "a boat": keep what the old one was (size, colour), change what it is.
    next = rebuild(phrase, phrase.modifiers.map((mod) => mod.word), core);
  }
  if (next === old) return { status: "unchanged", state };
  return withUnblocked(changed(state, splice(state.prompt, phrase, next), { kind: "replaced", text: old, with: next }), text);
}

/** Removes a noun phrase with the word that tied it to the rest of its clause ("and", "over", "holding"). */
function removePhrase(prompt: string, phrase: TNounPhrase, vocabulary: TDraftVocabulary): { prompt: string; removed: string } {
  let end = phrase.end;
  const position = findFirst(prompt, lexiconOf(vocabulary).positionAliases, end, conjunctEnd(prompt, end));
  if (position && position.start === end + 1) end = position.end;
  const clause = clauseAt(prompt, phrase.start);
  const before = prompt.slice(clause.start, phrase.start);
  const after = prompt.slice(end, clause.end);
  const relationBefore = new RegExp(`(?:^|\\s)(?:${RELATIONS})\\s+$`, "i").exec(before);
  const relationAfter = new RegExp(`^\\s+(?:${RELATIONS})\\s+`, "i").exec(after);
  let span: TSpan;
  if (relationBefore && before.slice(0, relationBefore.index).trim() !== "") {
    span = { start: clause.start + relationBefore.index, end };
  } else if (relationAfter) {
    span = { start: phrase.start, end: end + relationAfter[0].length };
  } else {
    span = { start: phrase.start, end };
  }
  const removed = prompt.slice(span.start, span.end).trim();
  let next = splice(prompt, span, " ");
  // A clause left with only a verb or a connector ("holding") goes too.
  const left = clauseAt(next, Math.min(span.start, next.length));
  const rest = next.slice(left.start, left.end).trim();
  // So does a lone word that stood right before the removed phrase: its adjective ("dramatic clouds" − clouds).
  const adjective = /^\p{L}+$/u.test(rest) && left.end === span.start - 1 && clauseAt(prompt, span.start).start === left.start && left.start > 0;
  if (rest === "" || adjective || /^(?:and|with|\p{L}+ing|dressed(?: up)?(?: like| as)?)$/iu.test(rest)) {
    next = rest === "" ? next : cut(next, left);
  }
  return { prompt: next, removed: adjective ? `${rest} ${removed}` : removed };
}

/** "cloud" → "cloudy", "fog" → "foggy", "mist" → "misty": the adjective a prompt uses for the thing. */
function adjectiveForms(noun: string): string[] {
  return nounForms(noun).flatMap((form) => [`${form}y`, /[^aeiou][aeiou][bdgmnpt]$/.test(form) ? `${form}${form.at(-1)}y` : `${form}y`]);
}

/** "not red anymore": drops a colour or size word from the noun phrase it is in, fixing a/an. */
function removeModifier(state: TDraftState, word: string, vocabulary: TDraftVocabulary): TApplyOutcome | null {
  const lexicon = lexiconOf(vocabulary);
  const lower = word.toLowerCase();
  if (!lexicon.colours.has(lower) && !lexicon.sizeAdjectives.has(lower)) return null;
  const found = findAll(state.prompt, [word]).find((span) => state.prompt[span.end] === " ");
  if (!found) return null;
  let prompt = splice(state.prompt, { start: found.start, end: found.end + 1 }, "");
  const article = /(?<![\p{L}])(an?) $/iu.exec(prompt.slice(0, found.start));
  if (article) {
    const next = /^\p{L}+/u.exec(prompt.slice(found.start))?.[0] ?? "";
    const fixed = articleFor(next, article[1]![0] === "A");
    prompt = splice(prompt, { start: article.index, end: article.index + article[1]!.length }, fixed);
  }
  return changed(state, prompt, { kind: "removed", text: word });
}

function applyRemove(state: TDraftState, what: string, vocabulary: TDraftVocabulary): TApplyOutcome {
  const modifier = /\s/.test(what.trim()) ? null : removeModifier(state, what.trim(), vocabulary);
  if (modifier) return modifier;
  // "at night" is about the night; "the clouds" also means "cloudy".
  const head = wordsIn(what).at(-1)?.word ?? what;
  const adjectives = adjectiveForms(head);
  const forms = [what, ...nounForms(what), ...nounForms(head), ...adjectives];
  // A style or background phrase that mentions it ("the outline", "the snow"): drop that phrase.
  const phrases = [
    ...findAll(state.prompt, styleAliases(vocabulary)),
    ...backgroundSpans(state.prompt, vocabulary),
  ].filter((span) => findFirst(state.prompt.slice(span.start, span.end), forms) !== null);
  if (phrases.length > 0) {
    let prompt = state.prompt;
    // "flying over a castle" − castle: the dragon still flies; only the place goes.
    const trimmed = phrases.map((span) => {
      const lead = /^(?:\p{L}{2,}ing|set|placed|located|perched|parked)\s+(?=\p{L})/iu.exec(state.prompt.slice(span.start, span.end));
      return lead && findFirst(state.prompt.slice(span.start, span.start + lead[0].length), forms) === null ? { ...span, start: span.start + lead[0].length - 1 } : span;
    });
    const sorted = [...trimmed].sort((a, b) => b.start - a.start);
    for (const span of sorted) prompt = span.start > 0 && state.prompt[span.start] === " " ? splice(prompt, span, "") : cut(prompt, span);
    const removedChanges = sorted.reverse().map((span) => ({ kind: "removed" as const, text: state.prompt.slice(span.start, span.end).trim() }));
    const outcome = changed(state, prompt, ...removedChanges);
    // Only a description went ("under a cloudy sky"): keep the thing itself out too.
    const headForms = new Set(nounForms(head));
    const nounWasThere = removedChanges.some((change) => (change.text.toLowerCase().match(/\p{L}+/gu) ?? []).some((word) => headForms.has(word)));
    if (outcome.status !== "changed" || nounWasThere) return outcome;
    return { status: "changed", state: addNegative(outcome.state, what) };
  }
  // A clause that is only the adjective ("…, foggy"): it goes, and the thing is kept out.
  const adjectiveClause = clauses(state.prompt).find((clause, index) => index > 0 && findFirst(state.prompt.slice(clause.start, clause.end), adjectives)?.start === 0 && !/\s/.test(state.prompt.slice(clause.start, clause.end)));
  if (adjectiveClause) {
    const outcome = changed(state, cut(state.prompt, adjectiveClause), { kind: "removed", text: state.prompt.slice(adjectiveClause.start, adjectiveClause.end) });
    return outcome.status === "changed" ? { status: "changed", state: addNegative(outcome.state, what) } : outcome;
  }
  const noun = wordsIn(what).at(-1)?.word ?? what;
  const found = findNoun(state.prompt, noun);
  if (found) {
    const phrase = nounPhraseAt(state.prompt, found, vocabulary);
    const { prompt, removed } = removePhrase(state.prompt, phrase, vocabulary);
    if (tidy(prompt) === "") return { status: "failed", reason: `Removing "${what}" would leave the prompt empty — describe what should be there instead.` };
    return changed(state, prompt, { kind: "removed", text: removed });
  }
  // Not in the text: keep it out with --no.
  const item = what.replace(/,/g, " ").replace(/\s+/g, " ").trim();
  if (state.negative.some((existing) => same(existing, item))) return { status: "unchanged", state };
  return { status: "changed", state: addNegative(state, what) };
}

function addNegative(state: TDraftState, what: string): TDraftState {
  const item = what.replace(/,/g, " ").replace(/\s+/g, " ").trim();
  if (state.negative.some((existing) => same(existing, item))) return state;
  return { ...state, negative: [...state.negative, item], changes: [...state.changes, { kind: "added", text: `--no ${item}` }] };
}

function applyAspect(state: TDraftState, ratio: { width: number; height: number }): TApplyOutcome {
  const old = state.aspectRatio;
  if (old.width === ratio.width && old.height === ratio.height) return { status: "unchanged", state };
  return {
    status: "changed",
    state: { ...state, aspectRatio: { ...ratio }, changes: [...state.changes, { kind: "replaced", text: `--ar ${old.width}:${old.height}`, with: `--ar ${ratio.width}:${ratio.height}` }] },
  };
}

export function applyEdit(state: TDraftState, edit: TEdit, vocabulary: TDraftVocabulary): TApplyOutcome {
  switch (edit.kind) {
    case "style":
      return applyStyle(state, edit.axis, edit.pole, vocabulary);
    case "medium":
      return applyMedium(state, edit.text, vocabulary);
    case "aspect":
      return applyAspect(state, edit.ratio);
    case "background":
      return applyBackground(state, edit.phrase, edit.slot, edit.whole === true, vocabulary);
    case "position":
      return applyPosition(state, edit.target, edit.position.id, vocabulary);
    case "colour":
      return applyAttribute(state, edit.target, "colour", edit.colour, vocabulary);
    case "size":
      return applyAttribute(state, edit.target, "size", edit.size, vocabulary);
    case "add":
      return applyAdd(state, edit.text, vocabulary);
    case "action":
      return applyAction(state, edit.text, vocabulary);
    case "remove":
      return applyRemove(state, edit.what, vocabulary);
    case "replace": {
      const outcome = applyReplace(state, edit.target, edit.text, vocabulary);
      if (outcome.status !== "failed" || !edit.instead) return outcome;
      // Not there to swap: do what was said, one edit after the other.
      let current: TApplyOutcome = { status: "unchanged", state };
      for (const step of edit.instead) {
        const next = applyEdit(current.state, step, vocabulary);
        if (next.status === "failed") return next;
        current = next.status === "changed" ? next : current;
      }
      return current;
    }
  }
}
