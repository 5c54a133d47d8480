/**
 * IEEE-754 half-precision conversion. Node 20 has no Float16Array, and
 * onnxruntime-node takes float16 tensors as raw bits in a Uint16Array.
 */

const floatView = new Float32Array(1);
const bitsView = new Uint32Array(floatView.buffer);

/** float32 → float16 bits, round to nearest even, with overflow to ±∞ and subnormals. */
export function toFloat16Bits(value: number): number {
  floatView[0] = value;
  const x = bitsView[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // NaN stays NaN
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    const rounded = mantissa >>> shift;
    const remainder = mantissa & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    return sign | (rounded + (remainder > half || (remainder === half && rounded & 1) ? 1 : 0));
  }
  const rounded = (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and may reach ∞).
  return sign | (rounded + (remainder > 0x1000 || (remainder === 0x1000 && rounded & 1) ? 1 : 0));
}

export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function float32ArrayToFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]!);
  return out;
}

export function float16ArrayToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = fromFloat16Bits(bits[i]!);
  return out;
}
