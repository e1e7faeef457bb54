/**
 * The few pieces of the protobuf wire format that the KPL aggregate needs: varints, tags, length-delimited
 * fields and skipping of unknown fields. The format is small enough that a hand-written reader is simpler and
 * much faster than a generic protobuf library, and it lets the decoder return zero-copy views.
 */
import { CodecError } from '../errors.js';

/** Wire types of the protobuf encoding. */
export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

/** protobuf-java's default recursion limit; nested groups deeper than this do not parse. */
const MAX_GROUP_DEPTH = 100;

/**
 * The bytes are not a well-formed protobuf message. Internal to the codec: the de-aggregator turns it into
 * KCL's "not an aggregate, pass the record through".
 */
export class MalformedProtobufError extends CodecError {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
  }
}

/**
 * A cursor over a byte range. Reads advance `pos`; every read checks the range end, so a truncated message
 * raises MalformedProtobufError and never reads past `end`.
 */
export class ProtobufReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /**
   * Reads an unsigned varint of up to 64 bits. Values above 2^53 lose precision, which is harmless here:
   * they are only ever compared against table sizes or remaining lengths, far smaller.
   */
  varint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw new MalformedProtobufError('truncated varint', pos);
    let byte = buf[pos++];
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    let value = byte & 0x7f;
    let scale = 128;
    for (let i = 1; i < 10; i++) {
      if (pos >= this.end) throw new MalformedProtobufError('truncated varint', pos);
      byte = buf[pos++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        this.pos = pos;
        return value;
      }
      scale *= 128;
    }
    throw new MalformedProtobufError('varint longer than 10 bytes', this.pos);
  }

  /** Reads the length prefix of a length-delimited field and checks the payload lies within the range. */
  length(): number {
    const at = this.pos;
    const len = this.varint();
    // protobuf-java reads lengths as int32: anything from 2^31 is a negative size and an error.
    if (len > 0x7fffffff) throw new MalformedProtobufError(`length ${len} is negative as int32`, at);
    if (len > this.end - this.pos) {
      throw new MalformedProtobufError(`length ${len} runs past the end of the message (${this.end - this.pos} bytes left)`, at);
    }
    return len;
  }

  /** Skips the value of a field with the given wire type (the tag is already read). */
  skip(wireType: number, fieldNumber: number, depth = 0): void {
    switch (wireType) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Fixed64:
        this.advance(8);
        return;
      case WireType.LengthDelimited: {
        // Not `this.pos += this.length()`: that would add to the position from before the length prefix.
        const len = this.length();
        this.pos += len;
        return;
      }
      case WireType.Fixed32:
        this.advance(4);
        return;
      case WireType.StartGroup:
        this.skipGroup(fieldNumber, depth + 1);
        return;
      default:
        // An end-group tag without a start, or wire types 6 and 7 which do not exist.
        throw new MalformedProtobufError(`invalid wire type ${wireType} for field ${fieldNumber}`, this.pos);
    }
  }

  /** Reads a tag: returns `fieldNumber << 3 | wireType` after checking the field number is not 0. */
  tag(): number {
    const at = this.pos;
    const tag = this.varint();
    if (tag < 8) throw new MalformedProtobufError('invalid tag (field number 0)', at);
    if (tag > 0xffffffff) throw new MalformedProtobufError(`invalid tag ${tag}`, at);
    return tag;
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw new MalformedProtobufError(`truncated fixed-width field`, this.pos);
    this.pos += n;
  }

  private skipGroup(fieldNumber: number, depth: number): void {
    if (depth > MAX_GROUP_DEPTH) throw new MalformedProtobufError('groups nested too deeply', this.pos);
    while (true) {
      if (this.pos >= this.end) throw new MalformedProtobufError(`unterminated group ${fieldNumber}`, this.pos);
      const tag = this.tag();
      const wireType = tag & 7;
      const field = Math.floor(tag / 8);
      if (wireType === WireType.EndGroup) {
        if (field !== fieldNumber) throw new MalformedProtobufError(`end of group ${field} inside group ${fieldNumber}`, this.pos);
        return;
      }
      this.skip(wireType, field, depth);
    }
  }
}

/** Number of bytes of `value` (a non-negative integer below 2^53) encoded as a varint. */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Writes `value` (a non-negative integer below 2^53) as a varint at `pos`; returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, value: number): number {
  while (value >= 128) {
    buf[pos++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  buf[pos++] = value;
  return pos;
}
