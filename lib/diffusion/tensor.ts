/**
 * Small helpers around onnxruntime `Tensor`s so the schedulers and pipelines can
 * do element-wise float32 arithmetic without caring how a tensor was produced.
 */
import { Tensor } from "onnxruntime-node";

/** A float32 tensor; the only kind schedulers and latents use. */
export function floatTensor(data: Float32Array, dims: readonly number[]): Tensor {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new RangeError(`data has ${data.length} values, dims ${dims.join("×")} need ${size}`);
  return new Tensor("float32", data, dims);
}

export function floatData(tensor: Tensor): Float32Array {
  if (tensor.type !== "float32" || !(tensor.data instanceof Float32Array)) {
    throw new TypeError(`expected a float32 tensor, got ${tensor.type}`);
  }
  return tensor.data;
}

/** Σ coefᵢ·tensorᵢ element-wise, the workhorse of every scheduler update. */
export function linearCombination(terms: ReadonlyArray<readonly [number, Tensor]>): Tensor {
  const first = terms[0];
  if (!first) throw new RangeError("linearCombination needs at least one term");
  const dims = first[1].dims;
  const out = new Float32Array(first[1].size);
  for (const [coef, tensor] of terms) {
    const data = floatData(tensor);
    if (data.length !== out.length) throw new RangeError("linearCombination: tensor sizes differ");
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + coef * data[i]!;
  }
  return floatTensor(out, dims);
}

export function scaleTensor(tensor: Tensor, factor: number): Tensor {
  return linearCombination([[factor, tensor]]);
}

/** Rows of a batched tensor (dimension 0), as views sharing the same buffer. */
export function batchItem(tensor: Tensor, index: number): Float32Array {
  const data = floatData(tensor);
  const batch = tensor.dims[0] ?? 1;
  const stride = data.length / batch;
  return data.subarray(index * stride, (index + 1) * stride);
}

/** Stack equally-shaped float32 tensors along a new or existing batch axis. */
export function concatBatch(tensors: readonly Tensor[]): Tensor {
  const first = tensors[0];
  if (!first) throw new RangeError("concatBatch needs at least one tensor");
  const rest = first.dims.slice(1);
  const out = new Float32Array(tensors.reduce((n, t) => n + t.size, 0));
  let offset = 0;
  let batch = 0;
  for (const tensor of tensors) {
    if (tensor.dims.slice(1).join() !== rest.join()) throw new RangeError("concatBatch: shapes differ");
    out.set(floatData(tensor), offset);
    offset += tensor.size;
    batch += tensor.dims[0] ?? 1;
  }
  return floatTensor(out, [batch, ...rest]);
}
