/**
 * Logarithm, exponential and square root built only from IEEE-754 +, -, *, / (which every
 * JavaScript engine rounds identically). Math.log and Math.exp are allowed to differ by an ulp
 * between engines; a latency sample that differs by an ulp can round to a different microsecond
 * and fork the whole run. These keep a seed's trace identical in Node, Chromium and Firefox.
 */

const LN2 = 0.6931471805599453;
const LN2_HIGH = 6.9314718036912381649e-1;
const LN2_LOW = 1.90821492927058770002e-10;
const float64 = new Float64Array(1);
const words = new Uint32Array(float64.buffer);
// Float64Array shares the platform's byte order; find which 32-bit word holds the exponent.
const HIGH = (() => {
  float64[0] = 1;
  return words[1] === 0x3ff00000 ? 1 : 0;
})();

/** Natural logarithm of a positive finite number. */
export function ln(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) {
    if (x === 0) return -Infinity;
    if (x === Infinity) return Infinity;
    return NaN;
  }
  let exponentAdjust = 0;
  if (x < 2.2250738585072014e-308) {
    // Subnormal: scale up so the exponent field is meaningful.
    x *= 18014398509481984; // 2^54
    exponentAdjust = -54;
  }
  float64[0] = x;
  const high = words[HIGH]!;
  let exponent = ((high >>> 20) & 0x7ff) - 1023 + exponentAdjust;
  // Replace the exponent with 0 to get the mantissa m in [1, 2).
  words[HIGH] = (high & 0x800fffff) | 0x3ff00000;
  let m = float64[0]!;
  // Centre m on 1 (range [sqrt(1/2), sqrt(2))) so the series below converges fast.
  if (m > 1.4142135623730951) {
    m /= 2;
    exponent += 1;
  }
  // ln(m) = 2 atanh(z), z = (m - 1) / (m + 1), |z| <= 0.1716.
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let k = 3; k < 40; k += 2) {
    term *= z2;
    const next = sum + term / k;
    if (next === sum) break;
    sum = next;
  }
  return 2 * sum + exponent * LN2;
}

/** e^x. */
export function exp(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.1332191019412) return 0;
  // x = k ln2 + r with |r| <= ln2 / 2; e^x = 2^k e^r. ln2 is split in two (Cody-Waite) so that
  // k × LN2_HIGH is exact and r keeps full precision even for large |x|.
  const k = Math.round(x / LN2);
  const r = x - k * LN2_HIGH - k * LN2_LOW;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 30; n++) {
    term = (term * r) / n;
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return scaleByPowerOfTwo(sum, k);
}

function scaleByPowerOfTwo(value: number, power: number): number {
  // Multiplying by exact powers of two is exact (barring underflow), so this is engine-independent.
  let result = value;
  let remaining = power;
  while (remaining > 1000) {
    result *= 2 ** 1000;
    remaining -= 1000;
  }
  while (remaining < -1000) {
    result *= 2 ** -1000;
    remaining += 1000;
  }
  return result * 2 ** remaining;
}

/** Square root is correctly rounded by IEEE-754, so Math.sqrt is already deterministic. */
export const sqrt = Math.sqrt;
