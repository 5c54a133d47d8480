import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "@/lib/server/csv";

describe("CSV export", () => {
  it("quotes commas, quotes and line breaks", () => {
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
  });

  it("keeps formulas as text", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    for (const start of ["+", "-", "@", "\t"]) expect(csvField(`${start}1+1`).startsWith("'")).toBe(true);
    expect(csvField(-3)).toBe("-3");
  });

  it("ends every line with CRLF", () => {
    expect(toCsv(["a", "b"], [["1", "x,y"]])).toBe('a,b\r\n1,"x,y"\r\n');
  });
});
