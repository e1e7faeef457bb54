import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../errors.js';
import { compareSequencePositions } from './sequence-position.js';

describe('compareSequencePositions', () => {
  it('orders sequence numbers as integers, then sub-sequence numbers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 60n }), fc.bigInt({ min: 0n, max: 10n ** 60n }), fc.nat(1000), fc.nat(1000), (s, t, i, j) => {
        const sign = Math.sign(compareSequencePositions({ sequenceNumber: s.toString(), subSequenceNumber: i }, { sequenceNumber: t.toString(), subSequenceNumber: j }));
        expect(sign).toBe(s === t ? Math.sign(i - j) : s < t ? -1 : 1);
      }),
    );
  });

  it('is not fooled by string order or leading zeros; a missing sub-sequence number is 0', () => {
    expect(compareSequencePositions({ sequenceNumber: '9' }, { sequenceNumber: '10' })).toBeLessThan(0);
    expect(compareSequencePositions({ sequenceNumber: '0010', subSequenceNumber: 0 }, { sequenceNumber: '10' })).toBe(0);
    expect(compareSequencePositions({ sequenceNumber: '49590338271490256608559692538361571095921575989136588898', subSequenceNumber: 3 }, { sequenceNumber: '49590338271490256608559692538361571095921575989136588898', subSequenceNumber: 2 })).toBeGreaterThan(0);
  });

  it('rejects what is not a sequence number', () => {
    expect(() => compareSequencePositions({ sequenceNumber: '12a' }, { sequenceNumber: '1' })).toThrow(CodecError);
    expect(() => compareSequencePositions({ sequenceNumber: '1' }, { sequenceNumber: '' })).toThrow(/received ''/);
  });
});
