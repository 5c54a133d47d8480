import { describe, expect, it } from "vitest";
import { parsePrometheusText } from "../support/prometheus-text";

/** The test parser must itself fail on malformed exposition text, or the scrape test proves nothing. */
const GOOD = [
  "# HELP jobs_total Jobs \\\\ done.",
  "# TYPE jobs_total counter",
  'jobs_total{mode="fast",note="a \\"q\\"\\n"} 3',
  "# TYPE wait histogram",
  'wait_bucket{le="1"} 1',
  'wait_bucket{le="+Inf"} 2',
  "wait_sum 3.5",
  "wait_count 2",
  "",
].join("\n");

describe("the test's Prometheus text parser", () => {
  it("reads well-formed text", () => {
    const families = parsePrometheusText(GOOD);
    expect(families.get("jobs_total")?.samples[0]?.labels.note).toBe('a "q"\n');
    expect(families.get("wait")?.type).toBe("histogram");
  });

  it.each([
    ["no final newline", GOOD.trimEnd()],
    ["a bad metric name", `${GOOD}9bad 1\n`],
    ["a value that is not a float", `${GOOD}x 1,5\n`],
    ["an unterminated label", `${GOOD}x{a="1} 1\n`],
    ["a bad escape", `${GOOD}x{a="\\t"} 1\n`],
    ["a repeated series", `${GOOD}x 1\nx 2\n`],
    ["a TYPE after samples", `x 1\n# TYPE x gauge\n`],
    ["an unknown type", "# TYPE x meter\nx 1\n"],
    ["split families", "a 1\nb 1\na{c=\"d\"} 1\n"],
    ["a negative counter", "# TYPE c counter\nc -1\n"],
    ["+Inf bucket ≠ count", '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n'],
    ["buckets not cumulative", '# TYPE h histogram\nh_bucket{le="1"} 3\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n'],
    ["no +Inf bucket", '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
  ])("refuses %s", (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
