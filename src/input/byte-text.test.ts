/**
 * The short-string cache returns exactly the Latin-1 decode of its bytes, for any mix of repeated and distinct
 * values (values that share a slot evict each other; a hit must still be the same bytes).
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsciiStringCache } from './byte-text.js';

describe('AsciiStringCache', () => {
  it('gives the bytes as text for any ASCII values, repeated or colliding', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 30 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (values, repeats) => {
        const cache = new AsciiStringCache();
        // Framed by other bytes: the range read must be exactly [start, end).
        const buffers = values.map((v) => Buffer.from(`"${v}"`, 'latin1'));
        for (let r = 0; r < repeats; r++) {
          for (let i = 0; i < values.length; i++) expect(cache.text(buffers[i], 1, buffers[i].length - 1)).toBe(values[i]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('tells apart values that differ in any single byte (a slot shared by near-identical values)', () => {
    const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit: printable, minLength: 1, maxLength: 24 }), printable, (base, ch) => {
        const cache = new AsciiStringCache();
        // The base, then each variant with one byte changed, then the base again: every answer is its own bytes.
        const variants = [base, ...Array.from(base, (_, i) => base.slice(0, i) + ch + base.slice(i + 1)), base];
        for (const v of variants) {
          const b = Buffer.from(v, 'latin1');
          expect(cache.text(b, 0, b.length)).toBe(v);
        }
      }),
      { numRuns: 300 },
    );
  });
});
