import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { castFloatInput, idsInput, outputAsFloat32, timestepInput, type InputSpec } from "@/lib/diffusion/model/feeds";
import { fromFloat16Bits, toFloat16Bits } from "@/lib/diffusion/model/float16";
import { floatTensor } from "@/lib/diffusion/tensor";

const spec = (type: InputSpec["type"], shape: InputSpec["shape"]): InputSpec => ({ name: "x", type, shape });

describe("float16 bits", () => {
  it("converts known values", () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(0.1)).toBe(0x2e66);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(1e-9)).toBe(0);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
    expect(fromFloat16Bits(0x3555)).toBeCloseTo(0.33325, 5);
  });

  it("round-trips every finite half exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (bits) => {
        const exponent = (bits >>> 10) & 0x1f;
        fc.pre(exponent !== 0x1f);
        expect(toFloat16Bits(fromFloat16Bits(bits))).toBe(bits === 0x8000 ? 0x8000 : bits);
      }),
    );
  });

  it("rounds to the nearest half", () => {
    fc.assert(
      fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (value) => {
        const back = fromFloat16Bits(toFloat16Bits(value));
        // Half has 11 significant bits: relative error ≤ 2⁻¹¹ (absolute 2⁻²⁵ near zero).
        expect(Math.abs(back - value)).toBeLessThanOrEqual(Math.max(Math.abs(value) * 2 ** -11, 2 ** -25));
      }),
    );
  });
});

describe("feeds follow the declared input metadata", () => {
  it("timestep: float rank 0 (optimum ≥ 1.24)", () => {
    const t = timestepInput(999, 2, spec("float32", []));
    expect(t.type).toBe("float32");
    expect(t.dims).toEqual([]);
    expect(Array.from(t.data as Float32Array)).toEqual([999]);
  });

  it("timestep: int64 [1] (ms sd-turbo) truncates fractional Euler times", () => {
    const t = timestepInput(977.8, 2, spec("int64", [1]));
    expect(t.dims).toEqual([1]);
    expect(Array.from(t.data as BigInt64Array)).toEqual([977n]);
  });

  it("timestep: float [batch] (legacy script) repeats per batch item", () => {
    const t = timestepInput(501, 3, spec("float32", ["batch"]));
    expect(t.dims).toEqual([3]);
    expect(Array.from(t.data as Float32Array)).toEqual([501, 501, 501]);
  });

  it("timestep: float16 rank 0", () => {
    const t = timestepInput(1, 1, spec("float16", []));
    expect(t.type).toBe("float16");
    expect(Array.from(t.data as Uint16Array)).toEqual([0x3c00]);
  });

  it("input ids as int64 or int32", () => {
    const rows = [[49406, 320, 49407], [49406, 49407, 49407]];
    const i64 = idsInput(rows, spec("int64", ["batch_size", "sequence_length"]));
    expect(i64.type).toBe("int64");
    expect(i64.dims).toEqual([2, 3]);
    expect((i64.data as BigInt64Array)[1]).toBe(320n);
    const i32 = idsInput(rows, spec("int32", ["batch_size", "sequence_length"]));
    expect(i32.type).toBe("int32");
    expect(Array.from(i32.data as Int32Array)).toEqual(rows.flat());
    expect(() => idsInput(rows, spec("float32", []))).toThrow(TypeError);
  });

  it("float tensors cast to float16 and back", () => {
    const x = floatTensor(Float32Array.from([0.5, -1.25, 3]), [1, 3]);
    const half = castFloatInput(x, spec("float16", [1, 3]));
    expect(half.type).toBe("float16");
    expect(Array.from(outputAsFloat32(half).data as Float32Array)).toEqual([0.5, -1.25, 3]);
    expect(castFloatInput(x, spec("float32", [1, 3]))).toBe(x);
  });
});
