/**
 * The binary recording format: the records of a replay file as length-prefixed frames, their data as raw bytes.
 * A replay NDJSON line holds the data as base64 inside JSON, so a replay spends most of its reading time parsing
 * JSON, decoding base64 and decoding text; a frame is read with a few integer loads and its data handed on as a
 * view into the bytes read (no copy). Written by `produce --to file://<path>.krec` (and {@link StreamRecorder} for
 * a `.krec` dump path); read by {@link FileReplaySource}, which recognises it by its header whatever the name.
 *
 * Layout (all integers little-endian), version 1:
 *
 *   header, 16 bytes:  magic 89 4B 52 45 43 0D 0A 1A ("\x89KREC\r\n\x1a") | u16 version | u16 flags | u32 CRC-32
 *                      of the 12 bytes before it. Flag bit 0: a stream dump (records carry shard ids and sequence
 *                      numbers); other bits are 0.
 *   frame, per record: 1E 4B 52 1F (frame mark) | u32 body length L | body (L bytes) | u32 CRC-32 of the length
 *                      and the body.
 *   body:              f64 arrival time (epoch ms) | u8 flags (bit 0: explicit hash key, bit 1: shard id and
 *                      sequence number) | u16 partition-key length | partition key (UTF-8) | [u8 length | explicit
 *                      hash key (ASCII decimal)] | [u8 length | shard id | u8 length | sequence number (ASCII
 *                      decimal)] | data (the rest of the body).
 *
 * Damage is found and contained, as for the other durable formats: a header that fails its CRC or names another
 * version makes the file unusable (a CodecError saying which); a frame that fails its CRC, has no mark, an impossible
 * length or is cut short is reported (byte offset and why) and reading resumes at the next frame mark whose frame
 * checks, so one damaged frame loses only itself. The frame mark and the CRC make a false resumption point inside
 * damaged bytes practically impossible.
 */
import * as zlib from 'node:zlib';
import { CodecError } from '../errors.js';

/** "\x89KREC\r\n\x1a": the high-bit byte, CR LF and ^Z catch a file mangled as text. */
export const RECORDING_MAGIC: Uint8Array = Uint8Array.of(0x89, 0x4b, 0x52, 0x45, 0x43, 0x0d, 0x0a, 0x1a);
export const RECORDING_VERSION = 1;
export const RECORDING_HEADER_LENGTH = 16;
/** File names that `produce` and the stream recorder write in this format. */
export const BINARY_RECORDING_EXTENSION = /\.krec$/i;

const HEADER_DUMP = 1;
const FRAME_MARK = Uint8Array.of(0x1e, 0x4b, 0x52, 0x1f);
/** Mark, length and CRC around a body. */
const FRAME_OVERHEAD = 12;
/** Arrival time, flags and the partition-key length. */
const MIN_BODY = 11;
const HAS_EXPLICIT_HASH_KEY = 1;
const HAS_SHARD = 2;
/** Kinesis data is at most 10 MiB; the keys add little. A longer length is damage, not a record to wait for. */
export const MAX_FRAME_BODY = 10 * 1024 * 1024 + 4096;
/** error_stream keeps at most this many damaged bytes (base64) per report. */
const MAX_RAW_BYTES = 48 * 1024;

/** One record as a recording holds it. */
export interface RecordingRecord {
  readonly at: number;
  readonly partitionKey: string;
  readonly explicitHashKey?: string | null;
  /** A stream dump's records: both or neither. */
  readonly shardId?: string;
  readonly sequenceNumber?: string;
  readonly data: Uint8Array;
}

/** What a read of a recording yields, in file order. */
export type RecordingEntry =
  | { readonly kind: 'record'; readonly offset: number; readonly record: RecordingRecord }
  /** A frame that checks but whose fields do not make a record (a writer that broke the format). */
  | { readonly kind: 'invalid'; readonly offset: number; readonly at: number | null; readonly reason: string }
  /** Bytes that are not a frame that checks, up to the next one that does (or the end). */
  | { readonly kind: 'damaged'; readonly offset: number; readonly length: number; readonly reason: string; readonly raw: Uint8Array };

