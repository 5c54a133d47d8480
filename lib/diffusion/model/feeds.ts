/**
 * Builds session feeds in exactly the dtype and rank each graph declares.
 * Exports disagree (int32 vs int64 ids; timestep float rank 0, float [B] or
 * int64 [1]; float16 graphs), so nothing here is hard-coded: every value is
 * cast from what `session.inputMetadata` says.
 */
import { Tensor } from "onnxruntime-node";

import { floatData, floatTensor } from "../tensor";
import { float16ArrayToFloat32, float32ArrayToFloat16 } from "./float16";

export interface InputSpec {
  name: string;
  type: Tensor.Type;
  /** Declared dimensions: numbers, symbolic names, or [] for a scalar (or an unknown shape). */
  shape: ReadonlyArray<number | string>;
}

const INTEGER_TYPES = new Set<Tensor.Type>(["int64", "int32", "uint8", "int8", "int16", "uint16", "uint32", "uint64"]);

/** A float32 tensor converted to the declared float type (float32 or float16). */
export function castFloatInput(tensor: Tensor, spec: InputSpec): Tensor {
  switch (spec.type) {
    case "float32":
      return tensor;
    case "float16":
      return new Tensor("float16", float32ArrayToFloat16(floatData(tensor)), tensor.dims);
    default:
      throw new TypeError(`input ${spec.name} declares ${spec.type}; expected a float tensor`);
  }
}

/** Token ids [batch, sequence] as the declared integer type. */
export function idsInput(rows: readonly (readonly number[])[], spec: InputSpec): Tensor {
  const length = rows[0]?.length ?? 0;
  const flat = rows.flat();
  if (flat.length !== rows.length * length) throw new RangeError("token id rows differ in length");
  const dims = [rows.length, length];
  switch (spec.type) {
    case "int64":
      return new Tensor("int64", BigInt64Array.from(flat, (v) => BigInt(v)), dims);
    case "int32":
      return new Tensor("int32", Int32Array.from(flat), dims);
    default:
      throw new TypeError(`input ${spec.name} declares ${spec.type}; expected int32 or int64 token ids`);
  }
}

/**
 * The diffusion timestep in the declared type and rank: rank 0, a fixed [1],
 * or one per batch item. Integer graphs get the truncated value (Euler's
 * fractional timesteps), as diffusers' legacy pipelines do.
 */
export function timestepInput(timestep: number, batch: number, spec: InputSpec): Tensor {
  const first = spec.shape[0];
  const count = spec.shape.length === 0 ? 1 : typeof first === "number" ? first : batch;
  const dims = spec.shape.length === 0 ? [] : [count];
  const values = Array.from({ length: count }, () => timestep);
  if (INTEGER_TYPES.has(spec.type)) {
    const whole = Math.trunc(timestep);
    if (spec.type === "int64") return new Tensor("int64", BigInt64Array.from(values, () => BigInt(whole)), dims);
    if (spec.type === "int32") return new Tensor("int32", Int32Array.from(values, () => whole), dims);
    throw new TypeError(`input ${spec.name} declares unsupported timestep type ${spec.type}`);
  }
  return castFloatInput(floatTensor(Float32Array.from(values), dims), spec);
}

/** Any float output as float32 (float16 graphs return raw bits). */
export function outputAsFloat32(tensor: Tensor): Tensor {
  if (tensor.type === "float32") return tensor;
  if (tensor.type === "float16" && tensor.data instanceof Uint16Array) {
    return floatTensor(float16ArrayToFloat32(tensor.data), tensor.dims);
  }
  throw new TypeError(`expected a float output, got ${tensor.type}`);
}
