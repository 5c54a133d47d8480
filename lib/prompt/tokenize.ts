import { findMarkers } from "./text";

export type TParameterToken = {
  /** Lower-cased name without the dashes: "ar" for "--AR" or "—ar". */
  name: string;
  /** Everything after the name up to the next parameter, trimmed; "" when nothing. */
  value: string;
};

export type TTokens = { prompt: string; parameters: TParameterToken[] };

/**
 * Splits normalised text (see normaliseText) into the prompt, which is the text
 * before the first parameter, and the parameters in order. As in Midjourney, a
 * parameter's value runs until the next parameter, so text typed after a
 * parameter belongs to it; the per-parameter readers decide whether that is valid.
 */
export function tokenize(text: string): TTokens {
  const markers = findMarkers(text);
  const prompt = text.slice(0, markers[0]?.start ?? text.length).trim();
  const parameters = markers.map((marker, i) => {
    const segment = text.slice(marker.end, markers[i + 1]?.start ?? text.length).trim();
    const space = segment.indexOf(" ");
    return space === -1
      ? { name: segment.toLowerCase(), value: "" }
      : { name: segment.slice(0, space).toLowerCase(), value: segment.slice(space + 1).trim() };
  });
  return { prompt, parameters };
}
