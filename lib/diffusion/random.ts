/**
 * Torch-compatible CPU random numbers, so that a Mirage seed produces the same
 * initial latents as `torch.Generator("cpu").manual_seed(seed)` in diffusers.
 *
 * Torch's CPU generator is a plain MT19937; `randn` on float32 tensors of 16 or
 * more elements draws every uniform first (24-bit floats) and then applies
 * Box–Muller to blocks of 16 (`normal_fill` in aten/src/ATen/native/cpu/
 * DistributionTemplates.h). Smaller tensors take a scalar path that uses 53-bit
 * double uniforms and caches the second normal of each Box–Muller pair on the
 * generator. Torch's AVX2 build vectorises the 16-block transform with its own
 * log/sin/cos approximations, so values can differ from ours in the last bit
 * (≈1e-7 relative); callers compare with a tolerance.
 */

const MT_N = 624;
const MT_M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;
const TWO_PI = 2 * Math.PI;

/** The reference MT19937 (Matsumoto & Nishimura), 32-bit output. */
export class MersenneTwister {
  private readonly state = new Uint32Array(MT_N);
  private index = MT_N;

  constructor(seed: number) {
    // Torch seeds with a uint64 and keeps its low 32 bits.
    this.state[0] = seed >>> 0;
    for (let i = 1; i < MT_N; i++) {
      const prev = this.state[i - 1]!;
      this.state[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
  }

  nextUint32(): number {
    if (this.index >= MT_N) this.twist();
    let y = this.state[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const s = this.state;
    for (let i = 0; i < MT_N; i++) {
      const y = (s[i]! & UPPER_MASK) | (s[(i + 1) % MT_N]! & LOWER_MASK);
      let next = s[(i + MT_M) % MT_N]! ^ (y >>> 1);
      if (y & 1) next ^= MATRIX_A;
      s[i] = next >>> 0;
    }
    this.index = 0;
  }
}

/** Mirrors `torch.Generator("cpu")`: one MT19937 stream shared by every draw. */
export class TorchGenerator {
  private readonly engine: MersenneTwister;
  /** Second value of the last scalar-path Box–Muller pair (torch caches it on the generator). */
  private cachedNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    this.engine = new MersenneTwister(seed);
  }

  /** `torch.randn(dims, generator=g)` in float32, values in logical (row-major) order. */
  randn(dims: readonly number[]): Float32Array {
    const size = dims.reduce((a, b) => a * b, 1);
    const out = new Float32Array(size);
    if (size >= 16) this.fillNormal16(out);
    else for (let i = 0; i < size; i++) out[i] = this.scalarNormal();
    return out;
  }

  /** Uniform in [0, 1) from 24 random bits, as torch does for float32. */
  private uniformFloat(): number {
    return (this.engine.nextUint32() & 0xffffff) / 0x1000000;
  }

  /** Uniform in [0, 1) from 53 random bits, as torch does for double. */
  private uniformDouble(): number {
    const hi = this.engine.nextUint32();
    const lo = this.engine.nextUint32();
    // (hi << 32 | lo) & (2^53 - 1), scaled by 2^-53, without BigInt.
    return ((hi & 0x1fffff) * 0x100000000 + lo) / 2 ** 53;
  }

  private fillNormal16(data: Float32Array): void {
    const size = data.length;
    for (let i = 0; i < size; i++) data[i] = this.uniformFloat();
    for (let i = 0; i + 16 <= size; i += 16) boxMuller16(data, i);
    if (size % 16 !== 0) {
      // Torch redraws the trailing 16 slots and transforms them again.
      const start = size - 16;
      for (let i = 0; i < 16; i++) data[start + i] = this.uniformFloat();
      boxMuller16(data, start);
    }
  }

  private scalarNormal(): number {
    if (this.cachedNormal !== undefined) {
      const value = this.cachedNormal;
      this.cachedNormal = undefined;
      return value;
    }
    const u1 = this.uniformDouble();
    const u2 = this.uniformDouble();
    const radius = Math.sqrt(-2 * Math.log(1 - u2));
    const theta = TWO_PI * u1;
    this.cachedNormal = radius * Math.sin(theta);
    return radius * Math.cos(theta);
  }
}

/** Box–Muller over one block of 16 uniforms, in place, rounding like float32 C++. */
function boxMuller16(data: Float32Array, offset: number): void {
  const f = Math.fround;
  for (let j = 0; j < 8; j++) {
    const u1 = f(1 - data[offset + j]!);
    const u2 = data[offset + j + 8]!;
    const radius = f(Math.sqrt(f(-2 * f(Math.log(u1)))));
    const theta = f(TWO_PI * u2);
    data[offset + j] = f(radius * f(Math.cos(theta)));
    data[offset + j + 8] = f(radius * f(Math.sin(theta)));
  }
}
