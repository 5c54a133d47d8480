/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4),
 * for tests that scrape /metrics: it throws on anything a Prometheus server
 * would refuse or misread — a malformed line, a bad name or escape, a value
 * that is not a float, a TYPE after its samples or given twice, a family
 * whose samples are not together, a repeated series, and a histogram whose
 * buckets are not cumulative or whose +Inf bucket differs from its _count.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help: string | null;
  samples: PromSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

function fail(lineNumber: number, message: string, line: string): never {
  throw new Error(`Prometheus text, line ${lineNumber}: ${message}: ${JSON.stringify(line)}`);
}

function parseValue(text: string, lineNumber: number, line: string): number {
  if (text === "NaN") return Number.NaN;
  if (text === "+Inf" || text === "Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) fail(lineNumber, `not a float value "${text}"`, line);
  return Number(text);
}

/** Reads `{a="x",b="y"}` from `line` at `start` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, start: number, lineNumber: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let index = start + 1;
  while (true) {
    if (line[index] === "}") return { labels, end: index + 1 };
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(index));
    if (!nameMatch) fail(lineNumber, "bad label name", line);
    const name = nameMatch[0];
    if (!LABEL_NAME.test(name)) fail(lineNumber, "bad label name", line);
    if (name in labels) fail(lineNumber, `label ${name} given twice`, line);
    index += name.length;
    if (line.slice(index, index + 2) !== '="') fail(lineNumber, "expected =\" after a label name", line);
    index += 2;
    let value = "";
    while (true) {
      const char = line[index];
      if (char === undefined) fail(lineNumber, "unterminated label value", line);
      if (char === '"') break;
      if (char === "\\") {
        const next = line[index + 1];
        if (next === "\\") value += "\\";
        else if (next === '"') value += '"';
        else if (next === "n") value += "\n";
        else fail(lineNumber, "bad escape in a label value", line);
        index += 2;
        continue;
      }
      value += char;
      index += 1;
    }
    labels[name] = value;
    index += 1;
    if (line[index] === ",") {
      index += 1;
      continue;
    }
    if (line[index] !== "}") fail(lineNumber, "expected , or } after a label value", line);
  }
}

/** The family a sample belongs to: `x_bucket`, `x_sum`, `x_count` belong to histogram or summary `x`. */
function familyOf(sampleName: string, families: Map<string, PromFamily>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!sampleName.endsWith(suffix)) continue;
    const base = sampleName.slice(0, -suffix.length);
    const family = families.get(base);
    if (family && (family.type === "histogram" || (family.type === "summary" && suffix !== "_bucket"))) return base;
  }
  return sampleName;
}

function checkHistogram(family: PromFamily): void {
  const series = new Map<string, { buckets: { le: number; value: number }[]; count?: number; sum?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (sample.name === `${family.name}_bucket`) {
      if (le === undefined) throw new Error(`histogram ${family.name}: a bucket without le`);
      entry.buckets.push({ le: le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), value: sample.value });
    } else if (sample.name === `${family.name}_count`) entry.count = sample.value;
    else if (sample.name === `${family.name}_sum`) entry.sum = sample.value;
    else throw new Error(`histogram ${family.name}: unexpected sample ${sample.name}`);
  }
  for (const [key, entry] of series) {
    if (entry.count === undefined || entry.sum === undefined) throw new Error(`histogram ${family.name}${key}: missing _count or _sum`);
    const sorted = [...entry.buckets].sort((a, b) => a.le - b.le);
    if (sorted.at(-1)?.le !== Number.POSITIVE_INFINITY) throw new Error(`histogram ${family.name}${key}: no +Inf bucket`);
    for (let index = 1; index < sorted.length; index += 1) {
      if (sorted[index]!.value < sorted[index - 1]!.value) throw new Error(`histogram ${family.name}${key}: buckets are not cumulative`);
    }
    if (sorted.at(-1)!.value !== entry.count) throw new Error(`histogram ${family.name}${key}: +Inf bucket ${sorted.at(-1)!.value} ≠ _count ${entry.count}`);
  }
}

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  if (text.length > 0 && !text.endsWith("\n")) throw new Error("Prometheus text must end with a line feed");
  const families = new Map<string, PromFamily>();
  const finished = new Set<string>();
  const seenSeries = new Set<string>();
  let current: string | null = null;
  const lines = text.split("\n").slice(0, -1);
  for (const [offset, line] of lines.entries()) {
    const lineNumber = offset + 1;
    if (line.trim() === "") continue;
    if (line.startsWith("#")) {
      const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!meta) continue; // a plain comment
      const [, keyword, name = "", rest = ""] = meta;
      if (!METRIC_NAME.test(name)) fail(lineNumber, "bad metric name", line);
      if (finished.has(name)) fail(lineNumber, `${keyword} for family ${name} after its samples ended`, line);
      const family = families.get(name) ?? { name, type: "untyped", help: null, samples: [] };
      if (family.samples.length > 0) fail(lineNumber, `${keyword} after samples of ${name}`, line);
      if (keyword === "TYPE") {
        if (families.has(name) && family.type !== "untyped") fail(lineNumber, `TYPE of ${name} given twice`, line);
        if (!TYPES.has(rest)) fail(lineNumber, `unknown type "${rest}"`, line);
        family.type = rest as PromFamily["type"];
      } else {
        if (family.help !== null) fail(lineNumber, `HELP of ${name} given twice`, line);
        if (/\\[^\\n]/.test(rest.replaceAll("\\\\", ""))) fail(lineNumber, "bad escape in HELP", line);
        family.help = rest.replaceAll("\\n", "\n").replaceAll("\\\\", "\\");
      }
      families.set(name, family);
      if (current !== null && current !== name) finished.add(current);
      current = name;
      continue;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nameMatch) fail(lineNumber, "a sample must start with a metric name", line);
    const sampleName = nameMatch[0];
    let index = sampleName.length;
    let labels: Record<string, string> = {};
    if (line[index] === "{") ({ labels, end: index } = parseLabels(line, index, lineNumber));
    if (line[index] !== " ") fail(lineNumber, "expected a space before the value", line);
    const fields = line.slice(index + 1).split(" ");
    if (fields.length < 1 || fields.length > 2 || fields.some((field) => field === "")) fail(lineNumber, "expected `value [timestamp]`", line);
    const value = parseValue(fields[0]!, lineNumber, line);
    if (fields[1] !== undefined && !/^-?\d+$/.test(fields[1])) fail(lineNumber, "bad timestamp", line);
    const familyName = familyOf(sampleName, families);
    if (finished.has(familyName)) fail(lineNumber, `samples of ${familyName} are not together`, line);
    if (current !== null && current !== familyName) finished.add(current);
    current = familyName;
    const family = families.get(familyName) ?? { name: familyName, type: "untyped" as const, help: null, samples: [] };
    families.set(familyName, family);
    const seriesKey = `${sampleName}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seenSeries.has(seriesKey)) fail(lineNumber, "the same series twice", line);
    seenSeries.add(seriesKey);
    if (family.type === "counter" && (value < 0 || Number.isNaN(value))) fail(lineNumber, "a counter must be a non-negative number", line);
    family.samples.push({ name: sampleName, labels, value });
  }
  for (const family of families.values()) if (family.type === "histogram") checkHistogram(family);
  return families;
}
