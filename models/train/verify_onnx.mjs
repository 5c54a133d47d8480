// Replays the torch reference inputs that export.py saved (models/train/.cache/verify)
// through onnxruntime-node and reports the largest difference to torch's outputs.
// Run from the repo root after an export:  node models/train/verify_onnx.mjs
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import ort from "onnxruntime-node";

const dir = join(dirname(fileURLToPath(import.meta.url)), ".cache", "verify");
const typed = { float32: Float32Array, int64: BigInt64Array, int32: Int32Array };
const load = (t) => {
  const buf = readFileSync(join(dir, t.file));
  const Arr = typed[t.dtype];
  return new ort.Tensor(t.dtype, new Arr(buf.buffer, buf.byteOffset, buf.byteLength / Arr.BYTES_PER_ELEMENT), t.shape);
};

let failed = false;
for (const f of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  const spec = JSON.parse(readFileSync(join(dir, f), "utf8"));
  const session = await ort.InferenceSession.create(spec.model, { executionProviders: ["cpu"] });
  const feeds = Object.fromEntries(Object.entries(spec.inputs).map(([n, t]) => [n, load(t)]));
  const out = await session.run(feeds);
  const meta = session.inputMetadata.map((m) => `${m.name}:${m.type}[${m.shape.join(",")}]`).join(" ");
  for (const [name, t] of Object.entries(spec.outputs)) {
    const want = load(t).data;
    const got = out[name].data;
    let max = 0;
    for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i] - got[i]));
    const ok = got.length === want.length && max < 1e-3;
    failed ||= !ok;
    console.log(`${ok ? "ok  " : "FAIL"} ${f.replace(".json", "")} ${name} [${out[name].dims}] max|diff| ${max.toExponential(2)}  inputs ${meta}`);
  }
}
process.exit(failed ? 1 : 0);