const crcTable = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 (IEEE, as zlib and gzip) in JavaScript, for Node releases without `zlib.crc32` (before 20.15). */
export function crc32Portable(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
/** CRC-32 (IEEE): zlib's where Node has it. */
export const crc32: (bytes: Uint8Array) => number = typeof native === 'function' ? (b) => native(b) : crc32Portable;

/** Whether `bytes` starts like a binary recording (the magic, or as much of it as there is). */
export function startsWithRecordingMagic(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, RECORDING_MAGIC.length);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) if (bytes[i] !== RECORDING_MAGIC[i]) return false;
  return true;
}

/** The 16-byte file header. */
export function encodeRecordingHeader(options: { dump?: boolean } = {}): Buffer {
  const header = Buffer.alloc(RECORDING_HEADER_LENGTH);
  header.set(RECORDING_MAGIC, 0);
  header.writeUInt16LE(RECORDING_VERSION, 8);
  header.writeUInt16LE(options.dump ? HEADER_DUMP : 0, 10);
  header.writeUInt32LE(crc32(header.subarray(0, 12)), 12);
  return header;
}

/**
 * Reads the header. @throws CodecError naming `label` when the file is too short, damaged, or of another version.
 */
export function decodeRecordingHeader(bytes: Uint8Array, label: string): { readonly version: number; readonly dump: boolean } {
  if (bytes.length < RECORDING_HEADER_LENGTH) {
    throw new CodecError(`${label}: binary recording header cut short (${bytes.length} of ${RECORDING_HEADER_LENGTH} bytes)`);
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, RECORDING_HEADER_LENGTH);
  for (let i = 0; i < RECORDING_MAGIC.length; i++) {
    if (view[i] !== RECORDING_MAGIC[i]) throw new CodecError(`${label}: not a binary recording (wrong magic bytes)`);
  }
  if (view.readUInt32LE(12) !== crc32(view.subarray(0, 12))) {
    throw new CodecError(`${label}: binary recording header damaged (its checksum does not match)`);
  }
  const version = view.readUInt16LE(8);
  if (version !== RECORDING_VERSION) {
    throw new CodecError(`${label}: binary recording version ${version} is not supported (this release reads version ${RECORDING_VERSION})`);
  }
  const flags = view.readUInt16LE(10);
  if ((flags & ~HEADER_DUMP) !== 0) throw new CodecError(`${label}: binary recording header has unknown flags 0x${flags.toString(16)}`);
  return { version, dump: (flags & HEADER_DUMP) !== 0 };
}

/** One record as a frame. @throws CodecError when a field cannot be written in this format. */
export function encodeRecordingFrame(record: RecordingRecord): Buffer {
  const pk = Buffer.from(record.partitionKey, 'utf8');
  if (pk.length === 0 || pk.length > 0xffff) throw new CodecError(`partition key of ${pk.length} bytes cannot be recorded (1 to 65535)`);
  if (!Number.isFinite(record.at)) throw new CodecError(`arrival time ${record.at} cannot be recorded`);
  const ehk = record.explicitHashKey != null ? Buffer.from(record.explicitHashKey, 'latin1') : null;
  const dump = record.shardId !== undefined || record.sequenceNumber !== undefined;
  const shard = dump ? Buffer.from(record.shardId ?? '', 'latin1') : null;
  const seq = dump ? Buffer.from(record.sequenceNumber ?? '', 'latin1') : null;
  for (const [name, field] of [['explicit hash key', ehk], ['shard id', shard], ['sequence number', seq]] as const) {
    if (field !== null && (field.length === 0 || field.length > 0xff)) throw new CodecError(`${name} of ${field.length} bytes cannot be recorded (1 to 255)`);
  }
  const data = record.data;
  const bodyLength = MIN_BODY + pk.length + (ehk ? 1 + ehk.length : 0) + (shard && seq ? 2 + shard.length + seq.length : 0) + data.length;
  if (bodyLength > MAX_FRAME_BODY) throw new CodecError(`record of ${data.length} bytes cannot be recorded (Kinesis data is at most 10 MiB)`);
  const frame = Buffer.allocUnsafe(FRAME_OVERHEAD + bodyLength);
  frame.set(FRAME_MARK, 0);
  frame.writeUInt32LE(bodyLength, 4);
  let p = 8;
  frame.writeDoubleLE(record.at, p);
  frame[p + 8] = (ehk ? HAS_EXPLICIT_HASH_KEY : 0) | (dump ? HAS_SHARD : 0);
  frame.writeUInt16LE(pk.length, p + 9);
  p += MIN_BODY;
  frame.set(pk, p);
  p += pk.length;
  for (const field of [ehk, shard, seq]) {
    if (field === null) continue;
    frame[p++] = field.length;
    frame.set(field, p);
    p += field.length;
  }
  frame.set(data, p);
  p += data.length;
  frame.writeUInt32LE(crc32(frame.subarray(4, p)), p);
  return frame;
}

