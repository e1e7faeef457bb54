import { Buffer } from 'node:buffer';
import { Tag } from './aggregated-record-format.js';
import { MalformedProtobufError, ProtobufReader } from './protobuf-wire.js';

/**
 * The decoded shape of an AggregatedRecord body, with user-record payloads left in place: `slots` holds four
 * numbers per user record, in wire order: partition-key index, explicit-hash-key index (-1 when the field is
 * absent), and the absolute start and end offsets of the data in the input bytes.
 */
export interface ParsedAggregate {
  readonly partitionKeys: string[];
  readonly explicitHashKeys: string[];
  readonly count: number;
  readonly slots: Float64Array;
}

/** Slots per user record in ParsedAggregate.slots. */
export const SLOT_WIDTH = 4;

// Reused between calls (decoding is synchronous, so never shared by two calls at once); grows as needed.
let scratch = new Float64Array(SLOT_WIDTH * 1024);

/**
 * Parses the protobuf body `bytes[start, end)` of an aggregate, following protobuf-java (the KCL's parser):
 * fields may come in any order (tables after records are valid), unknown fields and known field numbers with
 * an unexpected wire type are skipped, a repeated-once field keeps its last value, and a missing required
 * field (`partition_key_index`, `data`, `Tag.key`) makes the whole message invalid.
 *
 * Indexes are not resolved here: the caller checks them against the tables, which may arrive last.
 *
 * @throws MalformedProtobufError when the body is not a valid AggregatedRecord.
 * @returns the tables and record slots; `slots` is a scratch buffer valid until the next call.
 */
export function parseAggregatedRecord(bytes: Uint8Array, start: number, end: number): ParsedAggregate {
  const reader = new ProtobufReader(bytes, start, end);
  const partitionKeys: string[] = [];
  const explicitHashKeys: string[] = [];
  let slots = scratch;
  let count = 0;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === Tag.Records) {
      const len = reader.length();
      const recordEnd = reader.pos + len;
      if ((count + 1) * SLOT_WIDTH > slots.length) {
        const bigger = new Float64Array(slots.length * 2);
        bigger.set(slots);
        slots = scratch = bigger;
      }
      parseRecord(reader, recordEnd, slots, count * SLOT_WIDTH);
      count++;
    } else if (tag === Tag.PartitionKeyTable) {
      partitionKeys.push(readString(reader));
    } else if (tag === Tag.ExplicitHashKeyTable) {
      explicitHashKeys.push(readString(reader));
    } else {
      reader.skip(tag & 7, Math.floor(tag / 8));
    }
  }
  return { partitionKeys, explicitHashKeys, count, slots };
}

/** Parses one Record message ending at `recordEnd` into slots[at .. at+4). */
function parseRecord(reader: ProtobufReader, recordEnd: number, slots: Float64Array, at: number): void {
  const bytes = reader.buf;
  let pkIndex = -1;
  let ehkIndex = -1;
  let dataStart = -1;
  let dataEnd = -1;
  // The record's own end bounds every read inside it, so a field cannot run into the next record.
  const inner = new ProtobufReader(bytes, reader.pos, recordEnd);
  while (inner.pos < recordEnd) {
    // Fast path for the single-byte tags of a canonical record.
    const b = bytes[inner.pos];
    if (b === Tag.PartitionKeyIndex) {
      inner.pos++;
      pkIndex = inner.varint();
    } else if (b === Tag.Data) {
      inner.pos++;
      const len = inner.length();
      dataStart = inner.pos;
      dataEnd = dataStart + len;
      inner.pos = dataEnd;
    } else if (b === Tag.ExplicitHashKeyIndex) {
      inner.pos++;
      ehkIndex = inner.varint();
    } else {
      // Any other tag, including the three above written as over-long varints (legal, if odd).
      const tag = inner.tag();
      if (tag === Tag.PartitionKeyIndex) {
        pkIndex = inner.varint();
      } else if (tag === Tag.ExplicitHashKeyIndex) {
        ehkIndex = inner.varint();
      } else if (tag === Tag.Data) {
        const len = inner.length();
        dataStart = inner.pos;
        dataEnd = dataStart + len;
        inner.pos = dataEnd;
      } else if (tag === Tag.Tags) {
        const len = inner.length();
        validateTag(bytes, inner.pos, inner.pos + len);
        inner.pos += len;
      } else {
        inner.skip(tag & 7, Math.floor(tag / 8));
      }
    }
  }
  if (pkIndex < 0) throw new MalformedProtobufError('Record without the required partition_key_index', reader.pos);
  if (dataStart < 0) throw new MalformedProtobufError('Record without the required data', reader.pos);
  slots[at] = pkIndex;
  slots[at + 1] = ehkIndex;
  slots[at + 2] = dataStart;
  slots[at + 3] = dataEnd;
  reader.pos = recordEnd;
}

/** Checks a Tag message is well formed and has its required key; tags are otherwise ignored (as everywhere). */
function validateTag(bytes: Uint8Array, start: number, end: number): void {
  const reader = new ProtobufReader(bytes, start, end);
  let hasKey = false;
  while (reader.pos < end) {
    const tag = reader.tag();
    if (tag === Tag.TagKey) {
      const len = reader.length();
      reader.pos += len;
      hasKey = true;
    } else {
      reader.skip(tag & 7, Math.floor(tag / 8));
    }
  }
  if (!hasKey) throw new MalformedProtobufError('Tag without the required key', start);
}

/** Reads a length-delimited UTF-8 string; invalid sequences become U+FFFD, as protobuf-java's toStringUtf8. */
function readString(reader: ProtobufReader): string {
  const len = reader.length();
  const start = reader.pos;
  reader.pos += len;
  return utf8(reader.buf, start, len);
}

/** Decodes `len` bytes of UTF-8 at `start`, invalid sequences as U+FFFD. */
export function utf8(bytes: Uint8Array, start: number, len: number): string {
  // Short ASCII keys (the common case: tickers, ids) are cheaper to build by hand than through a decoder.
  if (len <= 32) {
    let s = '';
    for (let i = start; i < start + len; i++) {
      const c = bytes[i];
      if (c >= 0x80) return Buffer.from(bytes.buffer, bytes.byteOffset + start, len).toString('utf8');
      s += String.fromCharCode(c);
    }
    return s;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, len).toString('utf8');
}
