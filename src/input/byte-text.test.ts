/**
 * The short-string cache returns exactly the Latin-1 decode of its bytes, for any mix of repeated and distinct
 * values (also across the growth of its table), and hands back one string per value while the value stays cached.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsciiStringCache } from './byte-text.js';

describe('AsciiStringCache', () => {
  it('gives the bytes as text for any ASCII values, also after its table grows', () => {
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

  it('stops re-decoding 12,000 distinct join keys once its table has grown', () => {
    const cache = new AsciiStringCache();
    const keys = Array.from({ length: 12_000 }, (_, k) => Buffer.from(`S${String(k).padStart(5, '0')}`));
    for (let pass = 0; pass < 4; pass++) for (const k of keys) cache.text(k, 0, k.length);
    const before = cache.misses;
    for (const k of keys) expect(cache.text(k, 0, k.length)).toBe(k.toString('latin1'));
    // A direct-mapped table of 4096 slots would miss on most of them every pass.
    expect(cache.misses - before).toBeLessThan(keys.length / 5);
  });
});
