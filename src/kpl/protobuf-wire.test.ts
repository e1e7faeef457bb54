import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedProtobufError, ProtobufReader, WireType, varintSize, writeVarint } from './protobuf-wire.js';

const reader = (...bytes: number[]) => new ProtobufReader(Uint8Array.from(bytes), 0, bytes.length);

describe('varints', () => {
  it('round-trip through writeVarint / varint with the size varintSize predicts', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (value) => {
        const buf = new Uint8Array(10);
        const end = writeVarint(buf, 0, value);
        expect(end).toBe(varintSize(value));
        const r = new ProtobufReader(buf, 0, end);
        expect(r.varint()).toBe(value);
        expect(r.pos).toBe(end);
      }),
    );
  });

  it('encodes the boundaries as protobuf does', () => {
    expect([...writeVarintBytes(0)]).toEqual([0]);
    expect([...writeVarintBytes(127)]).toEqual([0x7f]);
    expect([...writeVarintBytes(128)]).toEqual([0x80, 0x01]);
    expect([...writeVarintBytes(300)]).toEqual([0xac, 0x02]);
    expect(varintSize(2 ** 32)).toBe(5);
  });

  it('reads a 10-byte varint (uint64 max) and accepts over-long encodings', () => {
    const r = reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
    expect(r.varint()).toBeGreaterThan(2 ** 63);
    expect(reader(0x81, 0x80, 0x00).varint()).toBe(1);
  });

  it('rejects truncated and over-long varints', () => {
    expect(() => reader(0x80).varint()).toThrow(/truncated varint at byte 1/);
    expect(() => reader().varint()).toThrow(MalformedProtobufError);
    expect(() => reader(...new Array(10).fill(0x80), 0x01).varint()).toThrow(/longer than 10 bytes/);
  });
});

describe('ProtobufReader', () => {
  it('rejects field number 0', () => {
    expect(() => reader(0x02, 0x00).tag()).toThrow(/field number 0/);
  });

  it('rejects a length that runs past the end, or that is negative as int32', () => {
    expect(() => reader(0x05, 1, 2).length()).toThrow(/runs past the end/);
    expect(() => reader(0x80, 0x80, 0x80, 0x80, 0x08).length()).toThrow(/negative as int32/);
  });

  it('skips every wire type, length-delimited fields past their length prefix', () => {
    const r = reader(0x96, 0x01, /* fixed64 */ 1, 2, 3, 4, 5, 6, 7, 8, /* len */ 0x02, 9, 9, /* fixed32 */ 1, 2, 3, 4, 0x55);
    r.skip(WireType.Varint, 1);
    expect(r.pos).toBe(2);
    r.skip(WireType.Fixed64, 1);
    expect(r.pos).toBe(10);
    r.skip(WireType.LengthDelimited, 1);
    expect(r.pos).toBe(13);
    r.skip(WireType.Fixed32, 1);
    expect(r.pos).toBe(17);
    expect(() => reader(1, 2, 3).skip(WireType.Fixed32, 1)).toThrow(/truncated fixed-width/);
  });

  it('skips groups, nested ones included, and rejects unbalanced or invalid ones', () => {
    // group 5 { field 1 varint 7; group 6 { } } then a trailing byte
    const r = reader(0x08, 0x07, 0x33, 0x34, 0x2c, 0x99);
    r.skip(WireType.StartGroup, 5);
    expect(r.pos).toBe(5);
    expect(() => reader(0x08, 0x07).skip(WireType.StartGroup, 5)).toThrow(/unterminated group 5/);
    expect(() => reader(0x34).skip(WireType.StartGroup, 5)).toThrow(/end of group 6 inside group 5/);
    expect(() => reader(0x00).skip(WireType.EndGroup, 5)).toThrow(/invalid wire type 4/);
    expect(() => reader(0x00).skip(6, 5)).toThrow(/invalid wire type 6/);
    expect(() => reader(0x00).skip(7, 5)).toThrow(/invalid wire type 7/);
  });

  it('refuses groups nested deeper than protobuf-java allows', () => {
    const deep = new Array(150).fill(0x0b); // start group 1, again and again
    expect(() => reader(...deep).skip(WireType.StartGroup, 1)).toThrow(/nested too deeply/);
  });
});

function writeVarintBytes(value: number): Uint8Array {
  const buf = new Uint8Array(10);
  return buf.subarray(0, writeVarint(buf, 0, value));
}
