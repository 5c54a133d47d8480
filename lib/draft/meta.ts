// Follow-ups that are about the conversation rather than the picture: going
// back ("undo that", "go back to the first one") and requests too vague to
// act on without guessing ("make it better", "remove it"). Both are answered
// without touching the prompt: an undo names the turn to return to (the
// session restores it), a vague request gets two or three concrete readings to
// click, each a follow-up the rules understand.

import { normaliseUtterance, stripPoliteness } from "./utterance";

const UNDO_FIRST = /^(?:(?:go|take (?:me|us|it)|get|revert|return|jump|start (?:over|again))(?: back)?(?: to| from)?|back to|restore|use)\s+(?:the\s+)?(?:first|original|very first|initial|starting)(?:\s+(?:one|version|prompt|image|draft|picture|turn))?$|^(?:the\s+)?(?:first|original)(?:\s+(?:one|version|prompt|draft))?\s+(?:was|is|looked)\s+better$/;
const UNDO_PREVIOUS = new RegExp(
  "^(?:undo|undo (?:that|this|it|the last (?:one|change|step|edit))|go back|go back (?:one|a step|one step)|back|step back|revert|revert (?:that|it|this)|" +
    "scratch that|take (?:that|it) back|never ?mind,? undo|never ?mind that|nevermind|cancel that|(?:that|it) was better (?:before|earlier)|" +
    "i liked (?:it|the last one|the previous one) better|(?:go )?back to the (?:previous|last|earlier|one before)(?: one| version| prompt| draft)?|previous one|the previous one was better)$",
);

/** The turn a message asks to go back to, or null when it asks for something else. */
export function undoTarget(message: string): "previous" | "first" | null {
  const cleaned = stripPoliteness(normaliseUtterance(message)).lower.replace(/[,;]/g, "").replace(/\s+/g, " ").trim();
  if (UNDO_FIRST.test(cleaned)) return "first";
  if (UNDO_PREVIOUS.test(cleaned)) return "previous";
  return null;
}

// Requests that name no change: acting on them would be a guess.
const VAGUE = /^(?:make (?:it|this|everything) (?:better|nicer|prettier|cooler|more (?:epic|interesting|beautiful|awesome|exciting)|pop(?: more)?(?: somehow)?|different|good|great|work)|(?:change|fix|improve|redo|tweak|edit|adjust) (?:it|this|that|everything)|(?:(?:do|try|make|show me|give me) )?(?:something|anything) (?:different|else|cool|fun|new|interesting|better|nicer|prettier)|different|not quite|hmm+ not quite|try again|again|another one|i don't like it|not like that|nope|no)$/;
// Requests that would remove the whole subject or everything.
const REMOVE_ALL = /^(?:remove|delete|erase|get rid of|lose|drop|take out|clear)\s+(?:it|this|that|everything|all|all of it|the whole thing|him|her|them)$/;
// A thing named with no new value: "change the boat" (to what?).
const CHANGE_NAMED = /^(?:change|replace|swap|switch|modify|alter|fix)\s+(?:the|that|this|my)\s+(?<noun>[\p{L}-]+)$/u;

export interface TVagueReading {
  label: string;
  message: string;
}

/**
 * Concrete readings for a vague follow-up, or null when the message is not
 * vague (the rules then read it). `subject` is the main subject of the prompt,
 * so the readings can name it.
 */
export function vagueReadings(message: string, subject: string | null): { question: string; readings: TVagueReading[] } | null {
  const cleaned = stripPoliteness(normaliseUtterance(message)).lower.replace(/[,;]/g, "").replace(/\s+/g, " ").trim();
  const thing = subject ?? "subject";
  const named = CHANGE_NAMED.exec(cleaned)?.groups?.noun;
  if (named) {
    return {
      question: `What should the ${named} become?`,
      readings: [
        { label: `A different colour for the ${named}`, message: `make the ${named} blue` },
        { label: `A bigger ${named}`, message: `make the ${named} bigger` },
        { label: `Remove the ${named}`, message: `remove the ${named}` },
      ],
    };
  }
  if (REMOVE_ALL.test(cleaned)) {
    return {
      question: `Remove the ${thing}? That would leave little of the prompt — did you mean one of these?`,
      readings: [
        { label: `Replace the ${thing} with something else`, message: `replace the ${thing} with a tree` },
        { label: "Go back to the previous prompt", message: "undo" },
        { label: "Use a plain background", message: "on a plain background" },
      ],
    };
  }
  if (VAGUE.test(cleaned)) {
    return {
      question: "I'm not sure what to change. Did you mean one of these?",
      readings: [
        { label: "More detail", message: "more detailed" },
        { label: "More vivid colours", message: "more vivid colours" },
        { label: "A more dynamic composition", message: "more dynamic" },
      ],
    };
  }
  return null;
}
