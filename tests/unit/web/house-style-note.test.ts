import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { HouseStyleNote } from "@/components/personalize/house-style-note";

/** The note's words as a reader hears them (tags dropped, entities decoded). */
function text(html: string): string {
  return html.replace(/<[^>]+>/g, "").replaceAll("&#x27;", "'").replaceAll("&apos;", "'").replace(/\s+/g, " ").trim();
}

// /personalize for a member whose team pinned a house style (docs/teams.md); the page itself is covered by tests/e2e/house-style.spec.ts.
describe("HouseStyleNote", () => {
  const house = { team: "Studio North", code: "hs12ab34", model: "mirage-tiny" };

  it("says a bare --p is the team's house style and gives the member's own profile code", () => {
    const html = renderToStaticMarkup(h(HouseStyleNote, { house, ownCode: "me98zy76", required: 200 }));
    expect(html).toMatch(/^<p role="note" aria-label="What --p means in your team"/);
    expect(text(html)).toBe("In team Studio North, --p alone uses the team's house style (code hs12ab34, for mirage-tiny). Your own profile: --p me98zy76.");
  });

  it("without a profile yet, says how to unlock one", () => {
    const html = renderToStaticMarkup(h(HouseStyleNote, { house, ownCode: null, required: 200 }));
    expect(text(html)).toMatch(/Your own profile: rank 200 pairs here to unlock it, then name its code with --p\.$/);
  });
});