const DECIMAL = /^[0-9]+$/;

/**
 * Reads frames from bytes fed in chunks (the header already read). `next()` returns the next entry, `undefined`
 * when it needs more bytes (feed them, or `end()` when there are no more) and `null` at the end. A record's data
 * is a view into the bytes fed: they are never modified, so it stays valid.
 */
export class RecordingFrameReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Chunks fed and not yet reached. */
  private readonly queue: Buffer[] = [];
  /** File offset of buf[0]. */
  private base: number;
  private eof = false;
  /** Damaged bytes not yet reported: where they start (a file offset), why, and their first bytes. */
  private damageStart = -1;
  private damageReason = '';
  private damageRaw: Uint8Array = new Uint8Array(0);

  /** @param offset the file offset of the first byte fed (after the header) */
  constructor(offset: number) {
    this.base = offset;
  }

  feed(chunk: Uint8Array): void {
    if (chunk.length > 0) this.queue.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  /**
   * Makes `needed` bytes available from the current position if the chunks fed hold them. Frames are read in place
   * from each chunk; only a frame that spans chunks is copied, into a buffer of its own (views handed out keep the
   * older buffers alive, never modified).
   */
  private pull(needed: number): boolean {
    if (this.queue.length === 0) return false;
    const avail = this.buf.length - this.pos;
    if (avail === 0) {
      this.base += this.buf.length;
      this.buf = this.queue.shift() as Buffer;
      this.pos = 0;
      return true;
    }
    const parts = [this.buf.subarray(this.pos)];
    let have = avail;
    while (have < needed && this.queue.length > 0) {
      const chunk = this.queue[0];
      const take = Math.min(chunk.length, needed - have);
      parts.push(chunk.subarray(0, take));
      have += take;
      if (take === chunk.length) this.queue.shift();
      else this.queue[0] = chunk.subarray(take);
    }
    this.base += this.pos;
    this.buf = Buffer.concat(parts, have);
    this.pos = 0;
    return true;
  }

  end(): void {
    this.eof = true;
  }

  next(): RecordingEntry | undefined | null {
    for (;;) {
      const buf = this.buf;
      const pos = this.pos;
      const avail = buf.length - pos;
      if (avail === 0) {
        if (this.pull(8)) continue;
        if (!this.eof) return undefined;
        return this.damageStart >= 0 ? this.flushDamage() : null;
      }
      if (avail < 8) {
        if (this.pull(8)) continue;
        if (!this.eof) return undefined;
        this.damaged('cut short');
        this.pos = buf.length;
        continue;
      }
      if (buf[pos] !== 0x1e || buf[pos + 1] !== 0x4b || buf[pos + 2] !== 0x52 || buf[pos + 3] !== 0x1f) {
        this.damaged('no frame mark');
        this.resync();
        continue;
      }
      const length = buf.readUInt32LE(pos + 4);
      if (length < MIN_BODY || length > MAX_FRAME_BODY) {
        this.damaged(`impossible frame length ${length}`);
        this.resync();
        continue;
      }
      const total = FRAME_OVERHEAD + length;
      if (avail < total) {
        if (this.pull(total)) continue;
        if (!this.eof) return undefined;
        this.damaged(`cut short (${avail} of ${total} bytes)`);
        this.resync();
        continue;
      }
      if (buf.readUInt32LE(pos + 8 + length) !== crc32(buf.subarray(pos + 4, pos + 8 + length))) {
        this.damaged('checksum mismatch');
        this.resync();
        continue;
      }
      // A frame that checks: damage before it is reported first, then the frame on the next call.
      if (this.damageStart >= 0) return this.flushDamage();
      this.pos = pos + total;
      return this.body(buf, pos + 8, pos + 8 + length, this.base + pos);
    }
  }

  private body(buf: Buffer, start: number, end: number, offset: number): RecordingEntry {
    const at = buf.readDoubleLE(start);
    const invalid = (reason: string): RecordingEntry => ({ kind: 'invalid', offset, at: Number.isFinite(at) ? at : null, reason });
    if (!Number.isFinite(at)) return invalid(`arrival time ${at} is not a time`);
    const flags = buf[start + 8];
    if ((flags & ~(HAS_EXPLICIT_HASH_KEY | HAS_SHARD)) !== 0) return invalid(`unknown record flags 0x${flags.toString(16)}`);
    const pkLength = buf.readUInt16LE(start + 9);
    let p = start + MIN_BODY;
    if (pkLength === 0 || p + pkLength > end) return invalid(`partition key length ${pkLength} does not fit the frame`);
    const partitionKey = buf.toString('utf8', p, p + pkLength);
    p += pkLength;
    const short = (): string | undefined => {
      if (p >= end) return undefined;
      const n = buf[p];
      if (n === 0 || p + 1 + n > end) return undefined;
      const text = buf.toString('latin1', p + 1, p + 1 + n);
      p += 1 + n;
      return text;
    };
    let explicitHashKey: string | null = null;
    if (flags & HAS_EXPLICIT_HASH_KEY) {
      const ehk = short();
      if (ehk === undefined || !DECIMAL.test(ehk)) return invalid('explicit hash key missing or not a decimal integer');
      explicitHashKey = ehk;
    }
    if (flags & HAS_SHARD) {
      const shardId = short();
      const sequenceNumber = short();
      if (shardId === undefined || sequenceNumber === undefined || !DECIMAL.test(sequenceNumber)) {
        return invalid('a stream dump record needs a shard id and a decimal sequence number');
      }
      return { kind: 'record', offset, record: { at, partitionKey, explicitHashKey, shardId, sequenceNumber, data: buf.subarray(p, end) } };
    }
    return { kind: 'record', offset, record: { at, partitionKey, explicitHashKey, data: buf.subarray(p, end) } };
  }

  /** Damaged bytes start (or go on) at the current position. */
  private damaged(reason: string): void {
    if (this.damageStart >= 0) return;
    this.damageStart = this.base + this.pos;
    this.damageReason = reason;
    this.damageRaw = Uint8Array.from(this.buf.subarray(this.pos, this.pos + MAX_RAW_BYTES));
  }

  /** Moves to the next frame mark after the current position (keeping a mark split across chunks). */
  private resync(): void {
    const found = this.buf.indexOf(FRAME_MARK, this.pos + 1);
    if (found >= 0) this.pos = found;
    else this.pos = this.eof && this.queue.length === 0 ? this.buf.length : Math.max(this.pos + 1, this.buf.length - (FRAME_MARK.length - 1));
  }

  private flushDamage(): RecordingEntry {
    const offset = this.damageStart;
    const length = this.base + this.pos - offset;
    const raw = this.damageRaw.length > length ? this.damageRaw.subarray(0, length) : this.damageRaw;
    const entry: RecordingEntry = { kind: 'damaged', offset, length, reason: this.damageReason, raw };
    this.damageStart = -1;
    this.damageRaw = new Uint8Array(0);
    return entry;
  }
}

/** Every entry of a whole recording held in memory (tests, small files). @throws CodecError for a bad header. */
export function readRecording(bytes: Uint8Array, label = 'recording'): { readonly dump: boolean; readonly entries: RecordingEntry[] } {
  const { dump } = decodeRecordingHeader(bytes, label);
  const reader = new RecordingFrameReader(RECORDING_HEADER_LENGTH);
  reader.feed(bytes.subarray(RECORDING_HEADER_LENGTH));
  reader.end();
  const entries: RecordingEntry[] = [];
  for (let e = reader.next(); e; e = reader.next()) entries.push(e);
  return { dump, entries };
}
