import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operationLabel, resultLabel } from '../src/app/operation-label.ts';
import { formatCount } from '../src/model/describe.ts';
import { COLORS, roleColors } from '../src/app/palette.ts';

/** CIE76 colour difference in L*a*b*: about 2.3 is just noticeable, above 20 reads as a different colour at a glance. */
function deltaE(a: string, b: string): number {
  const lab = (hex: string) => {
    const value = parseInt(hex.slice(1), 16);
    const [r, g, bl] = [(value >> 16) & 255, (value >> 8) & 255, value & 255].map((channel) => {
      const c = channel / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
    const x = f((r * 0.4124 + g * 0.3576 + bl * 0.1805) / 0.95047);
    const y = f(r * 0.2126 + g * 0.7152 + bl * 0.0722);
    const z = f((r * 0.0193 + g * 0.1192 + bl * 0.9505) / 1.08883);
    return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
  };
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
}

describe('colours', () => {
  it('tells roles apart that share a picture: coordinator from blocked, removing from crashed', () => {
    // The roles of 2PC/3PC and of the heartbeat detector, as their summaries name them.
    const colors = roleColors(['coordinator', 'participant', 'blocked', 'prepared', 'healthy', 'removing']);
    expect(deltaE(colors.get('coordinator')!, colors.get('blocked')!)).toBeGreaterThan(20);
    // A crashed node is drawn with COLORS.cut (its ring and label).
    expect(deltaE(colors.get('removing')!, COLORS.cut)).toBeGreaterThan(20);
    const all = [...colors.values(), COLORS.cut];
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++) expect(deltaE(all[i]!, all[j]!)).toBeGreaterThan(15);
  });
});

describe('operation labels', () => {
  it('reads like the operation, not like JSON', () => {
    expect(operationLabel({ f: 'put', key: 'k0', value: 'c1.1' })).toBe('put k0 = c1.1');
    expect(operationLabel({ f: 'get', key: 'k0' })).toBe('get k0');
    expect(operationLabel({ f: 'status', key: 'n1' })).toBe('status n1');
    expect(
      operationLabel({ f: 'transfer', value: { from: 'p1/a0', to: 'p2/a0', amount: 10, fee: 1, feeTo: 'p3/a0' } }, 80),
    ).toBe('transfer p1/a0 → p2/a0 amount 10 fee 1 feeTo p3/a0');
    expect(operationLabel({ f: 'cas', key: 'x', value: [1, 2] })).toBe('cas x [1, 2]');
    expect(operationLabel('raw')).toBe('raw');
    expect(operationLabel({ f: 'put', key: 'k', value: 'v'.repeat(80) }, 20)).toHaveLength(20);
  });

  it('names the outcome, with the value an ok carries', () => {
    expect(resultLabel('ok', { tx: 1 })).toBe('→ tx 1');
    expect(resultLabel('ok', 'healthy')).toBe('→ healthy');
    expect(resultLabel('ok', undefined)).toBe('✓');
    expect(resultLabel('info', undefined)).toBe('info');
    expect(resultLabel('fail', 'x')).toBe('fail');
  });
});

describe('counts', () => {
  it('groups thousands as en-US toLocaleString does, for every safe whole number', () => {
    for (const count of [0, 7, 999, 1000, 66_559, 999_999, 1_000_000, -1234, Number.MAX_SAFE_INTEGER])
      expect(formatCount(count)).toBe(count.toLocaleString('en-US'));
    fc.assert(
      fc.property(fc.maxSafeInteger(), (count) => formatCount(count) === count.toLocaleString('en-US')),
      { numRuns: 2000 },
    );
  });
});
