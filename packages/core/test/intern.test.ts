import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intern } from '../src/index.ts';

describe('intern', () => {
  it('returns an equal string for any text, property-like or not', () => {
    for (const text of ['n1', '__proto__', 'constructor', '7', '-0', '1e3', '', ' ', 'ünï'])
      expect(intern(text)).toBe(text);
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => intern(text) === text));
  });
});
