// Step 1 of the rewriter: turn what someone typed or said into clean clauses.
//
// Matching is done on a lower-cased copy, but text that ends up in the prompt
// ("the Wookie", "a blue lightsaber") keeps the user's casing. So the two copies
// are kept the same length and every slice is taken from both at once.

/** An utterance fragment: `text` as typed (normalised), `lower` for matching; always the same length. */
export interface TText {
  readonly text: string;
  readonly lower: string;
}

/** Lower-cases one UTF-16 unit at a time, keeping any unit whose lower case would change the length ("İ"). */
function lowerSameLength(text: string): string {
  let out = "";
  for (const char of text) {
    const lower = char.toLowerCase();
    out += lower.length === char.length ? lower : char;
  }
  return out;
}

export function makeText(text: string): TText {
  return { text, lower: lowerSameLength(text) };
}

export function slice(value: TText, start: number, end?: number): TText {
  return { text: value.text.slice(start, end), lower: value.lower.slice(start, end) };
}

export function trimText(value: TText): TText {
  const start = value.lower.length - value.lower.trimStart().length;
  const end = value.lower.trimEnd().length;
  return start >= end ? makeText("") : slice(value, start, end);
}

/**
 * What a person types or dictates, made safe and regular: curly quotes and
 * apostrophes straightened, control characters and broken surrogates dropped
 * (the prompt schema rejects them and they are never meant), parameter markers
 * ("--ar", "—no") defused so words copied into the prompt can never become
 * parameters, and closing punctuation ("?", "!", "…") removed. Commas and
 * semicolons stay: they separate requests.
 */
