import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distroHash, isResponsible, javaHash, mapServer, sortedHealthyList } from '../src/mapper.ts';

describe('DistroMapper', () => {
  it("computes Java's String.hashCode (values from a JVM)", () => {
    expect(javaHash('')).toBe(0);
    expect(javaHash('a')).toBe(97);
    expect(javaHash('hello')).toBe(99162322);
    // "polygenelubricants".hashCode() == Integer.MIN_VALUE, the classic wrap-around case.
    expect(javaHash('polygenelubricants')).toBe(-2147483648);
    expect(distroHash('polygenelubricants')).toBe(1);
  });

  it('sorts the healthy list as Java sorts strings ("n10" before "n9")', () => {
    expect(sortedHealthyList(['n9', 'n10', 'n1'])).toEqual(['n1', 'n10', 'n9']);
  });

  it('has exactly one responsible node per tag when every node shares the view', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 9 }), (tag, size) => {
        const list = sortedHealthyList(Array.from({ length: size }, (_, i) => `n${i + 1}`));
        const owners = list.filter((node) => isResponsible(tag, list, node));
        expect(owners).toEqual([mapServer(tag, list, 'n1')]);
      }),
    );
  });

  it('keeps the quirks: an empty list is not ready, a node missing from the list claims everything', () => {
    expect(isResponsible('c1', [], 'n1')).toBe(false);
    expect(mapServer('c1', [], 'n1')).toBe('n1');
    expect(isResponsible('c1', ['n2', 'n3'], 'n1')).toBe(true);
  });
});
