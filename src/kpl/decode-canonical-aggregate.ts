import type { KinesisRecordInput, UserRecord } from './deaggregate.js';
import { utf8 } from './parse-aggregated-record.js';

// The tags as local constants: hot loops should not read imported bindings (some loaders turn them into getters).
const PARTITION_KEY_TABLE = 0x0a; // AggregatedRecord.partition_key_table = 1, length-delimited
const EXPLICIT_HASH_KEY_TABLE = 0x12; // AggregatedRecord.explicit_hash_key_table = 2, length-delimited
const RECORDS = 0x1a; // AggregatedRecord.records = 3, length-delimited
const PARTITION_KEY_INDEX = 0x08; // Record.partition_key_index = 1, varint
const EXPLICIT_HASH_KEY_INDEX = 0x10; // Record.explicit_hash_key_index = 2, varint
const DATA = 0x1a; // Record.data = 3, length-delimited

/**
 * The hot path of de-aggregation: one pass over a body laid out the way every real encoder writes it (the KPL,
 * protobufjs, protobuf-java): key tables first, then records whose fields are `partition_key_index`, an
 * optional `explicit_hash_key_index` and `data`, in that order, with short varints. User records are built
 * during the pass, with no intermediate structure.
 *
 * It does not judge: anything else (tables after records, tags, unknown fields, a truncated field, an index
 * out of range) returns `undefined`, and the caller runs the general parser, which decides between a valid
 * unusual message, a malformed one and a bad index.
 *
 * @param bodyEnd offset of the MD5 trailer; the body is `record.data[4, bodyEnd)`.
 */
export function decodeCanonicalAggregate(record: KinesisRecordInput, bodyEnd: number): UserRecord[] | undefined {
  const bytes = record.data;
  const buffer = bytes.buffer;
  const base = bytes.byteOffset;
  const sequenceNumber = record.sequenceNumber;
  const arrival = record.approximateArrivalTimestamp;
  const partitionKeys: string[] = [];
  const explicitHashKeys: string[] = [];
  const out: UserRecord[] = [];
  let pos = 4;
  // Tables: a run of fields 1 and 2 before the first record.
  while (pos < bodyEnd) {
    const tag = bytes[pos];
    if (tag !== PARTITION_KEY_TABLE && tag !== EXPLICIT_HASH_KEY_TABLE) break;
    let len = bytes[pos + 1];
    pos += 2;
    if (len >= 0x80) {
      // Two-byte length (keys up to 16 KiB); longer ones are left to the general parser.
      const next = bytes[pos++];
      if (next >= 0x80 || pos > bodyEnd) return undefined;
      len = (len & 0x7f) | (next << 7);
    }
    if (len > bodyEnd - pos) return undefined;
    const key = utf8(bytes, pos, len);
    if (tag === PARTITION_KEY_TABLE) partitionKeys.push(key);
    else explicitHashKeys.push(key);
    pos += len;
  }
  const pkCount = partitionKeys.length;
  const ehkCount = explicitHashKeys.length;
  let sub = 0;
  while (pos < bodyEnd) {
    if (bytes[pos] !== RECORDS) return undefined;
    // Record length: one to three varint bytes (up to 2 MiB records); more goes to the general parser.
    let len = bytes[pos + 1];
    pos += 2;
    if (len >= 0x80) {
      let next = bytes[pos++];
      len = (len & 0x7f) | ((next & 0x7f) << 7);
      if (next >= 0x80) {
        next = bytes[pos++];
        if (next >= 0x80) return undefined;
        len |= next << 14;
      }
    }
    const end = pos + len;
    if (end > bodyEnd || len < 4) return undefined;
    // partition_key_index: tag 0x08 and a varint below 2^14.
    if (bytes[pos] !== PARTITION_KEY_INDEX) return undefined;
    let pk = bytes[pos + 1];
    pos += 2;
    if (pk >= 0x80) {
      const next = bytes[pos++];
      if (next >= 0x80) return undefined;
      pk = (pk & 0x7f) | (next << 7);
    }
    if (pk >= pkCount) return undefined;
    let ehk: string | null = null;
    if (bytes[pos] === EXPLICIT_HASH_KEY_INDEX) {
      let index = bytes[pos + 1];
      pos += 2;
      if (index >= 0x80) {
        const next = bytes[pos++];
        if (next >= 0x80) return undefined;
        index = (index & 0x7f) | (next << 7);
      }
      if (index >= ehkCount) return undefined;
      ehk = explicitHashKeys[index];
    }
    // data: tag 0x1a and a length that ends exactly at the record's end.
    if (pos >= end || bytes[pos] !== DATA) return undefined;
    let dataLen = bytes[pos + 1];
    pos += 2;
    if (dataLen >= 0x80) {
      let next = bytes[pos++];
      dataLen = (dataLen & 0x7f) | ((next & 0x7f) << 7);
      if (next >= 0x80) {
        next = bytes[pos++];
        if (next >= 0x80) return undefined;
        dataLen |= next << 14;
      }
    }
    if (pos + dataLen !== end) return undefined;
    out.push({
      partitionKey: partitionKeys[pk],
      explicitHashKey: ehk,
      data: new Uint8Array(buffer, base + pos, dataLen),
      sequenceNumber,
      subSequenceNumber: sub++,
      aggregated: true,
      approximateArrivalTimestamp: arrival,
    });
    pos = end;
  }
  return pos === bodyEnd ? out : undefined;
}