export function normaliseUtterance(input: string): TText {
  const cleaned = input
    .normalize("NFC")
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d\u00ab\u00bb]/g, '"')
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    // A typed parameter becomes a request of its own ("add a moon --ar 16:9" → "add a moon; ar 16:9");
    // the semicolon also stops it being read as part of the request before it.
    .replace(/(^|\s)(?:--|\u2014)(?=[A-Za-z])/g, "$1; ")
    .replace(/(?:-{2,}|\u2014|\u2013)/g, " ")
    .replace(/[?!.\u2026"`]+/g, " ")
    .replace(/\s*([,;])\s*/g, "$1 ")
    // "it's too dark" reads as "it is too dark" (the shapes in intents.ts match whole words).
    .replace(/\b(it|that|this|there|he|she|everything)'s\b/gi, "$1 is")
    .replace(/\s+/g, " ")
    .replace(/^[\s,;]+|[\s,;]+$/g, "");
  return makeText(cleaned);
}

/** Applies `pattern` (anchored at the start) and cuts what it matched; returns null when it does not match. */
function cutPrefix(value: TText, pattern: RegExp): TText | null {
  const match = pattern.exec(value.lower);
  if (!match || match.index !== 0 || match[0].length === 0) return null;
  return trimText(slice(value, match[0].length));
}

function cutSuffix(value: TText, pattern: RegExp): TText | null {
  const match = pattern.exec(value.lower);
  if (!match || match[0].length === 0 || match.index + match[0].length !== value.lower.length) return null;
  return trimText(slice(value, 0, match.index));
}

// Politeness and hedging carry no edit. Each entry is cut from the start of a
// clause, repeatedly, in any order ("ok so could you please ..."). Questions are
// just requests with an auxiliary in front ("can the wookie be holding ...").
const POLITE_PREFIXES: readonly RegExp[] = [
  /^(?:please|pls|plz|kindly|ok|okay|alright|all right|now|so|and|also|then|hmm+|hm+|umm*|uh+|er+m*|well|oh|hey|yes|yeah|yep|great|nice|perfect|good|lovely|thanks|thank you|actually|just|maybe|perhaps)\b,? ?/,
  /^(?:can|could|would|will|wouldn't|won't) (?:you|we|u|ya)(?: please| maybe| possibly| just| now)?\b ?/,
  /^(?:i(?:'d| would) (?:like|love|prefer)(?: (?:you|it))? to|i want (?:you|it) to|i need (?:you|it) to|i wanna|i want to|i need to|let's|lets|let us|try to|go ahead and|i think (?:you should|we should)|you should|we should)\b ?/,
  /^(?:is it possible to|would it be possible to|is there a way to|how do i|how can i|how would i)\b ?/,
  // "what if the house was red", "how about a moon": the rest is the request.
  /^(?:what if|how about|what about)(?: we| you| i)?\b ?/,
  /^(?:i think|i guess|i feel like|i'd say|i reckon|i suppose|ideally|honestly)\b,? ?/,
];

// "I want …", "give me …" ask for a state: "I want the house red" means "make
// the house red"; "I want a moon" means "add a moon" (a bare noun phrase, which
// intents.ts reads as an addition anyway).
const WANT_PREFIX = /^(?:i(?:'d| would) (?:like|love|prefer|rather have)|i want|i need|i'd rather have|give me|show me|let me see|let me have|i prefer)\b ?/;

// Auxiliary-led questions: "can the wookie be …", "could it be night", "should the boat …".
const QUESTION_PREFIX = /^(?:can|could|should|would|will|may|might|shall|does|do|is|are|must) (?=(?:it|this|that|they|there|the|everything|he|she|we have|i have|you)\b)/;

const POLITE_SUFFIX = /(?:,? ?\b(?:please|pls|plz|thanks|thank you|thx|for me|instead|as well|too|now|again|if you can|if possible|if you could|ok|okay|maybe|perhaps|a bit|a little|a little bit|slightly|a touch|a tad))+$/;

/** Cuts polite and hedging words from both ends until nothing more comes off. */
export function stripPoliteness(value: TText): TText {
  let current = trimText(value);
  for (let guard = 0; guard < 20; guard++) {
    let next: TText | null = null;
    for (const pattern of POLITE_PREFIXES) {
      next = cutPrefix(current, pattern);
      if (next) break;
    }
    if (!next) {
      const wanted = cutPrefix(current, WANT_PREFIX);
      if (wanted) next = /^(?:it|this|that|the|everything|them)\b/.test(wanted.lower) ? prefixed("make ", wanted) : wanted;
    }
    next ??= cutPrefix(current, QUESTION_PREFIX);
    next ??= cutSuffix(current, POLITE_SUFFIX);
    if (!next) return current;
    current = next;
  }
  return current;
}

/** Prepends words that the user implied (they are matched, never copied into the prompt). */
export function prefixed(words: string, value: TText): TText {
  return { text: words + value.text, lower: words + value.lower };
}

/**
 * Splits an utterance at commas, semicolons and "and"/"then"/"also" into
 * candidate requests. "and" is ambiguous ("add a house and a moon" is one
 * request), so intents.ts re-joins a piece with the one before it when the
 * piece means nothing on its own.
 */
export function splitRequests(value: TText): Array<{ piece: TText; joiner: string }> {
  const separator = /\s*[,;]\s*(?:and then |and also |and |then |also |plus )?|\s+(?:and then|and also|and|then|also|plus|but)\s+/g;
  const pieces: Array<{ piece: TText; joiner: string }> = [];
  let start = 0;
  let joiner = "";
  for (const match of value.lower.matchAll(separator)) {
    pieces.push({ piece: trimText(slice(value, start, match.index)), joiner });
    joiner = value.text.slice(match.index, match.index + match[0].length);
    start = match.index + match[0].length;
  }
  pieces.push({ piece: trimText(slice(value, start)), joiner });
  return pieces.filter(({ piece }) => piece.lower !== "" || pieces.length === 1);
}

export function joinTexts(first: TText, joiner: string, second: TText): TText {
  const lowerJoiner = lowerSameLength(joiner);
  return { text: first.text + joiner + second.text, lower: first.lower + lowerJoiner + second.lower };
}
